"""The dashboards in the real browser, with axe-core scans.

A centre lead enters the month's own figures (an impossible number is refused with its rule), sets a target and
sees the centre's dashboard: trends, targets, what needs attention, the comparison. A state analyst sets a
traffic light and sees all centres in one table, the map with shapes per status, and the trend charts; a small
count of a centre is hidden.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.tests.factories import CentreFactory
from ankommen.reporting.indicators import previous_month
from ankommen.reporting.models import IndicatorTarget, ManualFigure
from ankommen.schooling.tests.factories import IntakeFactory
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def _log_in(page, user) -> None:
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/$"))


def _children(centre, count: int, registered_on: datetime.date) -> None:
    for _index in range(count):
        child = PersonFactory(centre=centre, birth_date=datetime.date(2015, 3, 1))
        IntakeFactory(child=child, centre=centre, registered_on=registered_on)


@override_settings(REQUIRE_SECOND_FACTOR=False)
def test_a_lead_and_an_analyst_read_their_dashboards(page, browser, live_server):
    month = previous_month(timezone.localdate())
    cologne = CentreFactory(name="Kommunales Integrationszentrum Köln", slug="koeln")
    small = CentreFactory(name="Kommunales Integrationszentrum Kleinstadt", slug="kleinstadt")
    _children(cologne, 12, month)
    _children(small, 2, month)
    # A third centre, so that hiding the small count needs only its 7 hidden beside it, not Köln's 12.
    _children(CentreFactory(name="Kommunales Integrationszentrum Mittelstadt", slug="mittelstadt"), 7, month)
    lead = UserFactory(email="leitung@koeln.example")
    MembershipFactory(user=lead, role=Role.CENTRE_LEAD, centre=cologne)
    analyst = UserFactory(email="analyse@land.example")
    MembershipFactory(user=analyst, role=Role.STATE_ANALYST, centre=None)

    # 1. The lead enters last month's own figures; too many participants for the events are refused.
    _log_in(page, lead)
    page.goto("/berichte/zentrum/eigene-zahlen/")
    _assert_accessible(page, "manual figures")
    page.get_by_label("Monat", exact=True).fill(month.strftime("%Y-%m"))
    page.get_by_label("Beratungskontakte ohne Fall", exact=True).fill("25")
    page.get_by_label("Veranstaltungen", exact=True).fill("1")
    page.get_by_label("Teilnehmende an Veranstaltungen", exact=True).fill("9000")
    page.get_by_label("beratene Schulen", exact=True).fill("0")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text(re.compile("nicht mehr als 5.?000 je Veranstaltung"))).to_be_visible()
    _assert_accessible(page, "manual figures with an error")
    page.get_by_label("Teilnehmende an Veranstaltungen", exact=True).fill("60")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text(re.compile("sind gespeichert"))).to_be_visible()
    assert ManualFigure.objects.for_centre(cologne).get().event_participants == 60

    # 2. A target, then the dashboard: trends with their tables, targets, the comparison.
    page.goto("/berichte/zentrum/ziele/")
    _assert_accessible(page, "targets")
    page.get_by_label(re.compile(r"^Kinder in der Schule")).fill("10")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r"/berichte/zentrum/$"))
    assert IndicatorTarget.objects.for_centre(cologne).get().indicator == "children_placed"
    expect(
        page.get_by_role("heading", name=re.compile("Übersicht: Kommunales Integrationszentrum Köln"))
    ).to_be_visible()
    expect(page.locator("svg").first).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Im Vergleich mit den anderen Zentren"))).to_be_visible()
    _assert_accessible(page, "centre dashboard")

    # 3. The analyst sets a traffic light and reads the state's table and map.
    context = browser.new_context(locale="de-DE", base_url=live_server.url, bypass_csp=True)
    analyst_page = context.new_page()
    analyst_page.set_default_timeout(30_000)
    _log_in(analyst_page, analyst)
    analyst_page.goto("/berichte/land/ampel/")
    _assert_accessible(analyst_page, "thresholds")
    analyst_page.get_by_label("Kennzahl", exact=True).select_option("children_registered")
    analyst_page.get_by_label("Gemessen als").select_option("value")
    analyst_page.get_by_label("Im Plan ab").fill("10")
    analyst_page.get_by_label("Handlungsbedarf jenseits von").fill("1")
    analyst_page.get_by_role("button", name="Speichern").click()
    expect(analyst_page.get_by_text("Die Ampel ist gespeichert.")).to_be_visible()
    analyst_page.goto(f"/berichte/land/?month={month:%Y-%m}&measure=count")
    table = analyst_page.locator("#state-caption").locator("xpath=..")
    cologne_row = table.get_by_role("row", name=re.compile("Köln"))
    expect(cologne_row).to_contain_text("12")
    expect(cologne_row).to_contain_text("●")
    expect(table.get_by_role("row", name=re.compile("Kleinstadt"))).to_contain_text("×")
    expect(analyst_page.locator("figure svg")).to_have_count(4)
    _assert_accessible(analyst_page, "state dashboard")
    context.close()
