"""Importing organisations: the organisation form's rules, idempotent by name and postcode."""

from __future__ import annotations

import pytest

from ankommen.imports import services
from ankommen.imports.models import ImportKind, ImportRun, ImportStatus
from ankommen.network.models import Organisation
from ankommen.people.tests.factories import PostcodeFactory

HEADER = "Name;Art;Postleitzahl;Ort;Gesprochene Sprachen"


@pytest.fixture(autouse=True)
def _postcode(db):
    PostcodeFactory(code="50667")


def _import(centre, by, *rows: str) -> ImportRun:
    content = "\r\n".join([HEADER, *rows]).encode()
    uploaded = services.import_upload(
        centre=centre, by=by, kind=ImportKind.ORGANISATIONS, content=content, language="de"
    )
    run = services.import_check(run_id=str(uploaded.pk))
    assert run is not None
    if run.status == ImportStatus.READY:
        services.import_commit_request(run=run, by=by)
        run = services.import_commit(run_id=str(run.pk))
        assert run is not None
    return run


def test_organisations_are_created_then_changed_then_left_alone(centre, staff):
    first = _import(centre, staff, "Caritas Köln;migrant_organisation;50667;Köln;ar, fa")
    assert (first.status, first.rows_new) == (ImportStatus.COMMITTED, 1)
    same = _import(centre, staff, "Caritas Köln;migrant_organisation;50667;Köln;fa ar")
    assert (same.rows_new, same.rows_changed, same.rows_unchanged) == (0, 0, 1)
    changed = _import(centre, staff, "Caritas Köln;migrant_organisation;50667;Köln-Mitte;ar")

    assert changed.rows_changed == 1
    organisation = Organisation.objects.for_centre(centre).get()
    assert (organisation.place, organisation.languages) == ("Köln-Mitte", ["ar"])
    assert organisation.latitude is not None  # placed by the service, as on the page


def test_bad_rows_write_no_organisation(centre, staff):
    run = _import(centre, staff, "Caritas Köln;migrant_organisation;50667;Köln;", "Verein;club;99999;Köln;")

    assert run.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in run.errors] == [(3, "Art"), (3, "Postleitzahl")]
    assert not Organisation.objects.for_centre(centre).exists()
