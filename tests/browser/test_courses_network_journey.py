"""Courses and the network in the real browser.

A teacher registers for a fully booked course and lands on the waiting list; the participant holding the seat
cancels through the link in their mail; the teacher moves up (mail with a new link and a calendar file), is
checked off on the tablet page on the course day and downloads the certificate of attendance. A family looks for
an Arabic-speaking counselling service near its postcode, in Arabic, right to left. A partner organisation logs in
to the partner portal and changes its opening hours.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from ankommen.courses import services as course_services
from ankommen.courses.models import Registration, RegistrationStatus, Session
from ankommen.courses.tests.factories import AudienceFactory, CourseFactory, TopicFactory
from ankommen.network.models import OrganisationKind, ServiceCategory
from ankommen.network.tests.factories import OrganisationFactory, ServiceFactory, partner_link
from ankommen.regions.models import Postcode
from ankommen.regions.tests.factories import CentreFactory, SchoolFactory
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"(/fortbildungen/teilnahme/[A-Za-z0-9_-]+/)")


def _assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}: " + "; ".join(f"{v['id']}: {v['help']}" for v in violations)


def _link_in_mail_to(address: str) -> str:
    message = [m for m in mail.outbox if m.to == [address]][-1]
    match = LINK.search(str(message.body))
    assert match, message.body
    return match.group(1)


def _log_in(page, user) -> None:
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/$"))


@pytest.fixture
def full_course():
    centre = CentreFactory(name="Kommunales Integrationszentrum Köln", slug="koeln")
    topic = TopicFactory(key="trauma-sensitive-teaching", name_de="Traumasensibler Unterricht", name_en="Trauma")
    teachers = AudienceFactory()
    course = CourseFactory(
        centre=centre,
        title="Traumasensibel unterrichten",
        topic=topic,
        audiences=[teachers],
        seats=1,
        credit_hours=Decimal("4.0"),
        with_sessions=0,
    )
    # The course day is today: registration is open until it starts, and the check-off happens on it.
    Session.objects.create(
        centre=centre,
        course=course,
        date=timezone.localdate(),
        starts_at=datetime.time(14, 0),
        ends_at=datetime.time(18, 0),
        place="KI Köln, Raum 3",
    )
    _holder, holder_secret = course_services.registration_create(
        course=course,
        given_name="Paul",
        family_name="Platzhalter",
        email="paul@example.org",
        audience=teachers,
        organisation="Realschule",
    )
    staff = UserFactory(email="fortbildung@example.org", display_name="Fortbildung Köln")
    MembershipFactory(user=staff, role=Role.CENTRE_STAFF, centre=centre)
    school = SchoolFactory(municipality__centre=centre, name="Gesamtschule Köln-Mülheim", number="195432")
    return course, holder_secret, staff, school


@override_settings(REQUIRE_SECOND_FACTOR=False)
def test_a_teacher_moves_up_from_the_waiting_list_attends_and_downloads_the_certificate(
    page, browser, live_server, full_course
):
    course, holder_secret, staff, school = full_course

    # 1. The catalogue, filtered by topic: the course is fully booked.
    page.goto("/fortbildungen/")
    _assert_accessible(page, "catalogue")
    page.get_by_label("Thema").select_option(label="Traumasensibler Unterricht")
    page.get_by_role("button", name="Fortbildungen anzeigen").click()
    page.get_by_role("link", name="Traumasensibel unterrichten").click()
    expect(page.get_by_text("Die Fortbildung ist ausgebucht.")).to_be_visible()
    _assert_accessible(page, "course page")

    # 2. The teacher registers with her school number: waiting list.
    page.get_by_label("Vorname").fill("Hatice")
    page.get_by_label("Familienname").fill("Yıldız")
    page.get_by_label("E-Mail-Adresse").fill("hatice.yildiz@example.org")
    page.get_by_label("Sie sind").select_option(label="Lehrkräfte")
    page.get_by_label("Schulnummer").fill(school.number)
    page.get_by_role("button", name="Auf die Warteliste setzen").click()
    expect(page.get_by_text("Sie stehen auf der Warteliste")).to_be_visible()
    _assert_accessible(page, "registered")
    teacher = Registration.objects.for_centre(course.centre).get(email="hatice.yildiz@example.org")
    assert teacher.status == RegistrationStatus.WAITING
    assert teacher.school == school

    # 3. The participant holding the seat cancels through the link in their mail.
    holder_context = browser.new_context(locale="de-DE", base_url=live_server.url, bypass_csp=True)
    holder_page = holder_context.new_page()
    holder_page.goto(f"/fortbildungen/teilnahme/{holder_secret}/")
    # The link only opens the registration in this browser: the page and its actions carry no secret.
    assert holder_page.url.endswith("/fortbildungen/teilnahme/")
    assert holder_secret not in holder_page.content()
    _assert_accessible(holder_page, "participation page")
    holder_page.get_by_role("button", name="Von der Fortbildung abmelden").click()
    expect(holder_page.get_by_text(re.compile("Ihre Anmeldung ist storniert"))).to_be_visible()
    holder_context.close()

    # 4. The teacher has moved up: a mail with the calendar file and her new link.
    moved_up = [m for m in mail.outbox if m.to == ["hatice.yildiz@example.org"]][-1]
    assert "nachgerückt" in moved_up.subject or "Platz" in moved_up.subject
    assert moved_up.attachments[0][0] == "fortbildung.ics"
    link = _link_in_mail_to("hatice.yildiz@example.org")
    page.goto(link)
    assert page.url.endswith("/fortbildungen/teilnahme/")
    assert page.locator("#registration-status").inner_text() == "bestätigt"

    # 5. On the course day staff check her off on the tablet page.
    staff_context = browser.new_context(
        locale="de-DE", base_url=live_server.url, bypass_csp=True, viewport={"width": 1024, "height": 768}
    )
    staff_page = staff_context.new_page()
    _log_in(staff_page, staff)
    staff_page.goto(f"/fortbildungen/verwaltung/{course.pk}/")
    _assert_accessible(staff_page, "course detail")
    staff_page.get_by_role("link", name=re.compile("Anwesenheit abhaken")).click()
    _assert_accessible(staff_page, "check-off")
    staff_page.get_by_role("button", name=re.compile("nicht abgehakt: Yıldız, Hatice")).click()
    expect(staff_page.get_by_role("button", name=re.compile("anwesend: Yıldız, Hatice"))).to_be_visible()
    expect(staff_page.get_by_text("1 von 1 anwesend")).to_be_visible()
    response = staff_page.request.get(f"/fortbildungen/verwaltung/{course.pk}/anwesenheitsliste.pdf")
    assert response.status == 200
    assert response.body().startswith(b"%PDF")
    staff_context.close()

    # 6. The teacher downloads her certificate of attendance (a later visit: the mailed link still works).
    page.goto(link)
    assert page.url.endswith("/fortbildungen/teilnahme/")
    expect(page.get_by_text(re.compile(r"Sie haben 4[.,]0 Fortbildungsstunden besucht."))).to_be_visible()
    _assert_accessible(page, "participation with certificate")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Bescheinigung herunterladen (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "teilnahmebescheinigung.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"


@pytest.fixture
def cologne_network():
    centre = CentreFactory(name="Kommunales Integrationszentrum Köln", slug="koeln-netz")
    for code, lat, lon in [("50667", 50.9385, 6.9561), ("50733", 50.9610, 6.9510), ("51149", 50.9100, 7.0600)]:
        Postcode.objects.update_or_create(
            code=code, defaults={"places": "Köln", "region": centre.region, "latitude": lat, "longitude": lon}
        )
    near = OrganisationFactory(
        centre=centre,
        name="Caritas Migrationsdienst Nippes",
        kind=OrganisationKind.WELFARE_ASSOCIATION,
        welfare_association="caritas",
        postcode="50733",
        latitude=50.9610,
        longitude=6.9510,
        languages=["ar", "de"],
    )
    far = OrganisationFactory(
        centre=centre,
        name="AWO Beratungszentrum Porz",
        kind=OrganisationKind.WELFARE_ASSOCIATION,
        welfare_association="awo",
        postcode="51149",
        latitude=50.9100,
        longitude=7.0600,
        languages=["ar", "tr"],
    )
    german_only = OrganisationFactory(centre=centre, name="Familienbüro Innenstadt", languages=["de"])
    for organisation in (near, far, german_only):
        ServiceFactory(
            organisation=organisation,
            category=ServiceCategory.FAMILY_COUNSELLING,
            name=f"Familienberatung {organisation.name.split()[0]}",
        )
    return near, far


def test_a_family_finds_an_arabic_speaking_counselling_service_near_its_postcode(page, cologne_network):
    near, _far = cologne_network
    page.goto("/netzwerk/angebote/")
    _assert_accessible(page, "finder (German)")
    page.get_by_label("Sprache", exact=True).select_option("ar")
    page.get_by_role("button", name="Sprache wechseln").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    page.get_by_label("عمّا تبحث؟").select_option("family_counselling")
    page.get_by_label("بأي لغة؟").select_option("ar")
    page.get_by_label("بالقرب من أي رمز بريدي؟").fill("50667")
    page.get_by_role("button", name="بحث").click()
    results = page.locator(".ankommen-result h3")
    assert results.all_inner_texts() == ["Familienberatung Caritas", "Familienberatung AWO"]
    assert "Familienbüro" not in page.content()
    _assert_accessible(page, "finder results (Arabic)")
    results.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name=near.name)).to_be_visible()
    assert page.locator("html").get_attribute("dir") == "rtl"
    _assert_accessible(page, "organisation (Arabic)")


def test_a_partner_keeps_the_own_entry_in_the_partner_portal(browser, live_server, cologne_network):
    near, far = cologne_network
    partner = UserFactory(email="partner@caritas.example", display_name="Caritas Köln")
    partner_link(near, partner)
    context = browser.new_context(base_url=live_server.url, locale="de-DE", bypass_csp=True)
    page = context.new_page()
    _log_in(page, partner)
    page.get_by_role("link", name="Partnerportal").first.click()
    expect(page.get_by_role("heading", name=re.compile(near.name))).to_be_visible()
    assert far.name not in page.content()
    _assert_accessible(page, "partner portal")
    page.get_by_role("link", name="Unseren Eintrag ändern").click()
    _assert_accessible(page, "partner entry form")
    page.get_by_label("Öffnungszeiten").fill("Mo–Fr 9–13 Uhr")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Mo–Fr 9–13 Uhr")).to_be_visible()
    context.close()
    near.refresh_from_db()
    assert near.opening_hours == "Mo–Fr 9–13 Uhr"
