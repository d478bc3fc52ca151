from django.urls import path

from ankommen.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("quellen/", views.sources, name="sources"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("health/", views.health, name="health"),
]
