from django.urls import path

from ankommen.core import audit_views

app_name = "audit"
urlpatterns = [
    path("aenderungen/", audit_views.change_log, name="change_log"),
    path("zugriffe/", audit_views.access_log, name="access_log"),
]
