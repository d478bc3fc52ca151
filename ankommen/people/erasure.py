"""Erasure on request (GDPR Art. 17): a centre lead erases one person with every record that is theirs.

The person goes with every case (school intake with counselling, assessment and placements; candidate profile with
qualifications and applications; support requests with their assignments and steps; referrals), their consents and
guardian relations, the pre-registration the family sent, the family when no member is left, and every history row
of all of it (ankommen/core/register/purge.py). One audit entry (`Erasure`) says when, by whom, why and how many rows
of each kind; it names no one. Retention (ankommen/core/register/retention.py) deletes with the same functions.

`ERASED` and `KEPT` name what happens to every model linked to a person; `tests` walk the relations and fail on a
model named in neither.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ankommen.core.register.purge import Purge
from ankommen.core.register.retention import persons_delete
from ankommen.people.models import Erasure, ErasureReason, Person

ERASED = {
    "people.Person": "deleted",
    "people.Family": "deleted when no member is left",
    "people.GuardianRelation": "deleted with the person, as child or as guardian",
    "people.Consent": "deleted with the person",
    "schooling.Intake": "deleted",
    "schooling.CounsellingAppointment": "deleted with the intake (the slot stays free)",
    "schooling.Assessment": "deleted with the intake, health notes included",
    "schooling.Placement": "deleted with the intake",
    "schooling.PreRegistration": "deleted (what the family sent: it names the person)",
    "work.CandidateProfile": "deleted",
    "work.CandidateStatusChange": "deleted with the profile",
    "work.CandidateProfile_occupation_wishes": "deleted with the profile (its occupation wishes)",
    "work.Qualification": "deleted with the profile",
    "work.Application": "deleted with the profile",
    "work.ApplicationStep": "deleted with the application",
    "network.Referral": "deleted",
    "volunteering.SupportRequest": "deleted, the person's and (when the family goes) the family's",
    "volunteering.Assignment": "deleted with the support request",
    "volunteering.RequestStep": "deleted with the support request",
    # A volunteer's hours name the assignment (a constraint: an assignment or a shift); their shifts' hours stay.
    "volunteering.HoursEntry": "deleted with the assignment: the hours spent supporting the erased person",
}
KEPT = {
    "core.AccessLogEntry": "the proof of who read the record (GDPR Art. 5(2)); it holds the record's key only, which "
    "points to nothing after the erasure, and goes after its own retention period",
}
HISTORY = "every history row of a deleted row, and of other rows that pointed at one, is deleted"


def person_erase(*, centre: Any, person: Person, by: Any, reason: ErasureReason) -> Erasure:
    """Erase the person and everything that is theirs, for good, with one audit entry."""
    from ankommen.schooling.models import Intake, PreRegistration

    with transaction.atomic():
        persons = Person.objects.for_centre(centre).filter(pk=person.pk)
        locked = persons.select_for_update().first()
        if locked is None:  # erased meanwhile by a second request: nothing left to do
            raise Person.DoesNotExist
        purge = Purge()
        preregistrations = list(
            Intake.objects.for_centre(centre)
            .filter(child=person)
            .exclude(preregistration=None)
            .values_list("preregistration", flat=True)
        )
        persons_delete(purge, persons)
        purge.delete(PreRegistration.objects.for_centre(centre).filter(pk__in=preregistrations))
        rows = purge.finish()
        return Erasure.objects.create(centre=centre, erased_by=by, reason=reason, rows=dict(sorted(rows.items())))
