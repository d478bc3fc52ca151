"""The REST API at /api/v1/: each app contributes its own router from its `api.py`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from ankommen.api.errors import document_error_responses, document_local_times, register_error_handlers
from ankommen.api.parser import StrictParser


class AnkommenAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_local_times(document_error_responses(schema))

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        # A path no operation matches (e.g. a negative id, which the int converter refuses) answers in the
        # API's error format, not with the HTML page for people.
        return [*super()._get_urls(), re_path(r"", csrf_exempt(self._not_found), name="not-found")]

    def _not_found(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.create_response(request, {"detail": _("Not found."), "errors": {}}, status=404)


api = AnkommenAPI(
    title="Ankommen API",
    version="1",
    description="Public reference data of NRW and the centre-scoped data of the Kommunale Integrationszentren.",
    urls_namespace="api",
    docs_url="/docs/",
    parser=StrictParser(),
)
register_error_handlers(api)


def _mount_routers() -> None:
    from ankommen.courses.api import router as courses_router
    from ankommen.grants.api import router as grants_router
    from ankommen.imports.api import router as imports_router
    from ankommen.network.api import router as network_router
    from ankommen.people.api import router as people_router
    from ankommen.regions.api import router as regions_router
    from ankommen.reporting.api import router as indicators_router
    from ankommen.schooling.api import router as schooling_router
    from ankommen.staffing.api import router as staffing_router
    from ankommen.volunteering.api import router as volunteering_router
    from ankommen.work.api import router as work_router

    api.add_router("/", regions_router)
    api.add_router("/people/", people_router)
    api.add_router("/schooling/", schooling_router)
    api.add_router("/volunteering/", volunteering_router)
    api.add_router("/work/", work_router)
    api.add_router("/courses/", courses_router)
    api.add_router("/network/", network_router)
    api.add_router("/staffing/", staffing_router)
    api.add_router("/grants/", grants_router)
    api.add_router("/indicators/", indicators_router)
    api.add_router("/imports/", imports_router)


_mount_routers()
