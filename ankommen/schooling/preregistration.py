"""Pre-registrations by families: where they go, how staff read them, and how they become records.

A submission stays a PreRegistration (the form's data as JSON) until staff of its centre have compared each
person with the centre's records. Accepting turns it, in one transaction, into a family, persons, guardian
relations, the consent for school placement and one intake per child.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.people import services as people_services
from ankommen.people.choices import country_name, language_name
from ankommen.people.models import Consent, Gender, GuardianKind, GuardianRelation, LegalBasis, Person, Purpose
from ankommen.people.selectors import likely_duplicates
from ankommen.regions.models import Centre, Postcode
from ankommen.schooling.models import Intake, PreRegistration, PreRegistrationStatus
from ankommen.schooling.services import intake_create

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.people.models import Family

# The Städteregion Aachen has two centres: the city of Aachen's own and the Städteregion's for the other towns.
AACHEN_REGION_KEY = "05334"
CITY_OF_AACHEN_CENTRE = "stadt-aachen"
CITY_REGION_AACHEN_CENTRE = "staedteregion-aachen"

GUARDIAN_GENDER = {GuardianKind.MOTHER: Gender.FEMALE, GuardianKind.FATHER: Gender.MALE}


class PersonRole:
    GUARDIAN = "guardian"
    CHILD = "child"


def centre_for_postcode(code: str) -> Centre | None:
    """The centre responsible for a postcode of NRW, or None for a postcode we do not know."""
    postcode = Postcode.objects.select_related("region").filter(code=code).first()
    if postcode is None:
        return None
    if postcode.region.key == AACHEN_REGION_KEY:
        slug = CITY_OF_AACHEN_CENTRE if "aachen" in postcode.places.casefold() else CITY_REGION_AACHEN_CENTRE
        return Centre.objects.filter(slug=slug).first()
    return postcode.region.centres.order_by("pk").first()


@transaction.atomic
def preregistration_submit(*, centre: Centre, language: str, payload: dict[str, Any]) -> PreRegistration:
    if not payload.get("children") or not payload.get("guardians"):
        raise ValidationError(_("A pre-registration needs at least one child and one guardian."))
    preregistration = PreRegistration(centre=centre, language=language, payload=payload)
    preregistration.full_clean()
    preregistration.save()
    return preregistration


def preregistration_list(*, centre: Centre, status: str = PreRegistrationStatus.NEW) -> QuerySet[PreRegistration]:
    return PreRegistration.objects.for_centre(centre).filter(status=status).order_by("created_at", "pk")


def preregistration_get(*, centre: Centre, preregistration_id: int | str) -> PreRegistration:
    try:
        return PreRegistration.objects.for_centre(centre).get(pk=preregistration_id)
    except (PreRegistration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def preregistration_for_intake(*, centre: Centre, intake: Intake) -> PreRegistration | None:
    if intake.preregistration_id is None:
        return None
    return PreRegistration.objects.for_centre(centre).filter(pk=intake.preregistration_id).first()


@dataclass
class SubmittedPerson:
    key: str
    role: str
    data: dict[str, Any]
    candidates: list[Person] = field(default_factory=list)

    @property
    def birth_date(self) -> datetime.date | None:
        value = self.data.get("birth_date")
        return datetime.date.fromisoformat(value) if value else None

    @property
    def is_child(self) -> bool:
        return self.role == PersonRole.CHILD

    @property
    def relation_label(self) -> str:
        relation = self.data.get("relation", "")
        return str(GuardianKind(relation).label) if relation in GuardianKind.values else relation

    @property
    def language_names(self) -> list[str]:
        return [language_name(code) for code in self.data.get("languages", [])]

    @property
    def schooling_country_name(self) -> str:
        code = self.data.get("schooling_country", "")
        return country_name(code) if code else ""


def _submitted(preregistration: PreRegistration) -> list[SubmittedPerson]:
    payload = preregistration.payload
    guardians = [
        SubmittedPerson(key=f"guardian-{index}", role=PersonRole.GUARDIAN, data=data)
        for index, data in enumerate(payload.get("guardians", []))
    ]
    children = [
        SubmittedPerson(key=f"child-{index}", role=PersonRole.CHILD, data=data)
        for index, data in enumerate(payload.get("children", []))
    ]
    return guardians + children


def submitted_persons(*, centre: Centre, preregistration: PreRegistration) -> list[SubmittedPerson]:
    """Each guardian and child of the submission with the centre's persons who may be the same one."""
    persons = _submitted(preregistration)
    for person in persons:
        person.candidates = likely_duplicates(
            centre=centre,
            given_names=person.data.get("given_names", ""),
            family_name=person.data.get("family_name", ""),
            given_names_latin=person.data.get("given_names_latin", ""),
            family_name_latin=person.data.get("family_name_latin", ""),
            birth_date=person.birth_date,
        )
    return persons


def _lock_new(centre: Centre, preregistration: PreRegistration) -> PreRegistration:
    locked = PreRegistration.objects.for_centre(centre).select_for_update().get(pk=preregistration.pk)
    if locked.status != PreRegistrationStatus.NEW:
        raise ValidationError(_("This pre-registration has already been decided."))
    return locked


def _person_fields(person: SubmittedPerson, payload: dict[str, Any]) -> dict[str, Any]:
    data = person.data
    address = payload.get("address", {})
    fields: dict[str, Any] = {
        "given_names_latin": data.get("given_names_latin", ""),
        "family_name_latin": data.get("family_name_latin", ""),
        "street": address.get("street", ""),
        "postcode": address.get("postcode", ""),
        "place": address.get("place", ""),
    }
    if payload.get("arrived_on"):
        fields["arrived_in_germany"] = datetime.date.fromisoformat(payload["arrived_on"])
    if person.is_child:
        fields.update(birth_date=person.birth_date, gender=data.get("gender") or Gender.UNSPECIFIED)
        fields["languages"] = data.get("languages", [])
    else:
        fields.update(phone=data.get("phone", ""), email=data.get("email", ""))
        fields["gender"] = GUARDIAN_GENDER.get(data.get("relation", ""), Gender.UNSPECIFIED)
    return fields


def _family_for(
    centre: Centre, by: User, payload: dict[str, Any], matched: list[Person], guardians: list[SubmittedPerson]
) -> Family:
    for person in matched:
        if person.family is not None:
            return person.family
    address = payload.get("address", {})
    contact = next((g.data for g in guardians if g.data.get("phone") or g.data.get("email")), {})
    return people_services.family_create(
        centre=centre,
        by=by,
        street=address.get("street", ""),
        postcode=address.get("postcode", ""),
        place=address.get("place", ""),
        phone=contact.get("phone", ""),
        email=contact.get("email", ""),
    )


@transaction.atomic
def preregistration_accept(
    *,
    centre: Centre,
    by: User,
    preregistration: PreRegistration,
    same_person: Mapping[str, Person | None],
) -> list[Intake]:
    """Create the records of a submission. `same_person` maps each person's key to the existing person or None.

    Everything or nothing: any refusal (an existing child with an open intake, a bad value) rolls back all of it.
    """
    preregistration = _lock_new(centre, preregistration)
    payload = preregistration.payload
    submitted = _submitted(preregistration)
    if missing := [person.key for person in submitted if person.key not in same_person]:
        raise ValidationError(_("Please decide for every person: %(keys)s") % {"keys": ", ".join(missing)})
    matched = [person for person in same_person.values() if person is not None]
    if any(record.centre_id != centre.pk for record in matched):
        raise ValidationError(_("This record belongs to another centre."))
    guardians = [person for person in submitted if not person.is_child]
    family = _family_for(centre, by, payload, matched, guardians)

    records: dict[str, Person] = {}
    for person in submitted:
        existing = same_person[person.key]
        if existing is None:
            records[person.key] = people_services.person_create(
                centre=centre,
                by=by,
                given_names=person.data["given_names"],
                family_name=person.data["family_name"],
                family=family,
                **_person_fields(person, payload),
            )
        else:
            if existing.family_id is None:
                people_services.person_update(centre=centre, by=by, person=existing, family=family)
            records[person.key] = existing

    children = [person for person in submitted if person.is_child]
    for guardian in guardians:
        for child in children:
            guardian_record, child_record = records[guardian.key], records[child.key]
            if guardian_record.pk == child_record.pk:
                raise ValidationError(_("A person cannot be their own guardian."))
            relations = GuardianRelation.objects.for_centre(centre).filter(child=child_record)
            if not relations.filter(guardian=guardian_record).exists():
                people_services.guardian_relation_add(
                    centre=centre,
                    by=by,
                    child=child_record,
                    guardian=guardian_record,
                    kind=guardian.data.get("relation") or GuardianKind.OTHER,
                )

    submitted_on = timezone.localdate(preregistration.created_at)
    for person in submitted:
        record = records[person.key]
        active = Consent.objects.for_centre(centre).filter(
            person=record, purpose=Purpose.SCHOOL_PLACEMENT, withdrawn_on__isnull=True
        )
        if not active.exists():
            people_services.consent_record(
                centre=centre,
                by=by,
                person=record,
                purpose=Purpose.SCHOOL_PLACEMENT,
                legal_basis=LegalBasis.CONSENT,
                given_on=submitted_on,
                note=_("Given on the public pre-registration form."),
            )

    intakes = [
        intake_create(
            centre=centre,
            by=by,
            child=records[child.key],
            registered_on=submitted_on,
            years_of_schooling=child.data.get("years_of_schooling"),
            last_grade=child.data.get("last_grade"),
            schooling_country=child.data.get("schooling_country") or "",
            literate_in_latin_script=child.data.get("literate_in_latin_script"),
            preregistration=preregistration,
        )
        for child in children
    ]

    preregistration.payload = {
        **payload,
        "accepted": {
            "family_id": str(family.pk),
            "person_ids": {key: str(record.pk) for key, record in records.items()},
        },
    }
    _decide(preregistration, by, PreRegistrationStatus.ACCEPTED)
    return intakes


@transaction.atomic
def preregistration_reject(*, centre: Centre, by: User, preregistration: PreRegistration, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    preregistration = _lock_new(centre, preregistration)
    preregistration.decision_reason = reason
    _decide(preregistration, by, PreRegistrationStatus.REJECTED)


def _decide(preregistration: PreRegistration, by: User, status: PreRegistrationStatus) -> None:
    preregistration.status = status
    preregistration.decided_by = by
    preregistration.decided_at = timezone.now()
    preregistration.full_clean()
    preregistration.save()
