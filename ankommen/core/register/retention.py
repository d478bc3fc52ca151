"""When each kind of record is deleted, and the nightly deletion of what has expired (docs/data-protection.md).

A date of deletion is computed, never stored: changing a period in the settings moves every date at once. A record
whose case is still open has no date. The job `retention_apply` (ankommen/core/tasks.py) deletes each centre's
expired records in one transaction per centre, with their history rows; running it twice deletes nothing more.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pgtrigger
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from ankommen.core.register import activities
from ankommen.core.register.activities import RetentionRule
from ankommen.core.register.purge import Purge
from ankommen.core.row_level_security import centre_scope, dangerously_all_centres


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year + years, day=28)


def _after(rule: RetentionRule, day: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if day is None:
        return None
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day)
    period = rule.period()
    assert period is not None, f"{rule.key} has no period"
    return day + datetime.timedelta(days=period) if rule.unit == "days" else add_years(day, period)


def _cutoff(rule: RetentionRule, today: datetime.date) -> datetime.date:
    """Records whose clock started on or before this day have expired."""
    period = rule.period()
    assert period is not None
    return today - datetime.timedelta(days=period) if rule.unit == "days" else add_years(today, -period)


def _start_of(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` ends, for comparisons with timestamps: a clock started on `day` has run."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


# --- the date of deletion of one record, shown on its page


def intake_deletion_date(intake: Any) -> datetime.date | None:
    return _after(activities.INTAKE, intake.closed_on)


def support_request_deletion_date(request: Any) -> datetime.date | None:
    from ankommen.volunteering.models import RequestStatus

    return _after(activities.SUPPORT_REQUEST, request.closed_at) if request.status == RequestStatus.CLOSED else None


def referral_deletion_date(referral: Any) -> datetime.date | None:
    return _after(activities.REFERRAL, referral.outcome_on or referral.referred_on)


def _candidate_closed_at(profile: Any) -> datetime.datetime:
    from ankommen.work.models import CandidateStatus, CandidateStatusChange

    changes = CandidateStatusChange.objects.for_centre(profile.centre).filter(profile=profile)
    last = changes.filter(to_status=CandidateStatus.CLOSED).aggregate(at=Max("at"))["at"]
    return last or profile.updated_at


def candidate_deletion_date(profile: Any) -> datetime.date | None:
    from ankommen.work.models import CandidateStatus

    if profile.status != CandidateStatus.CLOSED:
        return None
    return _after(activities.CANDIDATE, _candidate_closed_at(profile))


def volunteer_deletion_date(volunteer: Any) -> datetime.date | None:
    from ankommen.volunteering.models import VolunteerStatus

    if volunteer.status not in (VolunteerStatus.INACTIVE, VolunteerStatus.CONSENT_WITHDRAWN):
        return None
    return _after(activities.VOLUNTEER, volunteer.consent_withdrawn_at or volunteer.updated_at)


def person_deletion_date(person: Any, *, as_guardian: bool = True) -> datetime.date | None:
    """The last of: the person's own period after their last change, and the deletion of each of their cases (and,
    for a guardian, of each ward). None while a case is open."""
    from ankommen.network.models import Referral
    from ankommen.people.models import GuardianRelation
    from ankommen.schooling.models import Intake
    from ankommen.volunteering.models import SupportRequest
    from ankommen.work.models import CandidateProfile

    dates = [_after(activities.PERSON, person.updated_at)]
    centre = person.centre
    dates += [intake_deletion_date(intake) for intake in Intake.objects.for_centre(centre).filter(child=person)]
    dates += [candidate_deletion_date(p) for p in CandidateProfile.objects.for_centre(centre).filter(person=person)]
    dates += [
        support_request_deletion_date(request)
        for request in SupportRequest.objects.for_centre(centre).filter(person=person)
    ]
    dates += [referral_deletion_date(r) for r in Referral.objects.for_centre(centre).filter(person=person)]
    if as_guardian:
        wards = GuardianRelation.objects.for_centre(centre).filter(guardian=person).select_related("child")
        dates += [person_deletion_date(relation.child, as_guardian=False) for relation in wards]
    if any(day is None for day in dates):
        return None
    return max(day for day in dates if day is not None)


# --- what a record takes with it when it goes (shared with erasure on request, ankommen/people/erasure.py)


def intakes_delete(purge: Purge, intakes: Any) -> None:
    from ankommen.schooling.models import Assessment, CounsellingAppointment, Placement

    keys = list(intakes.values_list("pk", flat=True))
    for model in (Placement, Assessment, CounsellingAppointment):
        purge.delete(model.unscoped_base.filter(intake__in=keys))
    purge.delete(intakes.model.unscoped_base.filter(pk__in=keys))


def support_requests_delete(purge: Purge, requests: Any) -> None:
    from ankommen.volunteering.models import Assignment, HoursEntry, RequestStep

    keys = list(requests.values_list("pk", flat=True))
    assignments = Assignment.unscoped_base.filter(request__in=keys)
    # Hours are logged for an assignment or a shift (a constraint): those of the person's assignments go with them.
    purge.delete(HoursEntry.unscoped_base.filter(assignment__in=assignments))
    volunteers = set(assignments.values_list("volunteer", flat=True))
    purge.delete(RequestStep.unscoped_base.filter(request__in=keys))
    purge.delete(assignments)
    purge.delete(requests.model.unscoped_base.filter(pk__in=keys))
    _recount_open_assignments(volunteers)


def _recount_open_assignments(volunteer_keys: set[Any]) -> None:
    from ankommen.volunteering.models import OPEN_ASSIGNMENT_STATUSES, Assignment, Volunteer

    for volunteer in Volunteer.unscoped_base.filter(pk__in=volunteer_keys):
        count = Assignment.unscoped_base.filter(volunteer=volunteer, status__in=OPEN_ASSIGNMENT_STATUSES).count()
        if count != volunteer.open_assignments:
            volunteer.open_assignments = count
            volunteer.save(update_fields=["open_assignments", "updated_at"])


def candidates_delete(purge: Purge, profiles: Any) -> None:
    from ankommen.work.models import Application

    keys = list(profiles.values_list("pk", flat=True))
    purge.delete(Application.unscoped_base.filter(profile__in=keys))
    purge.delete(profiles.model.unscoped_base.filter(pk__in=keys))


def persons_delete(purge: Purge, persons: Any) -> None:
    """Every case of the persons, the persons (consents and guardian relations go with them) and families left
    without members."""
    from ankommen.network.models import Referral
    from ankommen.people.models import Family
    from ankommen.schooling.models import Intake
    from ankommen.volunteering.models import SupportRequest
    from ankommen.work.models import CandidateProfile

    keys = list(persons.values_list("pk", flat=True))
    families = set(persons.exclude(family=None).values_list("family", flat=True))
    intakes_delete(purge, Intake.unscoped_base.filter(child__in=keys))
    candidates_delete(purge, CandidateProfile.unscoped_base.filter(person__in=keys))
    support_requests_delete(purge, SupportRequest.unscoped_base.filter(person__in=keys))
    purge.delete(Referral.unscoped_base.filter(person__in=keys))
    purge.delete(persons.model.unscoped_base.filter(pk__in=keys))
    empty = Family.unscoped_base.filter(pk__in=families, members=None)
    support_requests_delete(purge, SupportRequest.unscoped_base.filter(family__in=empty))
    purge.delete(Family.unscoped_base.filter(pk__in=families, members=None))


def user_anonymise(user: Any) -> None:
    """An account that must stay as the author of other records (PROTECTed keys) but names no one any more."""
    user.email = f"erased-{user.pk}@erased.invalid"
    user.display_name = ""
    user.is_active = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    for related in ("memberships", "user_sessions", "recovery_codes"):
        manager = getattr(user, related, None)
        if manager is not None:
            manager.all().delete()
    if hasattr(user, "totp_device"):
        user.totp_device.delete()


def volunteers_delete(purge: Purge, volunteers: Any) -> None:
    from ankommen.volunteering.models import Assignment, ClearanceInspection, HoursEntry, RequestStep, ShiftSignup

    keys = list(volunteers.values_list("pk", flat=True))
    users = list(get_user_model()._base_manager.filter(volunteer__in=keys))
    purge.delete(HoursEntry.unscoped_base.filter(volunteer__in=keys))
    purge.delete(ShiftSignup.unscoped_base.filter(volunteer__in=keys))
    purge.delete(ClearanceInspection.unscoped_base.filter(volunteer__in=keys))
    assignments = Assignment.unscoped_base.filter(volunteer__in=keys)
    purge.delete(RequestStep.unscoped_base.filter(assignment__in=assignments))
    purge.delete(assignments)
    purge.delete(volunteers.model.unscoped_base.filter(pk__in=keys))
    for user in users:
        user_anonymise(user)


# --- the nightly job


def _expired_for_centre(purge: Purge, centre: Any, today: datetime.date) -> None:
    from ankommen.courses.models import Registration
    from ankommen.imports.models import ImportRun
    from ankommen.network.models import Referral
    from ankommen.people.models import Person
    from ankommen.schooling.models import Intake, PreRegistration
    from ankommen.volunteering.models import RequestStatus, SupportRequest, Volunteer, VolunteerStatus
    from ankommen.work.models import CandidateProfile, CandidateStatus

    def cutoff(rule: RetentionRule) -> datetime.date:
        return _cutoff(rule, today)

    intakes_delete(purge, Intake.objects.for_centre(centre).filter(closed_on__lte=cutoff(activities.INTAKE)))
    # An import's rows are in the centre's records once committed; its errors per row may quote values.
    purge.delete(
        ImportRun.objects.for_centre(centre).filter(created_at__lt=_start_of(cutoff(activities.PREPARED_FILE)))
    )
    support_requests_delete(
        purge,
        SupportRequest.objects.for_centre(centre).filter(
            status=RequestStatus.CLOSED, closed_at__lt=_start_of(cutoff(activities.SUPPORT_REQUEST))
        ),
    )
    referral_cutoff = cutoff(activities.REFERRAL)
    purge.delete(
        Referral.objects.for_centre(centre).filter(
            Q(outcome_on__lte=referral_cutoff) | Q(outcome_on=None, referred_on__lte=referral_cutoff)
        )
    )
    closed = CandidateProfile.objects.for_centre(centre).filter(status=CandidateStatus.CLOSED)
    candidates_delete(
        purge,
        closed.filter(pk__in=[p.pk for p in closed if candidate_deletion_date(p) <= today]),  # type: ignore[operator]
    )
    left = Volunteer.objects.for_centre(centre).filter(
        status__in=(VolunteerStatus.INACTIVE, VolunteerStatus.CONSENT_WITHDRAWN)
    )
    volunteers_delete(purge, left.filter(pk__in=[v.pk for v in left if volunteer_deletion_date(v) <= today]))  # type: ignore[operator]
    purge.delete(
        PreRegistration.objects.for_centre(centre)
        .exclude(decided_at=None)
        .filter(decided_at__lt=_start_of(cutoff(activities.PREREGISTRATION)))
    )
    last_session = Registration.objects.for_centre(centre).annotate(last=Max("course__sessions__date"))
    purge.delete(
        Registration.objects.for_centre(centre).filter(
            pk__in=[
                registration.pk
                for registration in last_session
                if _after(activities.COURSE_REGISTRATION, registration.last or registration.created_at) <= today  # type: ignore[operator]
            ]
        )
    )
    # Children before their guardians: a guardian whose last ward goes tonight goes too (two rounds suffice, a
    # ward is never a guardian of their guardian).
    for _round in range(2):
        candidates = Person.objects.for_centre(centre).filter(updated_at__lt=_start_of(cutoff(activities.PERSON)))
        expired = [person.pk for person in candidates if (day := person_deletion_date(person)) and day <= today]
        if not expired:
            break
        persons_delete(purge, Person.objects.for_centre(centre).filter(pk__in=expired))


def retention_apply(*, today: datetime.date | None = None) -> Counter[str]:
    """Delete every record whose date of deletion is `today` or earlier; returns the deleted rows per model."""
    from ankommen.core.models import AccessLogEntry
    from ankommen.regions.models import Centre
    from ankommen.reporting.models import PreparedFile

    today = today or timezone.localdate()
    deleted: Counter[str] = Counter()
    for centre in Centre.objects.order_by("pk"):
        # Each centre's records in that centre's scope (docs/rls.md), in one transaction.
        with centre_scope(centre.pk), transaction.atomic():
            purge = Purge()
            _expired_for_centre(purge, centre, today)
            deleted += purge.finish()
    # Files and reads expire by their age alone, the state's with no centre among them: one sweep over all centres.
    with dangerously_all_centres(), transaction.atomic():
        purge = Purge()
        purge.delete(PreparedFile.objects.filter(requested_at__lt=_start_of(_cutoff(activities.PREPARED_FILE, today))))
        deleted += purge.finish()
    with (
        dangerously_all_centres(),
        transaction.atomic(),
        pgtrigger.ignore("core.AccessLogEntry:access_log_append_only"),
    ):
        expired_reads = AccessLogEntry.objects.filter(at__lt=_start_of(_cutoff(activities.ACCESS_LOG, today)))
        count, _ = expired_reads.delete()
        if count:
            deleted["core.AccessLogEntry"] += count
    return deleted
