"""A bulk import of persons in the real browser, with a real procrastinate worker and axe-core scans.

A case worker uploads a CSV with a bad date: the page waits for the check, then names the row, the column and
the error in German. The corrected file's preview counts three new persons; the commit writes them, and the
person list shows them. The same file again: the preview says importing it would change nothing.
"""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from ankommen.imports.models import ImportRun, ImportStatus
from ankommen.people.models import Person
from ankommen.regions.models import Postcode
from ankommen.regions.tests.factories import CentreFactory
from tests.browser.conftest import axe_violations
from tests.workers import run_worker_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Vornamen;Familienname;Geburtsdatum;Geschlecht;Staatsangehörigkeiten;Sprachen;Postleitzahl;Ort"
GOOD_ROWS = [
    "Olena;Kovalenko;01.05.1990;weiblich;UA;uk, ru;50667;Köln",
    "Ahmad;Rahimi;14.03.2012;männlich;AF;prs;50667;Köln",
    "Mariam;Haddad;;;SY;ar;;",
]


def _csv(*rows: str) -> bytes:
    return ("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8")


def _assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def _upload(page, content: bytes, where: str) -> None:
    page.goto("/importe/")
    page.get_by_label("Inhalt der Datei").select_option("persons")
    page.get_by_label("Datei", exact=True).set_input_files(
        files=[{"name": "personen.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Hochladen und prüfen").click()
    page.wait_for_url(re.compile(r"/importe/[0-9a-f-]{36}/$"))
    # Waiting for the worker: the page says so and polls by itself.
    expect(page.get_by_role("status").first).to_contain_text("wartet auf die Prüfung")
    expect(page.get_by_role("status").first).to_contain_text("Diese Seite aktualisiert sich selbst")
    _assert_accessible(page, f"{where}: waiting for the check")
    run_worker_until_idle("imports")


@override_settings(REQUIRE_SECOND_FACTOR=False)
def test_case_worker_imports_persons_after_correcting_the_file(page):
    centre = CentreFactory(name="Kommunales Integrationszentrum Köln", slug="koeln")
    Postcode.objects.update_or_create(
        code="50667", defaults={"places": "Köln", "region": centre.region, "latitude": 50.94, "longitude": 6.96}
    )
    staff = UserFactory(email="fallarbeit@koeln.example", display_name="Fallarbeit Köln")
    MembershipFactory(user=staff, role=Role.CENTRE_STAFF, centre=centre)

    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(staff.email)
    page.get_by_label("Passwort").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name="Importe").first.click()
    page.wait_for_url(re.compile(r"/importe/$"))
    _assert_accessible(page, "upload page")

    # 1. A file with an impossible date: the check names row, column and error in German; nothing is written.
    _upload(page, _csv(GOOD_ROWS[0], "Ahmad;Rahimi;31.02.2012;männlich;AF;prs;50667;Köln", GOOD_ROWS[2]), "faulty")
    errors = page.locator("#import-errors")
    expect(errors).to_be_visible()  # the page reloaded itself when the check was done
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr").first).to_contain_text("3")
    expect(errors.locator("tbody tr").first).to_contain_text("Geburtsdatum")
    expect(errors.locator("tbody tr").first).to_contain_text("Bitte ein gültiges Datum eingeben.")
    expect(page.get_by_role("button", name="Jetzt importieren")).to_have_count(0)
    _assert_accessible(page, "preview with errors")
    assert not Person.objects.for_centre(centre).exists()

    # 2. The corrected file: the preview counts three new persons, still nothing written until the commit.
    _upload(page, _csv(*GOOD_ROWS), "corrected")
    preview = page.locator("dl")
    expect(page.get_by_role("heading", name="Vorschau")).to_be_visible()
    expect(preview).to_contain_text(re.compile(r"Zeilen\s*3"))
    expect(preview).to_contain_text(re.compile(r"Neue Datensätze\s*3"))
    _assert_accessible(page, "preview ready to import")
    assert not Person.objects.for_centre(centre).exists()
    page.get_by_role("button", name="Jetzt importieren").click()
    expect(page.get_by_role("status").first).to_contain_text("Diese Seite aktualisiert sich selbst")
    run_worker_until_idle("imports")
    expect(page.get_by_text("Der Import ist abgeschlossen. Die Datei wurde gelöscht.")).to_be_visible()
    _assert_accessible(page, "import complete")
    assert Person.objects.for_centre(centre).count() == 3

    page.goto("/personen/")
    for family_name in ("Kovalenko", "Rahimi", "Haddad"):
        expect(page.get_by_role("link", name=re.compile(family_name))).to_be_visible()

    # 3. The same file again changes nothing, and the preview says so instead of offering the commit.
    _upload(page, _csv(*GOOD_ROWS), "again")
    expect(page.get_by_text("ein Import würde nichts ändern")).to_be_visible()
    expect(page.locator("dl")).to_contain_text(re.compile(r"Unveränderte Datensätze\s*3"))
    expect(page.get_by_role("button", name="Jetzt importieren")).to_have_count(0)
    _assert_accessible(page, "preview of a file that changes nothing")
    page.goto("/importe/")
    _assert_accessible(page, "upload page with recent imports")
    statuses = sorted(ImportRun.objects.for_centre(centre).values_list("status", flat=True))
    assert statuses == sorted([ImportStatus.INVALID, ImportStatus.COMMITTED, ImportStatus.READY])
