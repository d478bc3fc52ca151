"""Records past their retention period are deleted by the nightly job, history and files included: a marker planted
in them is gone from a full dump of the database afterwards, while the records still within their period stay."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry, AccessPurpose
from ankommen.core.register import retention
from ankommen.core.tasks import retention_delete_expired
from ankommen.core.tests.dumps import full_dump
from ankommen.courses.tests.factories import RegistrationFactory
from ankommen.people.models import Consent, GuardianKind, GuardianRelation, LegalBasis, Person, Purpose
from ankommen.people.tests.factories import FamilyFactory, PersonFactory
from ankommen.reporting.models import PreparedFile, PreparedFileKind
from ankommen.schooling.models import Intake
from ankommen.schooling.tests.factories import AssessmentFactory, IntakeFactory
from ankommen.volunteering.models import Volunteer, VolunteerStatus
from ankommen.volunteering.tests.factories import volunteer_in
from ankommen.work.models import CandidateProfile, CandidateStatus
from ankommen.work.tests import factories as work
from tests.rls import as_app_role

pytestmark = pytest.mark.django_db(transaction=True)

GONE = "Zqxmarkergone"
KEPT = "Zqxmarkerkept"


def _plant(centre, staff) -> None:
    today = timezone.localdate()
    family = FamilyFactory(centre=centre, street=f"{GONE}weg 1")
    child = PersonFactory.create(centre=centre, family=family, given_names=f"{GONE}child")
    guardian = PersonFactory.create(centre=centre, family=family, family_name=f"{GONE}guardian")
    GuardianRelation.objects.create(centre=centre, child=child, guardian=guardian, kind=GuardianKind.MOTHER)
    Consent.objects.create(
        centre=centre,
        person=child,
        purpose=Purpose.SCHOOL_PLACEMENT,
        legal_basis=LegalBasis.CONSENT,
        given_on=today,
        recorded_by=staff,
        note=f"{GONE} consent",
    )
    intake = IntakeFactory(child=child, closed_on=today)
    AssessmentFactory(intake=intake, notes=f"{GONE} notes")
    child.phone = f"{GONE}phone"  # a change: the old and the new value are in the history
    child.save()

    volunteer = volunteer_in(centre, status=VolunteerStatus.INACTIVE, phone=f"{GONE}vphone")
    volunteer.user.display_name = f"{GONE}volunteer"
    volunteer.user.save()
    candidate = work.profile(
        centre, staff, subject=work.person(centre, given=f"{GONE}candidate", by=staff), experience=f"{GONE} cook"
    )
    CandidateProfile.objects.for_centre(centre).filter(pk=candidate.pk).update(status=CandidateStatus.CLOSED)
    RegistrationFactory(course__centre=centre, family_name=f"{GONE}teacher")
    PreparedFile.objects.create(
        kind=PreparedFileKind.CENTRE_ANNUAL_REPORT,
        requested_by=staff,
        role=Role.CENTRE_LEAD,
        centre=centre,
        title="report",
        content=f"%PDF {GONE}".encode(),
    )
    AccessLogEntry.objects.create(
        user=staff,
        centre=centre,
        role=Role.CENTRE_STAFF,
        record_type="people.person",
        record_id=str(child.pk),
        action=AccessAction.VIEW,
        purpose=AccessPurpose.CASE_WORK,
    )
    # Still within its period: an open intake keeps the child and the family.
    kept = PersonFactory(centre=centre, given_names=f"{KEPT}child")
    IntakeFactory(child=kept)


def test_expired_records_are_gone_from_a_full_dump_and_open_cases_stay(centre, staff):
    _plant(centre, staff)
    before = full_dump()
    assert GONE in before
    assert f"{GONE} cook" in before
    assert f"%PDF {GONE}".encode().hex() in before  # a bytea column is dumped in hex

    with as_app_role():  # as a fresh worker runs the job: the application role, no centre
        retention.retention_apply(today=timezone.localdate() + datetime.timedelta(days=4 * 366))

    after = full_dump()
    assert GONE not in after
    assert f"%PDF {GONE}".encode().hex() not in after
    assert KEPT in after
    assert Intake.objects.for_centre(centre).count() == 1
    assert not Volunteer.objects.for_centre(centre).exists()
    assert not AccessLogEntry.objects.filter(record_type="people.person").exists()


def test_nothing_is_deleted_before_its_date(centre, staff):
    _plant(centre, staff)
    persons = Person.objects.for_centre(centre).count()

    deleted = retention.retention_apply(today=timezone.localdate() + datetime.timedelta(days=365))

    assert Person.objects.for_centre(centre).count() == persons
    assert "people.Person" not in deleted
    assert "schooling.Intake" not in deleted


def test_the_deletion_dates_follow_the_settings(centre, staff, settings):
    today = timezone.localdate()
    intake = IntakeFactory(child=PersonFactory(centre=centre), closed_on=today)
    open_intake = IntakeFactory(child=PersonFactory(centre=centre))
    settings.RETENTION = {**settings.RETENTION, "intake_years": 5, "person_years": 1}

    assert retention.intake_deletion_date(intake) == retention.add_years(today, 5)
    assert retention.intake_deletion_date(open_intake) is None
    assert retention.person_deletion_date(intake.child) == retention.add_years(today, 5)
    assert retention.person_deletion_date(open_intake.child) is None


def test_the_job_runs_twice_without_harm(centre, staff):
    _plant(centre, staff)
    later = timezone.localdate() + datetime.timedelta(days=4 * 366)

    first = retention.retention_apply(today=later)
    second = retention.retention_apply(today=later)

    assert first["people.Person"] == 3
    assert sum(second.values()) == 0


def test_the_nightly_job_is_a_periodic_procrastinate_task(centre):
    periodic = {
        task.periodic_id for task in retention_delete_expired.blueprint.periodic_registry.periodic_tasks.values()
    }  # type: ignore[attr-defined]

    assert "retention_delete_expired" in periodic
