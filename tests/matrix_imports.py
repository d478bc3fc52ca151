"""Permission matrix rows of imports (see tests/matrix_types.py).

Imports are for the centre lead and staff (not the seconded teachers). An import belongs to the user who uploaded
it: the world's import is a stranger's of the world's centre, so every caller who may import gets 404 for it,
in their own centre as in another; everybody else is refused before (403, or the login page).
"""

from __future__ import annotations

from typing import Any

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import UserFactory
from ankommen.core.crypto import encrypt_bytes
from ankommen.imports.models import ImportFormat, ImportKind, ImportRun, ImportStatus
from tests.matrix_types import Access, ApiRoute, Route, World

IMPORTERS = {Role.CENTRE_LEAD, Role.CENTRE_STAFF}


def _importers(role: Role | None, own_centre: bool) -> set[int]:
    if role is None:
        return {302}
    return {200} if role in IMPORTERS else {403}


def _strangers_import(role: Role | None, own_centre: bool) -> set[int]:
    if role is None:
        return {302}
    return {404} if role in IMPORTERS else {403}


def _api_importers(role: Role | None, own_centre: bool) -> tuple[set[int], set[int]]:
    if role is None:
        return set(), {401}
    return ({200}, set()) if role in IMPORTERS else (set(), {403})


def _api_upload_without_file(role: Role | None, own_centre: bool) -> tuple[set[int], set[int]]:
    # The matrix sends JSON: an importer is refused for the missing file (422), nothing written.
    if role is None:
        return set(), {401}
    return set(), {422} if role in IMPORTERS else {403}


def _api_strangers_import(role: Role | None, own_centre: bool) -> tuple[set[int], set[int]]:
    if role is None:
        return set(), {401}
    return set(), {404} if role in IMPORTERS else {403}


def _run(w: World) -> dict[str, Any]:
    return {"run_id": w.extra["import_run"].pk}


def extend_world(world: World) -> None:
    world.extra["import_run"] = ImportRun.objects.create(
        centre=world.centre,
        kind=ImportKind.PERSONS,
        file_format=ImportFormat.CSV,
        status=ImportStatus.READY,
        created_by=UserFactory(),
        language="de",
        content_encrypted=encrypt_bytes(b"Vornamen;Familienname\r\nOlena;Kovalenko\r\n"),
        rows_total=1,
        rows_new=1,
    )


TABLES = ["imports_importrun"]

ROUTES: dict[str, Route] = {
    "imports:import_list": Route(Access.CENTRE, expect=_importers, post=lambda w: {"kind": "persons"}),
    "imports:import_template": Route(Access.CENTRE, kwargs=lambda w: {"kind": "persons"}, expect=_importers),
    "imports:import_detail": Route(Access.CENTRE, kwargs=_run, expect=_strangers_import),
    "imports:import_progress": Route(Access.CENTRE, kwargs=_run, expect=_strangers_import),
    "imports:import_commit": Route(
        Access.CENTRE, kwargs=_run, post=lambda w: {}, get_allowed=False, expect=_strangers_import
    ),
}

API = "/api/v1/imports"
API_ROUTES: dict[tuple[str, str], ApiRoute] = {
    ("get", f"{API}/"): ApiRoute(Access.CENTRE, lambda w: f"{API}/", expect=_api_importers),
    ("post", f"{API}/"): ApiRoute(
        Access.CENTRE, lambda w: f"{API}/", body=lambda w: {"kind": "persons"}, expect=_api_upload_without_file
    ),
    ("get", f"{API}/{{run_id}}"): ApiRoute(
        Access.CENTRE, lambda w: f"{API}/{w.extra['import_run'].pk}", expect=_api_strangers_import
    ),
    ("post", f"{API}/{{run_id}}/commit"): ApiRoute(
        Access.CENTRE, lambda w: f"{API}/{w.extra['import_run'].pk}/commit", expect=_api_strangers_import
    ),
}
