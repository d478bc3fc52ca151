"""Importing school seats: the seat-offer form's rules, only the centre's schools, idempotent by offer."""

from __future__ import annotations

import pytest

from ankommen.imports import services
from ankommen.imports.models import ImportKind, ImportRun, ImportStatus
from ankommen.regions.tests.factories import MunicipalityFactory, SchoolFactory
from ankommen.schooling.models import SeatOffer
from ankommen.schooling.selectors import term_choices

TERM = term_choices()[1][0]


@pytest.fixture
def school(centre):
    return SchoolFactory(municipality=MunicipalityFactory(centre=centre), number="123456")


def _csv(*rows: str) -> bytes:
    return "\r\n".join(
        ["Schulnummer;Schulhalbjahr;Klasse;Art der Plätze;Plätze für Seiteneinsteigerinnen und Seiteneinsteiger", *rows]
    ).encode()


def _import(centre, by, content: bytes) -> ImportRun:
    uploaded = services.import_upload(centre=centre, by=by, kind=ImportKind.SEATS, content=content, language="de")
    run = services.import_check(run_id=str(uploaded.pk))
    assert run is not None
    if run.status == ImportStatus.READY:
        services.import_commit_request(run=run, by=by)
        run = services.import_commit(run_id=str(run.pk))
        assert run is not None
    return run


def test_seats_are_set_and_a_second_import_changes_nothing(centre, staff, school):
    rows = [f"123456;{TERM};5;initial_support;12", f"123456;{TERM};6;regular_class;3"]

    first = _import(centre, staff, _csv(*rows))
    assert (first.status, first.rows_new) == (ImportStatus.COMMITTED, 2)
    again = _import(centre, staff, _csv(*rows))

    assert (again.rows_new, again.rows_changed, again.rows_unchanged) == (0, 0, 2)
    assert sorted(SeatOffer.objects.for_centre(centre).values_list("grade", "seats")) == [(5, 12), (6, 3)]
    changed = _import(centre, staff, _csv(f"123456;{TERM};5;initial_support;14"))
    assert (changed.rows_changed, changed.rows_unchanged) == (1, 0)
    assert SeatOffer.objects.for_centre(centre).get(grade=5).seats == 14


def test_another_centres_school_and_bad_values_are_errors_per_row(centre, other_centre, staff, school):
    SchoolFactory(municipality=MunicipalityFactory(centre=other_centre), number="654321")

    run = _import(centre, staff, _csv(f"654321;{TERM};5;initial_support;2", f"123456;{TERM};14;regular_class;-1"))

    assert run.status == ImportStatus.INVALID
    assert [(e["row"], e["column"], e["message"]) for e in run.errors] == [
        (2, "Schulnummer", "Keine Schule Ihres Zentrums hat diese Schulnummer."),
        (3, "Klasse", "Die Klassen reichen von 1 bis 13."),
        (3, "Plätze für Seiteneinsteigerinnen und Seiteneinsteiger", "Die Zahl der Plätze kann nicht negativ sein."),
    ]
    assert not SeatOffer.objects.for_centre(centre).exists()
