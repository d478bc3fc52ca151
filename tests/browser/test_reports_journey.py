"""Annual reports and the evaluation extract in the real browser, with axe-core scans.

A centre lead opens the centre's annual report and asks for its PDF; a job on a real worker prepares it while the
status page waits; the lead downloads it. A state analyst opens the state's report. A researcher chooses a period,
asks for the extract as CSV, and downloads it once the job has prepared it; the codebook explains it.
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
from ankommen.core.models import AccessLogEntry, AccessPurpose
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.tests.factories import CentreFactory
from ankommen.schooling.tests.factories import IntakeFactory
from tests.browser.conftest import axe_violations
from tests.workers import run_worker_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST_YEAR = timezone.localdate().year - 1


def _assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def _log_in(page, user) -> None:
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/$"))


def _member(email: str, role: Role, centre=None):
    user = UserFactory(email=email)
    MembershipFactory(user=user, role=role, centre=centre)
    return user


def _download_when_ready(page, where: str) -> bytes:
    expect(page.get_by_role("status")).to_contain_text("in der Warteschlange")
    _assert_accessible(page, f"{where}: status page while queued")
    run_worker_until_idle("reports")
    # No reload: the page asks every 2 s and reloads itself once the file is ready (HX-Refresh); a reload of ours
    # would race with it.
    expect(page.get_by_role("status")).to_contain_text("bereit zum Herunterladen")
    link = page.get_by_role("link", name=re.compile("herunterladen"))
    _assert_accessible(page, f"{where}: status page when ready")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    return response.body()


@override_settings(REQUIRE_SECOND_FACTOR=False)
def test_reports_and_the_extract_are_prepared_in_the_background(page, browser, live_server):
    cologne = CentreFactory(name="Kommunales Integrationszentrum Köln", slug="koeln")
    for day in range(1, 8):
        child = PersonFactory(centre=cologne, birth_date=datetime.date(2015, 3, 1))
        IntakeFactory(child=child, centre=cologne, registered_on=datetime.date(LAST_YEAR, 3, day))
    lead = _member("leitung@koeln.example", Role.CENTRE_LEAD, cologne)
    analyst = _member("analyse@land.example", Role.STATE_ANALYST)
    researcher = _member("forschung@uni.example", Role.RESEARCHER)

    # 1. The lead's annual report: the page, then its PDF prepared by the job.
    _log_in(page, lead)
    page.goto(f"/berichte/jahresbericht/?jahr={LAST_YEAR}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kommunales Integrationszentrum Köln")
    _assert_accessible(page, "centre annual report")
    page.get_by_role("button", name=f"Jahresbericht {LAST_YEAR} als PDF erstellen").click()
    pdf = _download_when_ready(page, "centre report")
    assert pdf.startswith(b"%PDF")
    page.goto(f"/berichte/jahresbericht/?jahr={LAST_YEAR}")
    expect(page.get_by_role("heading", name="Ihre Dateien")).to_be_visible()

    # 2. The analyst reads the state's report.
    context = browser.new_context(locale="de-DE", base_url=live_server.url, bypass_csp=True)
    state_page = context.new_page()
    state_page.set_default_timeout(30_000)
    _log_in(state_page, analyst)
    state_page.goto(f"/berichte/jahresbericht/land/?jahr={LAST_YEAR}")
    expect(state_page.get_by_role("heading", level=1)).to_contain_text("Nordrhein-Westfalen")
    _assert_accessible(state_page, "state annual report")
    context.close()

    # 3. The researcher takes the extract of March as CSV; the download is logged.
    context = browser.new_context(locale="de-DE", base_url=live_server.url, bypass_csp=True)
    research_page = context.new_page()
    research_page.set_default_timeout(30_000)
    _log_in(research_page, researcher)
    research_page.goto("/auswertung/")
    _assert_accessible(research_page, "evaluation extract")
    research_page.get_by_label("Erster Monat").fill(f"{LAST_YEAR}-03")
    research_page.get_by_label("Letzter Monat").fill(f"{LAST_YEAR}-03")
    research_page.get_by_role("button", name="Zeitraum wählen").click()
    research_page.get_by_role("button", name="Als CSV erstellen").click()
    assert not AccessLogEntry.objects.filter(purpose=AccessPurpose.EVALUATION).exists()
    extract = _download_when_ready(research_page, "evaluation extract").decode("utf-8-sig")
    assert extract.splitlines()[0] == "month;centre;variable;category;count;suppressed"
    assert "Köln" not in extract  # centres appear under their pseudonyms
    assert AccessLogEntry.objects.filter(purpose=AccessPurpose.EVALUATION).count() == 1
    research_page.goto("/auswertung/codebuch/")
    _assert_accessible(research_page, "codebook")
    context.close()
