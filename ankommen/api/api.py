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
    from ankommen.people.api import router as people_router
    from ankommen.regions.api import router as regions_router

    api.add_router("/", regions_router)
    api.add_router("/people/", people_router)


_mount_routers()
