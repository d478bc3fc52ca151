from django.urls import path

from ankommen.core.register import views

app_name = "register"
urlpatterns = [
    path("verzeichnis/", views.record, name="record"),
    path("verzeichnis.pdf", views.record_download, name="record_pdf"),
]
