from django.urls import path

from ankommen.regions import views

app_name = "regions"
urlpatterns = [
    path("zentren/", views.centre_list, name="centre_list"),
    path("zentren/<slug:slug>/", views.centre_detail, name="centre_detail"),
    path("schulen/", views.school_list, name="school_list"),
    path("schulen/<str:number>/", views.school_detail, name="school_detail"),
]
