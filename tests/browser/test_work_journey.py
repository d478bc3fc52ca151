"""A training place from the employer's offer to the signed contract, in the real browser.

An employer posts an Ausbildung offer; it appears on the public board; staff find a candidate through the matching
and propose her; she agrees to share her name and availability; staff share the profile; the employer sees only
those parts, records the interview and the contract; the centre's figures count the placement.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import override_settings
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from ankommen.regions.tests.factories import CentreFactory
from ankommen.work.models import Application, Offer, Stage
from ankommen.work.tests import factories
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cologne():
    centre = CentreFactory(name="Kommunales Integrationszentrum Köln", slug="koeln")
    factories.postcode(centre)
    factories.occupation()
    factories.occupation("http://data.europa.eu/esco/occupation/test-nurse", "2221", "Pflegefachmann/Pflegefachfrau")
    staff = UserFactory(email="vermittlung@example.org", display_name="Vermittlung Köln")
    MembershipFactory(user=staff, role=Role.CENTRE_STAFF, centre=centre)
    organisation = factories.employer(centre, name="Gasthaus am Dom")
    contact = factories.employer_contact(organisation, UserFactory(email="chef@gasthaus.example"))
    # A candidate who fits (cook, B1, lives nearby) and one whose permit does not allow work yet.
    amina = factories.profile(centre, staff, factories.person(centre, "Amina", "Haddad", by=staff))
    factories.profile(
        centre,
        staff,
        factories.person(centre, "Lina", "Saleh", by=staff),
        permit=factories.permit("no_work_yet"),
    )
    return centre, staff, organisation, contact, amina


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


def _placements_shown(page) -> str:
    page.goto("/arbeit/zahlen/")
    return page.locator("[data-figure=placements]").inner_text().strip()


@override_settings(REQUIRE_SECOND_FACTOR=False)
def test_an_ausbildung_offer_ends_in_a_contract_and_the_figures_count_it(page, browser, live_server, cologne):
    centre, staff, _organisation, contact, amina = cologne
    start = timezone.localdate() + datetime.timedelta(days=60)

    # 1. The employer posts an Ausbildung offer; the occupation comes from the ESCO suggestions.
    _log_in(page, contact)
    page.goto("/arbeit/betrieb/")
    _assert_accessible(page, "employer portal")
    page.get_by_role("link", name="Angebot einstellen").click()
    page.wait_for_url(re.compile(r"/arbeit/betrieb/angebote/neu/$"))
    page.locator("#id_kind").select_option("ausbildung")
    page.locator("#id_title").fill("Ausbildung zum Koch / zur Köchin")
    page.locator("#id_occupation").press_sequentially("Koch", delay=50)
    page.locator('#id_occupation-options option[value="Koch/Köchin"]').wait_for(state="attached")
    page.locator("#id_occupation").fill("Koch/Köchin")
    page.locator("#id_postcode").fill("50667")
    page.locator("#id_place").fill("Köln")
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_seats").fill("2")
    page.locator("#id_hours_per_week").fill("39")
    page.locator("#id_german_level").select_option("A2")
    _assert_accessible(page, "offer form")
    # Bad input first: no places at all is refused with a clear message, nothing is written.
    page.locator("#id_seats").fill("0")
    page.get_by_role("button", name="Angebot veröffentlichen").click()
    page.get_by_text("Ein Angebot hat zwischen 1 und 100 Plätzen.").wait_for()
    assert not Offer.objects.for_centre(centre).exists()
    _assert_accessible(page, "offer form with an error")
    page.locator("#id_seats").fill("2")
    page.get_by_role("button", name="Angebot veröffentlichen").click()
    page.wait_for_url(re.compile(r"/arbeit/betrieb/$"))
    offer = Offer.objects.for_centre(centre).get()
    assert offer.kind == "ausbildung"
    assert offer.occupation.label == "Koch/Köchin"

    # 2. The public board shows it, without any person.
    board = _new_page(browser, live_server)
    board.goto("/arbeit/angebote/")
    board.get_by_role("link", name="Ausbildung zum Koch / zur Köchin").wait_for()
    assert "Haddad" not in board.content()
    _assert_accessible(board, "public offer board")

    staff_page = _new_page(browser, live_server)
    try:
        # 3. Staff look at the figures, then find the candidate through the matching and propose her.
        _log_in(staff_page, staff)
        assert _placements_shown(staff_page) == "0"
        _assert_accessible(staff_page, "work figures")
        staff_page.goto("/arbeit/stellen/")
        _assert_accessible(staff_page, "offer list")
        staff_page.get_by_role("link", name="Ausbildung zum Koch / zur Köchin").click()
        staff_page.wait_for_url(re.compile(rf"/arbeit/stellen/{offer.pk}/passende/$"))
        staff_page.get_by_text("derselbe Beruf").first.wait_for()
        assert "Lina Saleh" not in staff_page.content()  # excluded by her work permit
        _assert_accessible(staff_page, "matching candidates")
        staff_page.get_by_role("button", name="Amina Haddad vorschlagen").click()
        application = Application.objects.for_centre(centre).get()
        staff_page.wait_for_url(re.compile(rf"/arbeit/vermittlungen/{application.pk}/$"))
        _assert_accessible(staff_page, "application")

        # 4. The employer does not see her yet.
        response = page.request.get(f"/arbeit/betrieb/bewerbungen/{application.pk}/")
        assert response.status == 404

        # 5. She agrees to share her name and availability (not her phone); staff share the profile.
        staff_page.locator("input[name=shared_fields][value=german_level]").uncheck()
        staff_page.locator("input[name=shared_fields][value=name]").check()
        staff_page.locator("input[name=shared_fields][value=availability]").check()
        staff_page.get_by_role("button", name="Zustimmung eintragen").click()
        staff_page.get_by_role("button", name="Profil an den Betrieb weitergeben").click()
        staff_page.get_by_text("Mit dem Betrieb geteilt").wait_for()
        application.refresh_from_db()
        assert application.stage == Stage.SHARED
        assert application.shared_fields == ["availability", "name"]

        # 6. The employer sees only those parts, records the interview and the contract.
        page.goto("/arbeit/betrieb/")
        page.get_by_role("link", name=f"Bewerbung Nr. {application.pk}").click()
        page.wait_for_url(re.compile(rf"/arbeit/betrieb/bewerbungen/{application.pk}/$"))
        page.get_by_text("Amina Haddad").wait_for()
        assert "+49 221" not in page.content()
        _assert_accessible(page, "shared profile")
        page.locator("#id_interview_at").fill(f"{timezone.localdate().isoformat()}T10:00")
        page.get_by_role("button", name="Vorstellungsgespräch eintragen").click()
        page.wait_for_url(re.compile(rf"/arbeit/betrieb/bewerbungen/{application.pk}/$"))
        page.locator("#id_contract_kind").select_option("ausbildung")
        page.locator("#id_contract_start").fill(start.isoformat())
        page.locator("#id_signed_on").fill(timezone.localdate().isoformat())
        page.get_by_role("button", name="Vertrag eintragen").click()
        page.wait_for_url(re.compile(rf"/arbeit/betrieb/bewerbungen/{application.pk}/$"))
        page.get_by_text("Vertrag: Ausbildungsvertrag").wait_for()
        application.refresh_from_db()
        assert application.stage == Stage.CONTRACT

        # 7. The figures count the placement.
        assert _placements_shown(staff_page) == "1"
        staff_page.goto(f"/arbeit/vermittlungen/{application.pk}/")
        for stage in ("Vorgeschlagen", "Weitergabe zugestimmt", "Vorstellungsgespräch", "Vertrag unterschrieben"):
            assert staff_page.get_by_role("cell", name=stage, exact=False).count() >= 1, stage
        amina.refresh_from_db()
        assert amina.status == "placed"
    finally:
        staff_page.context.close()
        board.context.close()
