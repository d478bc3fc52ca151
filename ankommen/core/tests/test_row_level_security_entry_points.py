"""The entry points that name no centre of a centre role work as the application role (docs/rls.md).

Public forms write for the centre they belong to, the portals of schools, volunteers and employers work in their
membership's centre, the operators' admin reads across centres, and the commands and jobs name their scope. Each
test runs the entry point as `ankommen_app` with no setting on the connection, as a fresh request or job starts,
and checks that the rows were written for the right centre and that nothing stays open afterwards.
"""

# mypy: disable-error-code="attr-defined"
from __future__ import annotations

import datetime
import re
import time
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import UserFactory
from ankommen.core.models import AccessLogEntry
from ankommen.core.row_level_security import CENTRE_SETTING, SCOPE_SETTING, app_role, centre_scope
from ankommen.core.tests.test_row_level_security import visible_person_names
from ankommen.courses.models import Registration, RegistrationStatus
from ankommen.courses.tests.factories import CourseFactory
from ankommen.imports import services as imports
from ankommen.imports.models import ImportKind, ImportStatus
from ankommen.people.models import Person
from ankommen.people.tests.factories import PersonFactory, PostcodeFactory
from ankommen.regions.models import Postcode
from ankommen.regions.tests.factories import MunicipalityFactory, SchoolFactory
from ankommen.schooling.forms_preregistration import started_token as preregistration_started
from ankommen.schooling.models import PlacementStatus, PreRegistration, SeatOffer
from ankommen.schooling.selectors import term_choices
from ankommen.schooling.tests.placement_factories import released_placement, school_in
from ankommen.volunteering.forms import started_token as signup_started
from ankommen.volunteering.models import Volunteer, VolunteerStatus
from ankommen.volunteering.tests.factories import volunteer_in
from ankommen.work.models import Employer, EmployerStatus
from ankommen.work.tests.test_employers import _signup as employer_signup
from tests.rls import as_app_role

pytestmark = pytest.mark.django_db


def connection_settings() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true), current_setting(%s, true)", [CENTRE_SETTING, SCOPE_SETTING])
        return cursor.fetchone()


def current_role() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return str(cursor.fetchone()[0])


def preregistration_entries() -> dict[str, str]:
    """A family's valid pre-registration for Köln (50667), started a minute ago."""
    return {
        "guardian-TOTAL_FORMS": "1",
        "guardian-INITIAL_FORMS": "0",
        "guardian-MIN_NUM_FORMS": "1",
        "guardian-MAX_NUM_FORMS": "2",
        "guardian-0-given_names": "Olena",
        "guardian-0-family_name": "Kovalenko",
        "guardian-0-relation": "mother",
        "guardian-0-phone": "+49 221 1234567",
        "child-TOTAL_FORMS": "1",
        "child-INITIAL_FORMS": "0",
        "child-MIN_NUM_FORMS": "1",
        "child-MAX_NUM_FORMS": "5",
        "child-0-given_names": "Mariia",
        "child-0-family_name": "Kovalenko",
        "child-0-birth_date": "2015-03-01",
        "child-0-gender": "female",
        "child-0-first_language": "uk",
        "street": "Domstraße 1",
        "postcode": "50667",
        "place": "Köln",
        "arrived_on": "2025-09-01",
        "consent": "on",
        "website": "",
        "started": preregistration_started(time.time() - 60),
    }


def volunteer_signup_entries() -> dict[str, object]:
    """A volunteer's valid sign-up in Köln (50667)."""
    return {
        "display_name": "Amina Haddad",
        "email": "amina@example.org",
        "password": "ein-langes-Passwort-2026",
        "postcode": "50667",
        "radius_km": "10",
        "max_parallel": "2",
        "activities": ["homework_help"],
        "language_0": "ar",
        "level_0": "native",
        "day_0": ["1"],
        "consent": "on",
        "started": signup_started(time.time() - 10),
    }


def course_registration_entries(course) -> dict[str, str]:
    """A teacher's valid registration for the course."""
    return {
        "given_name": "Lena",
        "family_name": "Schulz",
        "email": "lena@example.org",
        "audience": str(course.audiences.first().pk),
        "organisation": "Gesamtschule Nord",
    }


def test_a_familys_pre_registration_is_written_for_the_centre_it_chose(client, centre, other_centre):
    PostcodeFactory(code="50667", places="Köln", region=centre.region)
    form = preregistration_entries()
    with as_app_role():
        response = client.post("/schule/anmeldung/", form)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert connection_settings() == ("", "")
        assert not PreRegistration.unscoped_base.exists()  # nothing is visible without a centre again
    assert list(PreRegistration.objects.dangerously_unscoped().values_list("centre_id", flat=True)) == [centre.pk]


def test_a_volunteer_signs_up_and_confirms_the_address_as_the_application_role(
    client, centre, django_capture_on_commit_callbacks
):
    Postcode.objects.create(code="50667", places="Köln", region=centre.region, latitude=50.94, longitude=6.95)
    form = volunteer_signup_entries()
    with as_app_role():
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("volunteering:signup"), form)
        assert response.status_code == 302
        link = re.search(r"http\S+", mail.outbox[-1].body).group(0)  # type: ignore[union-attr]
        assert client.get(link.removeprefix("http://127.0.0.1:8000")).status_code == 200
        assert connection_settings() == ("", "")
    volunteer = Volunteer.objects.for_centre(centre).get()
    assert volunteer.status == VolunteerStatus.AWAITING_VERIFICATION
    assert volunteer.user.is_active


def test_a_course_registration_and_the_participants_page_work_in_the_courses_centre(
    client, django_capture_on_commit_callbacks
):
    course = CourseFactory(seats=2)
    data = course_registration_entries(course)
    with as_app_role():
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("courses:course_public", args=[course.pk]), data)
        assert response.status_code == 302
        secret = re.search(r"/fortbildungen/teilnahme/([A-Za-z0-9_-]+)/", str(mail.outbox[-1].body)).group(1)  # type: ignore[union-attr]
        client.get(reverse("courses:participation_link", args=[secret]))
        page = client.get(reverse("courses:participation"))
        assert page.status_code == 200
        assert course.title in page.content.decode()
        assert client.post(reverse("courses:participation_cancel")).status_code == 302
        assert connection_settings() == ("", "")
    registration = Registration.objects.for_centre(course.centre).get()
    assert registration.status == RegistrationStatus.CANCELLED


def test_an_employer_signs_up_for_the_centre_it_chose(client, centre, other_centre):
    Postcode.objects.create(code="50667", places="Köln", region=centre.region, latitude=50.94, longitude=6.96)
    with as_app_role():
        response = client.post(reverse("work:employer_signup"), employer_signup(centre))
        assert response.status_code == 302
        assert connection_settings() == ("", "")
    assert Employer.objects.for_centre(centre).get().status == EmployerStatus.PENDING
    assert not Employer.objects.for_centre(other_centre).exists()


def test_a_school_contact_sees_and_confirms_its_schools_proposals_in_the_schools_centre(
    centre, staff, make_member, login
):
    school = school_in(centre, latitude=50.94, longitude=6.96)
    proposal = released_placement(centre, school, staff)
    client = login(make_member(Role.SCHOOL_CONTACT, school=school))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with as_app_role():
        listed = client.get(reverse("schooling:school_proposal_list"))
        assert listed.status_code == 200
        assert proposal.intake.child.family_name in listed.content.decode()
        confirmed = client.post(
            reverse("schooling:school_proposal_confirm", args=[proposal.pk]), {"start_date": tomorrow.isoformat()}
        )
        assert confirmed.status_code == 302
        assert connection_settings() == ("", "")
    proposal.refresh_from_db()
    assert proposal.status == PlacementStatus.CONFIRMED


def test_a_volunteers_portal_works_in_the_centre_of_the_membership(centre, login):
    volunteer = volunteer_in(centre)
    client = login(volunteer.user)
    with as_app_role():
        response = client.get(reverse("volunteering:portal"))
        assert response.status_code == 200
        assert connection_settings() == ("", "")


def test_the_operators_admin_reads_every_centre_and_logs_each_persons_centre(login, centre, other_centre):
    inside = PersonFactory(centre=centre, family_name="Inside")
    outside = PersonFactory(centre=other_centre, family_name="Outside")
    operator = login(UserFactory(is_staff=True, is_superuser=True))
    with as_app_role():
        listed = operator.get("/admin/people/person/")
        assert listed.status_code == 200
        assert {"Inside", "Outside"} <= set(re.findall(r"Inside|Outside", listed.content.decode()))
        detail = operator.get(f"/admin/people/person/{outside.pk}/change/")
        assert detail.status_code == 200
        assert connection_settings() == ("", "")
        assert visible_person_names() == set()
    logged = AccessLogEntry.objects.filter(record_id__in=[str(inside.pk), str(outside.pk)])
    assert {(entry.record_id, entry.centre_id) for entry in logged} == {
        (str(inside.pk), centre.pk),
        (str(outside.pk), other_centre.pk),
    }


def test_someone_not_an_operator_gets_no_centre_from_the_admin(login, centre):
    PersonFactory(centre=centre, family_name="Inside")
    client = login(UserFactory(is_staff=False))
    with as_app_role():
        response = client.get("/admin/people/person/")
        assert response.status_code == 302  # to the admin's login
        assert connection_settings() == ("", "")


def test_the_import_jobs_work_in_the_runs_centre_as_the_application_role(centre, other_centre, staff):
    SchoolFactory(municipality=MunicipalityFactory(centre=centre), number="123456")
    term = term_choices()[1][0]
    content = (
        "Schulnummer;Schulhalbjahr;Klasse;Art der Plätze;Plätze für Seiteneinsteigerinnen und Seiteneinsteiger\r\n"
        f"123456;{term};5;initial_support;12"
    ).encode()
    uploaded = imports.import_upload(centre=centre, by=staff, kind=ImportKind.SEATS, content=content, language="de")
    with as_app_role():
        checked = imports.import_check(run_id=str(uploaded.pk))
        assert checked is not None
        assert checked.status == ImportStatus.READY
        with centre_scope(centre.pk):
            imports.import_commit_request(run=checked, by=staff)
        committed = imports.import_commit(run_id=str(uploaded.pk))
        assert committed is not None
        assert committed.status == ImportStatus.COMMITTED
        assert connection_settings() == ("", "")
    assert list(SeatOffer.objects.for_centre(centre).values_list("seats", flat=True)) == [12]
    assert not SeatOffer.objects.for_centre(other_centre).exists()


def test_seed_demo_as_the_application_role_writes_every_centres_demo_and_leaves_the_role(db):
    koeln = MunicipalityFactory(name="Köln, Stadt", postcode="50667")
    centre = koeln.centre
    Postcode.objects.create(code="50667", places="Köln", region=centre.region, latitude=50.9, longitude=6.9)
    SchoolFactory(municipality=koeln)
    out = StringIO()
    with as_app_role():
        call_command("seed_demo", size="small", per_centre=20, stdout=out)
        assert current_role() == app_role()
        assert connection_settings() == ("", "")
        assert visible_person_names() == set()
    assert "Demo data loaded" in out.getvalue()
    assert Person.objects.for_centre(centre).count() == 20


# Every periodic job, and the test that runs it as a fresh worker does: the application role with no centre set.
# A job that touches no centre's table names the reason instead.
PERIODIC_JOBS_AS_THE_ROLE = {
    "retention_delete_expired": "ankommen/core/tests/test_retention.py::"
    "test_expired_records_are_gone_from_a_full_dump_and_open_cases_stay",
    "schooling_waiting_alert": "ankommen/core/tests/test_row_level_security.py::"
    "test_the_waiting_alert_job_writes_each_centres_row_in_that_centres_scope",
    "volunteering_clearance_expiry": "ankommen/volunteering/tests/test_shifts_and_jobs.py::"
    "test_the_expiry_notice_mails_volunteer_and_coordinator_once_and_not_after_renewal",
    "volunteering_shift_reminders": "ankommen/volunteering/tests/test_shifts_and_jobs.py::"
    "test_the_reminder_goes_out_the_day_before_and_only_once",
    "work_follow_up_reminders": "ankommen/work/tests/test_follow_up_reminders.py::"
    "test_due_follow_ups_are_mailed_once_to_the_centres_staff_with_numbers_and_no_names",
    "grants_proof_reminders": "ankommen/grants/tests/test_reminders.py::test_each_stage_is_mailed_once",
    "reporting_prepared_files_expire": "ankommen/reporting/tests/test_prepared_files.py::"
    "test_files_are_deleted_after_a_week",
    "imports_expire": "ankommen/imports/tests/test_person_import.py::test_an_unwritten_upload_is_deleted_after_a_day",
    "sessions_clear_expired": "no centre's table: Django's sessions",
    "idempotency_keys_remove_expired": "no centre's table: the keys belong to users",
    "login_failures_prune": "no centre's table: failed logins by address",
    "jobs_retry_stalled": "no centre's table: procrastinate's own",
    "jobs_remove_finished": "no centre's table: procrastinate's own",
}


def test_every_periodic_job_is_run_as_the_application_role_by_a_test_or_touches_no_centres_table():
    from procrastinate.contrib.django import app

    periodic_ids = {periodic_id for _task, periodic_id in app.periodic_registry.periodic_tasks}
    assert periodic_ids == set(PERIODIC_JOBS_AS_THE_ROLE)
    for proof in PERIODIC_JOBS_AS_THE_ROLE.values():
        if "::" not in proof:
            continue
        path, name = proof.split("::")
        source = (settings.BASE_DIR / path).read_text()
        body = source.split(f"\ndef {name}(", 1)[1].split("\ndef ", 1)[0]
        assert "with as_app_role():" in body, proof
