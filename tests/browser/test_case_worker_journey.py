"""A centre lead's day in the real browser: second factor, search, edit, history, read log, language switch."""

from __future__ import annotations

import datetime
import re
import time

import pyotp
import pytest
from django.test import override_settings

from ankommen.accounts.models import Role
from ankommen.accounts.services import totp_device_confirm, totp_device_create
from ankommen.accounts.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from ankommen.core.models import AccessLogEntry
from ankommen.people.models import Person
from ankommen.people.services import person_create
from ankommen.regions.models import Postcode
from ankommen.regions.tests.factories import CentreFactory, SchoolFactory
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lead_with_second_factor():
    centre = CentreFactory(name="Kommunales Integrationszentrum Köln", slug="koeln")
    Postcode.objects.create(code="50667", places="Köln", region=centre.region, latitude=50.94, longitude=6.95)
    SchoolFactory(municipality__centre=centre, name="Städtische Gemeinschaftsgrundschule Köln-Mitte")
    user = UserFactory(email="lead@example.org", display_name="Leitung Köln")
    MembershipFactory(user=user, role=Role.CENTRE_LEAD, centre=centre)
    device = totp_device_create(user=user)
    # Set up with the previous time step's code: a code is accepted once, and the login below uses the current one.
    assert totp_device_confirm(device=device, code=pyotp.TOTP(device.secret).at(time.time() - 30))
    person = person_create(
        centre=centre,
        by=user,
        given_names="Олена",
        family_name="Коваленко",
        given_names_latin="Olena",
        family_name_latin="Kovalenko",
        birth_date=datetime.date(2015, 4, 2),
        place="Köln",
    )
    return user, device, person


def _assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "; ".join(f"{v['id']}: {v['help']}" for v in violations)


@override_settings(REQUIRE_SECOND_FACTOR=True)
def test_lead_logs_in_with_second_factor_searches_edits_and_sees_history_and_read_log(page, lead_with_second_factor):
    user, device, person = lead_with_second_factor

    page.goto("/")
    _assert_accessible(page, "public start page")
    page.goto("/konto/anmelden/")
    _assert_accessible(page, "login")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    # The password alone does not open the centre's data.
    page.wait_for_url(re.compile(r"/konto/zwei-faktor/pruefen/"))
    _assert_accessible(page, "second factor")
    page.get_by_label("Code").fill(pyotp.TOTP(device.secret).now())
    page.get_by_role("button", name="Weiter").click()
    page.wait_for_url(re.compile(r"/$"))
    _assert_accessible(page, "centre start page")

    page.get_by_role("link", name="Personen").first.click()
    page.wait_for_url(re.compile(r"/personen/$"))
    _assert_accessible(page, "person list")
    search = page.get_by_role("searchbox").or_(page.locator("#id_q"))
    search.first.fill("Kovalenko")
    page.get_by_role("button", name="Suchen").click()
    result = page.get_by_role("link", name="Коваленко, Олена")
    result.wait_for()
    assert "Kovalenko" not in page.url, "a searched name must never stand in the URL"
    result.click()

    page.wait_for_url(re.compile(rf"/personen/{person.pk}/$"))
    _assert_accessible(page, "person detail")
    page.get_by_role("link", name="Bearbeiten").click()
    _assert_accessible(page, "person form")
    page.get_by_label(re.compile(r"^Ort")).fill("Köln-Ehrenfeld")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(rf"/personen/{person.pk}/$"))
    assert page.get_by_text("Köln-Ehrenfeld").first.is_visible()

    page.get_by_role("link", name="Änderungsverlauf").click()
    _assert_accessible(page, "person history")
    assert page.get_by_text("Köln-Ehrenfeld").first.is_visible()
    assert page.get_by_text(user.display_name).first.is_visible()

    page.goto("/protokoll/zugriffe/")
    _assert_accessible(page, "access log")
    assert page.get_by_text(str(person.pk)).first.is_visible()
    assert AccessLogEntry.objects.filter(user=user, record_id=str(person.pk)).count() >= 2
    assert Person.objects.for_centre(person.centre).get().place == "Köln-Ehrenfeld"

    page.goto("/protokoll/aenderungen/")
    _assert_accessible(page, "change log")

    page.get_by_label("Sprache").select_option("en")
    page.get_by_role("button", name=re.compile("Sprache|Language|Wechseln|Switch|Ändern|Change")).first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/personen/")
    assert page.get_by_role("heading", name="Persons").is_visible()


def test_public_directories_are_accessible(page, lead_with_second_factor):
    for path in ["/verzeichnis/zentren/", "/verzeichnis/zentren/koeln/", "/verzeichnis/schulen/"]:
        page.goto(path)
        _assert_accessible(page, path)
    page.get_by_label("Name der Schule", exact=False).first.fill("Köln-Mitte")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_role("link", name=re.compile("Gemeinschaftsgrundschule Köln-Mitte")).wait_for()


@override_settings(REQUIRE_SECOND_FACTOR=True)
def test_state_analyst_sets_up_the_second_factor_and_sees_only_aggregates(page, lead_with_second_factor):
    _lead, _device, person = lead_with_second_factor
    analyst = UserFactory(email="analyst@example.org", display_name="Landesauswertung")
    MembershipFactory(user=analyst, role=Role.STATE_ANALYST, centre=None)

    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(analyst.email)
    page.get_by_label("Passwort").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/konto/zwei-faktor/einrichten/"))
    _assert_accessible(page, "second factor setup")
    secret = "".join(page.locator("code").first.inner_text().split())
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bestätigen").click()

    # Recovery codes are shown once after the set-up.
    page.wait_for_load_state()
    _assert_accessible(page, "recovery codes")
    page.goto("/")
    _assert_accessible(page, "state start page")
    assert page.get_by_role("table").first.is_visible()
    assert "Коваленко" not in page.content()
    assert page.goto(f"/personen/{person.pk}/").status == 403

    page.goto("/konto/")
    _assert_accessible(page, "account")
    page.goto("/konto/sitzungen/")
    _assert_accessible(page, "sessions")
    page.goto("/konto/tokens/")
    _assert_accessible(page, "API tokens")
