"""Writes of the schooling module. Each runs in one transaction and leaves its history row."""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pghistory
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ankommen.people import services as people_services
from ankommen.people.models import Consent, GuardianKind, GuardianRelation, LegalBasis, Person, Purpose
from ankommen.regions.models import Municipality, Postcode
from ankommen.schooling.models import Intake, SeatKind, SeatOffer

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre, School

MIN_GRADE, MAX_GRADE = 1, 13


@transaction.atomic
def intake_create(*, centre: Centre, by: User, child: Person, registered_on: datetime.date, **fields: Any) -> Intake:
    """Open a child's school intake. A child has at most one open intake."""
    if child.centre_id != centre.pk:
        raise ValidationError({"child": _("This child belongs to another centre.")})
    if "municipality" not in fields:
        postcode = child.postcode or (child.family.postcode if child.family else "")
        fields["municipality"] = municipality_for_postcode(centre=centre, postcode=postcode)
    intake = Intake(centre=centre, child=child, registered_on=registered_on, **fields)
    with pghistory.context(user=by.pk):
        intake.full_clean()
        intake.save()
    return intake


def term_errors(term: str) -> list[str]:
    """The message for a term that does not exist (none for a valid one); the forms and the API share it."""
    from ankommen.schooling.selectors import term_is_valid

    return [] if term_is_valid(term) else [_("This term does not exist. Enter a term like 2026/27-1.")]


@transaction.atomic
def seat_offer_set(*, school: School, by: User, term: str, grade: int, kind: SeatKind | str, seats: int) -> SeatOffer:
    """Set the seats a school keeps for newcomers in one grade, term and kind; a second call changes the number."""
    errors: dict[str, list[str]] = {}
    if messages := term_errors(term):
        errors["term"] = messages
    if not isinstance(grade, int) or not MIN_GRADE <= grade <= MAX_GRADE:
        errors["grade"] = [_("Grades run from 1 to 13.")]
    if kind not in SeatKind.values:
        errors["kind"] = [_("Unknown kind of seats.")]
    if not isinstance(seats, int) or seats < 0:
        errors["seats"] = [_("The number of seats cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    centre = school.municipality.centre
    offer = (
        SeatOffer.objects.for_centre(centre)
        .select_for_update()
        .filter(school=school, term=term, grade=grade, kind=kind)
        .first()
    )
    if offer is None:
        offer = SeatOffer(centre=centre, school=school, term=term, grade=grade, kind=kind, seats=seats)
    elif offer.seats == seats:
        return offer
    offer.seats = seats
    with pghistory.context(user=by.pk):
        offer.full_clean()
        offer.save()
    return offer


def municipality_for_postcode(*, centre: Centre, postcode: str) -> Municipality | None:
    """The centre's municipality nearest to the postcode's centre point: the area a child is counted in."""
    if not postcode:
        return None
    point = Postcode.objects.filter(code=postcode).values_list("latitude", "longitude").first()
    municipalities = list(Municipality.objects.filter(centre=centre))
    if point is None or not municipalities:
        return None
    latitude, longitude = point

    def distance(municipality: Municipality) -> float:
        # Equirectangular: exact enough to tell the nearest of a few neighbouring municipalities apart.
        x = math.radians(municipality.longitude - longitude) * math.cos(
            math.radians((latitude + municipality.latitude) / 2)
        )
        y = math.radians(municipality.latitude - latitude)
        return x * x + y * y

    return min(municipalities, key=distance)


def _prefixed(error: ValidationError, prefix: str) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return ValidationError({NON_FIELD_ERRORS: error.messages})
    return ValidationError(
        {
            (name if name == NON_FIELD_ERRORS else f"{prefix}{name}"): messages
            for name, messages in error.message_dict.items()
        }
    )


@dataclass(frozen=True)
class GuardianEntry:
    """A guardian as entered: an existing person chosen in the duplicate step, or the fields of a new one."""

    kind: GuardianKind | str
    existing: Person | None = None
    fields: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def intake_register(
    *,
    centre: Centre,
    by: User,
    child: Person | dict[str, Any],
    guardians: Sequence[GuardianEntry],
    address: dict[str, str],
    legal_basis: LegalBasis | str,
    registered_on: datetime.date,
    **intake_fields: Any,
) -> Intake:
    """Register a child for school with its guardians, family, address and legal basis, all or nothing.

    `child` is an existing person (chosen in the duplicate step) or the fields of a new one. Errors name the
    form's fields: `child_…`, `guardian1_…`, `guardian2_…`, the address fields and the intake's own fields.
    """
    existing_child = child if isinstance(child, Person) else None
    family = existing_child.family if existing_child is not None else None
    if family is None:
        family = next((entry.existing.family for entry in guardians if entry.existing and entry.existing.family), None)
    try:
        if family is None:
            family = people_services.family_create(centre=centre, by=by, **address)  # type: ignore[arg-type]
    except ValidationError as error:
        raise _prefixed(error, "") from None
    try:
        if existing_child is None:
            assert isinstance(child, dict)
            child_person = people_services.person_create(centre=centre, by=by, family=family, **{**address, **child})
        else:
            child_person = existing_child
            if child_person.family_id is None:
                people_services.person_update(centre=centre, by=by, person=child_person, family=family)
    except ValidationError as error:
        raise _prefixed(error, "child_") from None
    for number, entry in enumerate(guardians, start=1):
        try:
            guardian = entry.existing or people_services.person_create(
                centre=centre, by=by, family=family, **{**address, **entry.fields}
            )
            already = GuardianRelation.objects.for_centre(centre).filter(child=child_person, guardian=guardian)
            if not already.exists():
                people_services.guardian_relation_add(
                    centre=centre, by=by, child=child_person, guardian=guardian, kind=entry.kind
                )
        except ValidationError as error:
            raise _prefixed(error, f"guardian{number}_") from None
    active_consent = Consent.objects.for_centre(centre).filter(
        person=child_person, purpose=Purpose.SCHOOL_PLACEMENT, withdrawn_on__isnull=True
    )
    if not active_consent.exists():
        people_services.consent_record(
            centre=centre,
            by=by,
            person=child_person,
            purpose=Purpose.SCHOOL_PLACEMENT,
            legal_basis=legal_basis,
            given_on=registered_on,
        )
    if Intake.objects.for_centre(centre).filter(child=child_person, closed_on__isnull=True).exists():
        raise ValidationError(_("This child already has an open school intake."))
    return intake_create(centre=centre, by=by, child=child_person, registered_on=registered_on, **intake_fields)
