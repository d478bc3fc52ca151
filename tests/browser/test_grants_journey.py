"""Grants in the real browser.

A partner organisation applies for KOMM-AN funds; the centre's staff approve part of it (an amount above the one
requested is refused first), download the decision letter and pay a first instalment; the partner submits the
proof of use, staff accept it. The state's analyst sees the sums of all centres. Each main page gets an axe scan.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from ankommen.grants.models import Grant, GrantStatus, Payment, ProofOfUse, ProofStatus
from ankommen.grants.tests import factories
from ankommen.network.tests.factories import OrganisationFactory, partner_contact
from ankommen.regions.tests.factories import CentreFactory
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def _new_page(browser, live_server):
    context = browser.new_context(locale="de-DE", base_url=live_server.url, bypass_csp=True, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def _log_in(page, user) -> None:
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/$"))


@pytest.fixture
def cologne():
    centre = CentreFactory(name="Kommunales Integrationszentrum Köln", slug="koeln")
    factories.allocation(centre, "20000")
    staff = UserFactory(email="foerderung@example.org", display_name="Förderung Köln")
    MembershipFactory(user=staff, role=Role.CENTRE_STAFF, centre=centre)
    organisation = OrganisationFactory(centre=centre, name="Sprachbrücke Ehrenfeld e.V.")
    partner = partner_contact(
        organisation, UserFactory(email="vorstand@sprachbruecke.example", display_name="Jana Vorstand")
    )
    analyst = factories.analyst()
    return centre, staff, organisation, partner, analyst


@override_settings(REQUIRE_SECOND_FACTOR=False)
def test_a_partner_applies_staff_approve_and_pay_and_the_proof_of_use_is_accepted(browser, live_server, cologne):
    centre, staff, organisation, partner, analyst = cologne
    due = timezone.localdate() + datetime.timedelta(days=120)

    # 1. The partner organisation applies.
    partner_page = _new_page(browser, live_server)
    _log_in(partner_page, partner)
    partner_page.goto("/foerderung/partner/")
    _assert_accessible(partner_page, "partner's applications")
    partner_page.get_by_role("link", name="Fördermittel beantragen").click()
    partner_page.wait_for_url(re.compile(r"/foerderung/partner/neu/$"))
    partner_page.get_by_label("Vorhaben", exact=True).fill("Sprachcafé mit Kinderbetreuung")
    partner_page.get_by_label("Wofür werden die Mittel gebraucht?").fill("Honorare und Material für 40 Treffen.")
    partner_page.get_by_label("Beantragter Betrag (EUR)").fill("2500")
    assert partner_page.get_by_label("Ansprechperson", exact=True).input_value() == "Jana Vorstand"
    _assert_accessible(partner_page, "application form")
    partner_page.get_by_role("button", name="Speichern").click()
    grant = Grant.objects.for_centre(centre).get()
    partner_page.wait_for_url(re.compile(rf"/foerderung/partner/{grant.pk}/$"))
    assert grant.organisation == organisation
    partner_page.get_by_text("Das Integrationszentrum hat noch nicht entschieden.").wait_for()
    _assert_accessible(partner_page, "application of the partner")

    # 2. Staff approve; more than requested is refused first.
    staff_page = _new_page(browser, live_server)
    _log_in(staff_page, staff)
    staff_page.goto("/foerderung/")
    _assert_accessible(staff_page, "centre's grants")
    staff_page.get_by_role("link", name=grant.number).click()
    staff_page.wait_for_url(re.compile(rf"/foerderung/antraege/{grant.pk}/$"))
    _assert_accessible(staff_page, "grant detail")
    staff_page.get_by_role("link", name="Entscheiden").click()
    staff_page.get_by_label("bewilligen").check()
    staff_page.get_by_label("Bewilligter Betrag (EUR)").fill("3000")
    staff_page.get_by_label("Verwendungsnachweis fällig am").fill(due.isoformat())
    staff_page.get_by_role("button", name="Speichern").click()
    staff_page.get_by_text("Die Organisation hat 2.500,00 € beantragt").wait_for()
    assert Grant.objects.for_centre(centre).get().status == GrantStatus.APPLIED
    _assert_accessible(staff_page, "decision form with an error")
    staff_page.get_by_label("Bewilligter Betrag (EUR)").fill("2000")
    staff_page.get_by_role("button", name="Speichern").click()
    staff_page.wait_for_url(re.compile(rf"/foerderung/antraege/{grant.pk}/$"))
    assert Grant.objects.for_centre(centre).get().approved_amount == Decimal("2000.00")

    # 3. The decision letter, then a first instalment.
    with staff_page.expect_download() as download:
        staff_page.get_by_role("link", name="Bescheid herunterladen (PDF)").click()
    with open(download.value.path(), "rb") as letter:
        assert letter.read(4) == b"%PDF"
    staff_page.get_by_role("link", name="Auszahlung erfassen").click()
    staff_page.get_by_label("Betrag (EUR)", exact=True).fill("1000")
    _assert_accessible(staff_page, "payment form")
    staff_page.get_by_role("button", name="Speichern").click()
    staff_page.wait_for_url(re.compile(rf"/foerderung/antraege/{grant.pk}/$"))
    staff_page.get_by_text("Noch auszuzahlen: 1.000,00 €").wait_for()
    assert [p.amount for p in Payment.objects.for_centre(centre)] == [Decimal("1000.00")]

    # 4. The partner sees the payment and submits the proof of use.
    partner_page.reload()
    partner_page.get_by_role("link", name="Verwendungsnachweis einreichen").click()
    partner_page.get_by_label("Sachbericht zur Verwendung der Mittel").fill("38 Treffen mit je 15 Teilnehmenden.")
    partner_page.get_by_label("Ausgegebener Betrag (EUR)").fill("1950")
    _assert_accessible(partner_page, "proof of use form")
    partner_page.get_by_role("button", name="Speichern").click()
    partner_page.wait_for_url(re.compile(rf"/foerderung/partner/{grant.pk}/$"))
    partner_page.get_by_text("eingereicht, zu prüfen").wait_for()

    # 5. Staff accept it.
    staff_page.reload()
    staff_page.get_by_role("link", name="Verwendungsnachweis prüfen").click()
    staff_page.get_by_label("Verwendungsnachweis anerkennen").check()
    _assert_accessible(staff_page, "proof check")
    staff_page.get_by_role("button", name="Speichern").click()
    staff_page.wait_for_url(re.compile(rf"/foerderung/antraege/{grant.pk}/$"))
    assert ProofOfUse.objects.for_centre(centre).get().status == ProofStatus.ACCEPTED
    staff_page.goto("/foerderung/haushalt/")
    _assert_accessible(staff_page, "centre budget")

    # 6. The state sees sums only.
    state_page = _new_page(browser, live_server)
    _log_in(state_page, analyst)
    state_page.goto(f"/foerderung/land/?year={grant.year}")
    state_page.get_by_role("rowheader", name="Kommunales Integrationszentrum Köln").wait_for()
    assert "Jana Vorstand" not in state_page.content()
    _assert_accessible(state_page, "state budget table")
    state_page.goto("/foerderung/land/programme/")
    state_page.get_by_role("link", name="KOMM-AN NRW").click()
    _assert_accessible(state_page, "programme detail")
