"""The network endpoints: the public service finder; the centre's organisations, cooperations, meetings and
referrals; and the partner's own entry."""

from __future__ import annotations

import datetime
import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status

from ankommen.api.auth import authenticated
from ankommen.api.scoping import require_centre
from ankommen.core.access import log_access
from ankommen.core.concurrency import api_change, checks_if_match, etag_of, idempotent
from ankommen.core.models import AccessAction
from ankommen.network import selectors, services
from ankommen.network.models import (
    CooperationKind,
    CooperationTopic,
    Meeting,
    Organisation,
    OrganisationKind,
    Referral,
    ReferralOutcome,
    ServiceCategory,
    WelfareAssociation,
)
from ankommen.network.partners import require_partner

router = Router(auth=authenticated, tags=["network"])


class FinderIn(Schema):
    category: ServiceCategory | None = None
    language: str = Field("", max_length=8)
    postcode: str = Field("", pattern=r"^(\d{5})?$")


class FinderHitOut(Schema):
    service: str
    category: ServiceCategory
    organisation_id: int
    organisation: str
    street: str
    postcode: str
    place: str
    languages: list[str]
    distance_km: float | None


class OrganisationOut(Schema):
    id: int
    name: str
    kind: OrganisationKind
    welfare_association: str
    street: str
    postcode: str
    place: str
    latitude: float | None
    longitude: float | None
    phone: str
    email: str
    website: str
    opening_hours: str
    languages: list[str]
    is_listed: bool


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: OrganisationKind
    welfare_association: WelfareAssociation | None = None
    description: str = ""
    street: str = Field("", max_length=160)
    postcode: str = Field(..., max_length=5)
    place: str = Field(..., max_length=120)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    website: str = Field("", max_length=200)
    opening_hours: str = Field("", max_length=1000)
    languages: list[str] = []
    is_listed: bool = True


class CooperationOut(Schema):
    id: int
    organisation_id: int
    partner_id: int | None
    kind: CooperationKind
    since: datetime.date
    until: datetime.date | None
    topics: list[CooperationTopic]


class ReferralOut(Schema):
    id: int
    person_id: uuid.UUID
    service_id: int
    organisation_id: int = Field(..., alias="service.organisation_id")
    referred_on: datetime.date
    outcome: ReferralOutcome
    outcome_on: datetime.date | None


# The postcode says where a family lives: the search is a POST, so that it stays out of URLs and logs.
@router.post("/finder", response=list[FinderHitOut], auth=None, summary="Public service finder, nearest first")
def finder(request: HttpRequest, payload: FinderIn) -> list[dict[str, object]]:
    query = selectors.FinderQuery(category=payload.category or "", language=payload.language, postcode=payload.postcode)
    return [
        {
            "service": hit.service.name,
            "category": hit.service.category,
            "organisation_id": hit.organisation.pk,
            "organisation": hit.organisation.name,
            "street": hit.organisation.street,
            "postcode": hit.organisation.postcode,
            "place": hit.organisation.place,
            "languages": hit.service.languages_offered,
            "distance_km": hit.distance_km,
        }
        for hit in selectors.service_finder(query=query)
    ]


@router.get("/organisations", response=list[OrganisationOut], summary="The centre's organisations")
def organisation_list(request: HttpRequest) -> list[Organisation]:
    return selectors.organisations_of_centre(centre=require_centre(request))


@router.post("/organisations", response={201: OrganisationOut}, summary="Add an organisation")
@idempotent
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    data = payload.dict()
    data["welfare_association"] = data["welfare_association"] or ""
    organisation = services.organisation_create(centre=require_centre(request), by=request.user, **data)  # type: ignore[arg-type]
    return Status(201, organisation)


@router.get("/cooperations", response=list[CooperationOut], summary="The centre's cooperations")
def cooperation_list(request: HttpRequest) -> list[object]:
    return list(selectors.cooperations_of_centre(centre=require_centre(request)))


@router.get("/referrals", response=list[ReferralOut], summary="The centre's referrals and their outcomes")
def referral_list(request: HttpRequest) -> list[Referral]:
    referrals = selectors.referrals_of_centre(centre=require_centre(request))
    log_access(request, [referral.person for referral in referrals], action=AccessAction.API)
    return referrals


class MeetingPersonOut(Schema):
    name: str = Field(..., alias="display_name")
    organisation: str = Field(..., alias="display_organisation")
    contact_id: int | None


class MeetingOut(Schema):
    id: int
    title: str
    date: datetime.date
    place: str
    organisations: list[int]
    persons: list[MeetingPersonOut]
    agenda: str
    minutes: str

    @staticmethod
    def resolve_organisations(meeting: Meeting) -> list[int]:
        return [organisation.pk for organisation in meeting.participants.all()]

    @staticmethod
    def resolve_persons(meeting: Meeting) -> list[object]:
        return list(getattr(meeting, "named_persons", []))


@router.get("/meetings", response=list[MeetingOut], summary="The centre's network meetings with their participants")
def meeting_list(request: HttpRequest) -> list[Meeting]:
    meetings = selectors.meetings_of_centre(centre=require_centre(request))
    persons = []
    for meeting in meetings:
        meeting.named_persons = selectors.persons_of_meeting(meeting=meeting)  # type: ignore[attr-defined]
        persons += meeting.named_persons  # type: ignore[attr-defined]
    log_access(request, persons, action=AccessAction.API)
    return meetings


class PartnerEntryOut(Schema):
    id: int
    name: str
    kind: OrganisationKind
    description: str
    street: str
    postcode: str
    place: str
    phone: str
    email: str
    website: str
    opening_hours: str
    languages: list[str]
    is_listed: bool


class PartnerEntryIn(Schema):
    description: str | None = Field(None, max_length=5000)
    street: str | None = Field(None, max_length=160)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)
    opening_hours: str | None = Field(None, max_length=1000)
    languages: list[str] | None = None


@router.get("/partner/organisation", response=PartnerEntryOut, summary="Partner portal: the own organisation's entry")
def partner_entry(request: HttpRequest, response: HttpResponse) -> Organisation:
    organisation = require_partner(request)
    response["ETag"] = etag_of(organisation)
    return organisation


@router.patch(
    "/partner/organisation", response=PartnerEntryOut, summary="Partner portal: change the own organisation's entry"
)
@checks_if_match
def partner_entry_update(request: HttpRequest, payload: PartnerEntryIn, response: HttpResponse) -> Organisation:
    organisation = require_partner(request)
    changes = payload.dict(exclude_none=True)
    with api_change(request, organisation, response):
        return services.partner_entry_update(organisation=organisation, by=request.user, **changes)  # type: ignore[arg-type]
