"""The evaluation pages under /auswertung/ (researchers; the codebook also for state analysts)."""

from django.urls import path

from ankommen.reporting.views import evaluation

app_name = "evaluation"
urlpatterns = [
    path("", evaluation.index, name="index"),
    path("auszug.csv", evaluation.extract_csv, name="extract_csv"),
    path("auszug.xlsx", evaluation.extract_xlsx, name="extract_xlsx"),
    path("codebuch/", evaluation.codebook_page, name="codebook"),
    path("codebuch.md", evaluation.codebook_download, name="codebook_download"),
]
