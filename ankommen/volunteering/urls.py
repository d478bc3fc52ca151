from django.urls import URLPattern

app_name = "volunteering"
urlpatterns: list[URLPattern] = []
