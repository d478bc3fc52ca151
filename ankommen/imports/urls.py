from django.urls import path

from ankommen.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("vorlage/<str:kind>/", views.import_template, name="import_template"),
    path("<uuid:run_id>/", views.import_detail, name="import_detail"),
    path("<uuid:run_id>/fortschritt/", views.import_progress, name="import_progress"),
    path("<uuid:run_id>/importieren/", views.import_commit, name="import_commit"),
]
