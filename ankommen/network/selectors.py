"""Reads of the network module."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404

from ankommen.matching.geometry import haversine_km
from ankommen.network.models import (
    Contact,
    Cooperation,
    Decision,
    FollowUpTask,
    Meeting,
    MeetingPerson,
    Organisation,
    PartnerContact,
    Referral,
    Service,
)
from ankommen.people.choices import language_name
from ankommen.people.models import Consent, Person, Purpose
from ankommen.regions.models import Postcode

if TYPE_CHECKING:
    from ankommen.regions.models import Centre


@dataclass(frozen=True)
class FinderQuery:
    category: str = ""
    language: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class FinderHit:
    service: Service
    organisation: Organisation
    distance_km: float | None

    @property
    def language_names(self) -> list[str]:
        return sorted(language_name(code) for code in self.service.languages_offered)


def postcode_point(code: str) -> tuple[float, float] | None:
    postcode = Postcode.objects.filter(code=code).first()
    return (postcode.latitude, postcode.longitude) if postcode else None


def service_finder(*, query: FinderQuery, limit: int = 50) -> list[FinderHit]:
    """Listed services of every centre's network: public information, no person. Nearest first from a postcode."""
    services = (
        Service.objects.dangerously_unscoped().filter(organisation__is_listed=True).select_related("organisation")
    )
    if query.category:
        services = services.filter(category=query.category)
    if query.language:
        services = services.filter(
            Q(languages__contains=[query.language])
            | Q(languages=[], organisation__languages__contains=[query.language])
        )
    hits = [FinderHit(service=s, organisation=s.organisation, distance_km=None) for s in services]
    point = postcode_point(query.postcode) if query.postcode else None
    if point is not None:
        hits = [
            FinderHit(
                service=hit.service,
                organisation=hit.organisation,
                distance_km=_distance(point, hit.organisation),
            )
            for hit in hits
        ]
        hits.sort(key=lambda hit: (hit.distance_km is None, hit.distance_km or 0.0, hit.organisation.name))
    else:
        hits.sort(key=lambda hit: (hit.organisation.name, hit.service.name))
    return hits[:limit]


def _distance(point: tuple[float, float], organisation: Organisation) -> float | None:
    if organisation.latitude is None or organisation.longitude is None:
        return None
    return round(float(haversine_km(point[0], point[1], organisation.latitude, organisation.longitude)), 1)


def public_organisation(*, organisation_id: int) -> Organisation:
    organisation = (
        Organisation.objects.dangerously_unscoped()
        .filter(pk=organisation_id, is_listed=True)
        .select_related("centre")
        .prefetch_related(Prefetch("services", queryset=Service.objects.dangerously_unscoped()))
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


def organisations_of_centre(*, centre: Centre, kind: str = "") -> list[Organisation]:
    organisations = Organisation.objects.for_centre(centre).prefetch_related(
        Prefetch("services", queryset=Service.objects.for_centre(centre))
    )
    if kind:
        organisations = organisations.filter(kind=kind)
    return list(organisations)


def organisation_of_centre(*, centre: Centre, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.for_centre(centre).filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


def services_of_organisation(*, organisation: Organisation) -> list[Service]:
    return list(Service.objects.for_centre(organisation.centre).filter(organisation=organisation))


def contacts_of_organisation(*, organisation: Organisation) -> list[Contact]:
    return list(Contact.objects.for_centre(organisation.centre).filter(organisation=organisation))


def services_of_centre(*, centre: Centre) -> list[Service]:
    return list(
        Service.objects.for_centre(centre).select_related("organisation").order_by("organisation__name", "name")
    )


def cooperations_of_centre(*, centre: Centre, on: datetime.date | None = None) -> list[Cooperation]:
    cooperations = Cooperation.objects.for_centre(centre).select_related("organisation", "partner")
    if on is not None:
        cooperations = cooperations.filter(since__lte=on).filter(Q(until__isnull=True) | Q(until__gte=on))
    return list(cooperations)


def _participants(centre: Centre) -> Prefetch:
    return Prefetch("participants", queryset=Organisation.objects.for_centre(centre).order_by("name"))


def meetings_of_centre(*, centre: Centre) -> list[Meeting]:
    return list(Meeting.objects.for_centre(centre).prefetch_related(_participants(centre)))


def meeting_of_centre(*, centre: Centre, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.for_centre(centre).filter(pk=meeting_id).prefetch_related(_participants(centre)).first()
    if meeting is None:
        raise Http404
    return meeting


def decisions_of_meeting(*, meeting: Meeting) -> list[Decision]:
    tasks = Prefetch("tasks", queryset=FollowUpTask.objects.for_centre(meeting.centre).select_related("responsible"))
    return list(Decision.objects.for_centre(meeting.centre).filter(meeting=meeting).prefetch_related(tasks))


def task_of_centre(*, centre: Centre, task_id: int) -> FollowUpTask:
    task = FollowUpTask.objects.for_centre(centre).select_related("decision").filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task


def open_tasks_of_centre(*, centre: Centre) -> list[FollowUpTask]:
    return list(
        FollowUpTask.objects.for_centre(centre)
        .filter(done_on__isnull=True)
        .select_related("decision__meeting", "responsible")
        .order_by("due_on", "pk")
    )


def referrals_of_centre(*, centre: Centre) -> list[Referral]:
    return list(Referral.objects.for_centre(centre).select_related("person", "service__organisation"))


def persons_with_referral_consent(*, centre: Centre, on: datetime.date) -> list[Person]:
    consents = Consent.objects.for_centre(centre).filter(
        person=OuterRef("pk"), purpose=Purpose.REFERRAL, withdrawn_on__isnull=True, given_on__lte=on
    )
    return list(Person.objects.for_centre(centre).filter(Exists(consents)).order_by("family_name", "given_names"))


def referrals_of_person(*, person: Person) -> list[Referral]:
    return list(
        Referral.objects.for_centre(person.centre).filter(person=person).select_related("service__organisation")
    )


def referral_of_centre(*, centre: Centre, referral_id: int) -> Referral:
    referral = (
        Referral.objects.for_centre(centre)
        .select_related("person", "service__organisation")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def partners_of_organisation(*, organisation: Organisation) -> list[PartnerContact]:
    """Who has (or had) access to the partner portal for the organisation, active ones first."""
    return list(
        PartnerContact.objects.for_centre(organisation.centre)
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__display_name", "pk")
    )


def persons_of_meeting(*, meeting: Meeting) -> list[MeetingPerson]:
    return list(
        MeetingPerson.objects.for_centre(meeting.centre)
        .filter(meeting=meeting)
        .select_related("contact", "contact__organisation", "organisation")
    )


def meeting_person_of_centre(*, centre: Centre, person_id: int) -> MeetingPerson:
    person = MeetingPerson.objects.for_centre(centre).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def contacts_of_centre(*, centre: Centre) -> Any:
    return (
        Contact.objects.for_centre(centre).select_related("organisation").order_by("organisation__name", "name", "pk")
    )
