"""A school place from start to end in the real browser.

A family pre-registers in Ukrainian; staff accept, invite and assess; a school contact enters seats; staff run the
placement and release it; the school confirms; staff download the family's letter and see the waiting count drop.
"""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from ankommen.regions.models import Postcode, SchoolForm
from ankommen.regions.tests.factories import CentreFactory, MunicipalityFactory, SchoolFactory
from ankommen.schooling.forms_preregistration import MIN_FILL_SECONDS
from ankommen.schooling.models import Intake, IntakeStatus, Placement, PlacementStatus, PreRegistration
from ankommen.schooling.selectors import term_choices
from tests.browser.conftest import axe_violations
from tests.workers import run_worker_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POSTCODE = "50667"
# Cologne city centre; the comprehensive school lies about 1 km away, the Gymnasium nearer still.
HOME = (50.9385, 6.9561)


@pytest.fixture
def cologne():
    centre = CentreFactory(name="Kommunales Integrationszentrum Köln", slug="koeln")
    Postcode.objects.update_or_create(
        code=POSTCODE,
        defaults={"places": "Köln", "region": centre.region, "latitude": HOME[0], "longitude": HOME[1]},
    )
    municipality = MunicipalityFactory(centre=centre, name="Köln")
    comprehensive = SchoolFactory(
        municipality=municipality,
        name="Gesamtschule Köln-Innenstadt",
        form=SchoolForm.GESAMTSCHULE,
        form_label="Gesamtschule",
        latitude=50.9300,
        longitude=6.9500,
    )
    # Nearer to the family, with seats, but not a school form the counselling finds acceptable.
    gymnasium = SchoolFactory(
        municipality=municipality,
        name="Gymnasium Kreuzgasse",
        form=SchoolForm.GYMNASIUM,
        form_label="Gymnasium",
        latitude=50.9370,
        longitude=6.9540,
    )
    staff = UserFactory(email="beratung@example.org", display_name="Beratung Köln")
    MembershipFactory(user=staff, role=Role.CENTRE_STAFF, centre=centre)
    contact = UserFactory(email="sekretariat@example.org", display_name="Sekretariat Gesamtschule")
    MembershipFactory(user=contact, role=Role.SCHOOL_CONTACT, centre=None, school=comprehensive)
    gymnasium_contact = UserFactory(email="gymnasium@example.org", display_name="Sekretariat Gymnasium")
    MembershipFactory(user=gymnasium_contact, role=Role.SCHOOL_CONTACT, centre=None, school=gymnasium)
    return centre, comprehensive, gymnasium, staff, contact, gymnasium_contact


def _assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def _new_page(browser, live_server):
    context = browser.new_context(locale="de-DE", base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _log_in(page, user) -> None:
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/$"))


def _assert_pdf(page, url: str) -> None:
    response = page.request.get(url)
    assert response.status == 200, url
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def _fill_family_form(page) -> None:
    guardian = page.get_by_role("group", name="Один із батьків або опікун", exact=True)
    guardian.get_by_label("Ім'я", exact=True).fill("Оксана")
    guardian.get_by_label("Прізвище", exact=True).fill("Коваленко")
    guardian.get_by_label("Ім'я латинськими літерами").fill("Oksana")
    guardian.get_by_label("Прізвище латинськими літерами").fill("Kovalenko")
    guardian.get_by_label("Ким ви доводитеся дітям").select_option("mother")
    guardian.get_by_label("Номер телефону").fill("+49 221 1234567")

    child = page.get_by_role("group", name="Дитина", exact=True)
    child.get_by_label("Ім'я", exact=True).fill("Олена")
    child.get_by_label("Прізвище", exact=True).fill("Коваленко")
    child.get_by_label("Ім'я латинськими літерами").fill("Olena")
    child.get_by_label("Прізвище латинськими літерами").fill("Kovalenko")
    child.get_by_label("Дата народження").fill("2015-04-02")
    child.get_by_label("Стать").select_option("female")
    child.get_by_label("Рідна мова").select_option("uk")

    page.get_by_text("Додати дитину 2").click()
    sibling = page.get_by_role("group", name="Дитина 2", exact=True)
    sibling.get_by_label("Ім'я", exact=True).fill("Андрій")
    sibling.get_by_label("Прізвище", exact=True).fill("Коваленко")
    sibling.get_by_label("Ім'я латинськими літерами").fill("Andrii")
    sibling.get_by_label("Прізвище латинськими літерами").fill("Kovalenko")
    sibling.get_by_label("Дата народження").fill("2019-09-15")
    sibling.get_by_label("Стать").select_option("male")
    sibling.get_by_label("Рідна мова").select_option("uk")

    page.get_by_label("Вулиця і номер будинку").fill("Hohe Straße 12")
    page.get_by_label("Поштовий індекс").fill(POSTCODE)
    page.get_by_label("Місто або село").fill("Köln")
    page.get_by_label("Коли ви приїхали до Німеччини?").fill("2026-03-01")
    page.get_by_label(re.compile("^Я погоджуюся")).check()


@override_settings(REQUIRE_SECOND_FACTOR=False)
def test_a_family_registered_in_ukrainian_gets_a_confirmed_school_place(page, browser, live_server, cologne):
    centre, comprehensive, gymnasium, staff, contact, gymnasium_contact = cologne
    term = term_choices()[0][0]

    # 1. The family, on the public page, in Ukrainian through the page's own language switch.
    page.goto("/schule/anmeldung/")
    page.get_by_label("Sprache", exact=True).select_option("uk")
    page.get_by_role("button", name="Sprache wechseln").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "uk"
    page.get_by_role("heading", name="Запишіть дитину до школи").wait_for()
    opened = time.monotonic()
    _assert_accessible(page, "pre-registration form (uk)")
    _fill_family_form(page)
    # The form refuses answers sent faster than a person types; a person takes at least this long.
    remaining = MIN_FILL_SECONDS + 1 - (time.monotonic() - opened)
    if remaining > 0:
        page.wait_for_timeout(remaining * 1000)
    page.get_by_role("button", name="Надіслати реєстрацію").click()
    page.wait_for_url(re.compile(r"/schule/anmeldung/danke/$"))
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.get_by_role("heading", name="Дякуємо за реєстрацію").is_visible()
    assert page.get_by_text(f"Вашу реєстрацію отримав: {centre.name}.").is_visible()
    _assert_accessible(page, "pre-registration confirmation (uk)")
    preregistration = PreRegistration.objects.for_centre(centre).get()
    assert preregistration.language == "uk"

    staff_page = _new_page(browser, live_server)
    school_page = _new_page(browser, live_server)
    try:
        # 2. Centre staff accept the pre-registration, invite the child and record the assessment.
        _log_in(staff_page, staff)
        staff_page.goto("/schule/voranmeldungen/")
        _assert_accessible(staff_page, "pre-registration list")
        staff_page.get_by_role("link", name=re.compile("Коваленко")).click()
        staff_page.wait_for_url(re.compile(rf"/schule/voranmeldungen/{preregistration.pk}/$"))
        _assert_accessible(staff_page, "pre-registration detail")
        for new_person in staff_page.get_by_label("Neue Person").all():
            new_person.check()
        staff_page.get_by_role("button", name="Annehmen und Datensätze anlegen").click()
        staff_page.wait_for_url(re.compile(r"/schule/voranmeldungen/$"))
        intakes = Intake.objects.for_centre(centre).select_related("child")
        assert sorted(intake.child.given_names for intake in intakes) == ["Андрій", "Олена"]
        olena = intakes.get(child__given_names="Олена")

        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        staff_page.goto("/schule/beratung/termine/neu/")
        staff_page.get_by_label("Tag").fill(tomorrow.isoformat())
        staff_page.get_by_label("Von").fill("10:00")
        staff_page.get_by_label("Bis").fill("11:00")
        staff_page.get_by_label(re.compile("^Ort")).fill("Kommunales Integrationszentrum, Raum 2.14")
        staff_page.get_by_role("button", name="Speichern").click()
        staff_page.wait_for_url(re.compile(r"/schule/beratung/termine/$"))

        staff_page.goto("/schule/anmeldungen/")
        staff_page.get_by_role("link", name="Коваленко, Олена").click()
        staff_page.get_by_role("link", name="Zur Beratung einladen").click()
        assert staff_page.get_by_label("Sprache des Briefs").input_value() == "uk"
        staff_page.get_by_role("button", name="Einladen").click()
        staff_page.wait_for_url(re.compile(r"/schule/beratung/einladungen/\d+/$"))
        letter_link = staff_page.get_by_role("link", name="Brief herunterladen (PDF)")
        _assert_pdf(staff_page, letter_link.get_attribute("href"))

        staff_page.get_by_role("link", name="Einschätzung erfassen").click()
        staff_page.wait_for_url(re.compile(rf"/schule/beratung/einschaetzung/{olena.pk}/$"))
        _assert_accessible(staff_page, "assessment form")
        staff_page.get_by_label("Deutschkenntnisse").select_option("A1")
        staff_page.get_by_label("Mathematikkenntnisse").select_option("at")
        staff_page.get_by_label("Empfohlene Klasse").fill("5")
        staff_page.get_by_label("Gesamtschule", exact=True).check()
        staff_page.get_by_role("button", name="Speichern").click()
        staff_page.wait_for_url(re.compile(rf"/schule/beratung/einschaetzung/{olena.pk}/$"))
        olena.refresh_from_db()
        assert olena.status == IntakeStatus.ASSESSED

        staff_page.goto("/schule/wartezeit/")
        assert staff_page.get_by_text("2 Kinder warten auf einen Schulplatz.").is_visible()

        # 3. The schools enter their seats for grade 5 in the term of the run.
        for user, seats in ((contact, "2"), (gymnasium_contact, "3")):
            _log_in(school_page, user)
            school_page.goto("/schule/plaetze/")
            school_page.get_by_role("link", name="Plätze eintragen").click()
            if user == contact:
                _assert_accessible(school_page, "seats form")
            school_page.get_by_label("Schulhalbjahr").select_option(term)
            school_page.get_by_label("Klasse").select_option("5")
            # Two apps translate "Seats for newcomers" differently; the one that wins depends on the app order.
            school_page.get_by_label(re.compile(r"^Plätze für")).fill(seats)
            school_page.get_by_role("button", name="Speichern").click()
            school_page.wait_for_url(re.compile(r"/schule/plaetze/\?term="))
            school_page.context.clear_cookies()

        # 4. Staff start the run; the background job runs on a real worker; staff review and release.
        staff_page.goto("/schule/platzvergabe/")
        staff_page.get_by_label("Schulhalbjahr").select_option(term)
        staff_page.get_by_role("button", name="Zuweisungslauf starten").click()
        staff_page.wait_for_url(re.compile(r"/schule/platzvergabe/\d+/$"))
        run_worker_until_idle("placement", timeout=60)
        # No reload: the page asks every 2 s and reloads itself when the run is done (HX-Refresh); a reload of ours
        # would race with it.
        proposals = staff_page.get_by_role("table", name="Vorschläge")
        expect(proposals).to_be_visible()
        row = proposals.get_by_role("row").filter(has_text="Олена Коваленко")
        assert comprehensive.name in row.inner_text()
        # The explanation names the nearer school the child was not sent to.
        assert gymnasium.name in row.inner_text()
        _assert_accessible(staff_page, "placement review")
        staff_page.get_by_role("button", name="Vorschläge an die Schulen freigeben").click()
        staff_page.wait_for_load_state()
        placement = Placement.objects.for_centre(centre).get(intake=olena)
        assert placement.status == PlacementStatus.RELEASED

        # 5. The school confirms the place with a start date.
        _log_in(school_page, contact)
        school_page.goto("/schule/schule/vorschlaege/")
        _assert_accessible(school_page, "school proposals")
        school_page.get_by_role("row").filter(has_text="Олена Коваленко").get_by_role("link", name="Bestätigen").click()
        start = timezone.localdate() + datetime.timedelta(days=14)
        school_page.get_by_label("Beginn").fill(start.isoformat())
        school_page.get_by_role("button", name="Bestätigen").click()
        school_page.wait_for_url(re.compile(r"/schule/schule/vorschlaege/$"))
        placement.refresh_from_db()
        assert placement.status == PlacementStatus.CONFIRMED
        assert placement.start_date == start

        # 6. Staff download the family's letter and see one child fewer waiting.
        staff_page.goto("/schule/platzvergabe/bestaetigt/")
        confirmed = staff_page.get_by_role("row").filter(has_text="Олена Коваленко")
        assert comprehensive.name in confirmed.inner_text()
        _assert_pdf(staff_page, confirmed.get_by_role("link", name="Brief an die Familie (PDF)").get_attribute("href"))
        staff_page.goto("/schule/wartezeit/")
        assert staff_page.get_by_text("1 Kind wartet auf einen Schulplatz.").is_visible()
        olena.refresh_from_db()
        assert olena.status == IntakeStatus.CONFIRMED
    finally:
        staff_page.context.close()
        school_page.context.close()
