from django.contrib import admin
from django.urls import include, path

from ankommen.api.api import api

# A lost database connection answers 503 (page or API JSON), every other error the 500 page.
handler500 = "ankommen.core.unavailable.server_error"

urlpatterns = [
    path("", include("ankommen.core.urls")),
    path("konto/", include("ankommen.accounts.urls")),
    path("verzeichnis/", include("ankommen.regions.urls")),
    path("personen/", include("ankommen.people.urls")),
    path("schule/", include("ankommen.schooling.urls")),
    path("ehrenamt/", include("ankommen.volunteering.urls")),
    path("arbeit/", include("ankommen.work.urls")),
    path("fortbildungen/", include("ankommen.courses.urls")),
    path("netzwerk/", include("ankommen.network.urls")),
    path("stellen/", include("ankommen.staffing.urls")),
    path("foerderung/", include("ankommen.grants.urls")),
    path("berichte/", include("ankommen.reporting.urls")),
    path("auswertung/", include("ankommen.reporting.evaluation_urls")),
    path("protokoll/", include("ankommen.core.audit_urls")),
    path("importe/", include("ankommen.imports.urls")),
    path("datenschutz/", include("ankommen.core.register.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
