"""The REST API at /api/v1/: each app contributes its own router from its `api.py`."""

from __future__ import annotations

from ninja import NinjaAPI

from ankommen.api.errors import register_error_handlers

api = NinjaAPI(
    title="Ankommen API",
    version="1",
    description="Public reference data of NRW and the centre-scoped data of the Kommunale Integrationszentren.",
    urls_namespace="api",
    docs_url="/docs/",
)
register_error_handlers(api)


def _mount_routers() -> None:
    from ankommen.courses.api import router as courses_router
    from ankommen.grants.api import router as grants_router
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


_mount_routers()
