from django.urls import URLPattern

app_name = "grants"
urlpatterns: list[URLPattern] = []
