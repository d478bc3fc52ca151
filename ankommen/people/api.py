"""The people endpoints: the caller's centre only, every returned person logged as read."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from ankommen.accounts.models import Role
from ankommen.api.auth import authenticated
from ankommen.api.paging import MAX_OFFSET
from ankommen.api.scoping import require_centre
from ankommen.core.access import log_access
from ankommen.core.concurrency import api_change, checks_if_match, etag_of, idempotent
from ankommen.core.models import AccessAction, AccessPurpose
from ankommen.core.pagination import counted_slice
from ankommen.people import selectors, services
from ankommen.people.models import Consent, Family, Gender, LegalBasis, Person, Purpose, ResidenceStatus
from ankommen.people.selectors import AgeGroup, PersonFilters
from ankommen.people.subject_access import subject_access_collect

router = Router(auth=authenticated, tags=["people"])
MAX_LIMIT = 200


class PersonOut(Schema):
    id: UUID
    family_id: UUID | None
    given_names: str
    family_name: str
    given_names_latin: str
    family_name_latin: str
    birth_date: datetime.date | None
    gender: Gender
    nationalities: list[str]
    languages: list[str]
    arrived_in_germany: datetime.date | None
    arrived_in_district: datetime.date | None
    residence_status: ResidenceStatus
    street: str
    postcode: str
    place: str
    phone: str
    email: str


class PersonPage(Schema):
    count: int
    items: list[PersonOut]


class PersonIn(Schema):
    given_names: str = Field(..., min_length=1, max_length=200)
    family_name: str = Field(..., min_length=1, max_length=200)
    given_names_latin: str = Field("", max_length=200)
    family_name_latin: str = Field("", max_length=200)
    birth_date: datetime.date | None = None
    gender: Gender = Gender.UNSPECIFIED
    nationalities: list[str] = []
    languages: list[str] = []
    arrived_in_germany: datetime.date | None = None
    arrived_in_district: datetime.date | None = None
    residence_status: ResidenceStatus = ResidenceStatus.UNKNOWN
    street: str = Field("", max_length=160)
    postcode: str = Field("", max_length=5)
    place: str = Field("", max_length=120)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    family_id: UUID | None = None


class PersonPatch(Schema):
    given_names: str | None = Field(None, min_length=1, max_length=200)
    family_name: str | None = Field(None, min_length=1, max_length=200)
    given_names_latin: str | None = Field(None, max_length=200)
    family_name_latin: str | None = Field(None, max_length=200)
    birth_date: datetime.date | None = None
    gender: Gender | None = None
    nationalities: list[str] | None = None
    languages: list[str] | None = None
    arrived_in_germany: datetime.date | None = None
    arrived_in_district: datetime.date | None = None
    residence_status: ResidenceStatus | None = None
    street: str | None = Field(None, max_length=160)
    postcode: str | None = Field(None, max_length=5)
    place: str | None = Field(None, max_length=120)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    family_id: UUID | None = None


class PersonListQuery(Schema):
    nationality: str = ""
    language: str = ""
    residence_status: ResidenceStatus | None = None
    gender: Gender | None = None
    age_group: AgeGroup | None = None
    arrival_year: int | None = Field(None, ge=1950, le=2100)
    family_id: UUID | None = None
    limit: int = Field(25, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PersonQuery(PersonListQuery):
    q: str = Field("", max_length=200)


class FamilyOut(Schema):
    id: UUID
    reference: str
    street: str
    postcode: str
    place: str
    phone: str
    email: str


class FamilyIn(Schema):
    street: str = Field("", max_length=160)
    postcode: str = Field("", max_length=5)
    place: str = Field("", max_length=120)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)


class FamilyPage(Schema):
    count: int
    items: list[FamilyOut]


def _family(request: HttpRequest, family_id: UUID | None) -> Family | None:
    if family_id is None:
        return None
    try:
        return selectors.family_get(centre=require_centre(request), family_id=family_id)
    except Http404:
        raise ValidationError({"family_id": _("There is no such family in your centre.")}) from None


def _person_page(request: HttpRequest, params: PersonQuery) -> dict[str, object]:
    centre = require_centre(request)
    filters = PersonFilters(
        nationality=params.nationality,
        language=params.language,
        residence_status=params.residence_status or "",
        gender=params.gender or "",
        age_group=params.age_group or "",
        arrival_year=params.arrival_year,
        family_id=params.family_id,
    )
    persons = selectors.person_list(centre=centre, query=params.q, filters=filters)
    if params.q.strip():
        items, count = counted_slice(persons, params.offset, params.limit)
    else:
        items = list(persons[params.offset : params.offset + params.limit])
        count = persons.count()
    log_access(request, items, action=AccessAction.SEARCH if params.q.strip() else AccessAction.API)
    return {"count": count, "items": items}


@router.get("/", response=PersonPage, summary="List the centre's persons, with filters")
def person_list(request: HttpRequest, params: Query[PersonListQuery]) -> dict[str, object]:
    return _person_page(request, PersonQuery(**params.dict()))


# Searching by name is a POST: names must not stand in URLs, which end up in proxy and server logs.
@router.post("/search", response=PersonPage, summary="Search the centre's persons by name")
def person_search(request: HttpRequest, payload: PersonQuery) -> dict[str, object]:
    return _person_page(request, payload)


@router.get("/families/", response=FamilyPage, summary="The centre's families")
def family_list(
    request: HttpRequest, limit: int = Query(25, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)
) -> dict[str, object]:
    families = selectors.family_list(centre=require_centre(request))
    items = list(families[offset : offset + limit])
    log_access(request, items, action=AccessAction.API)
    return {"count": families.count(), "items": items}


@router.post("/families/", response={201: FamilyOut}, summary="Create a family")
@idempotent
def family_create(request: HttpRequest, payload: FamilyIn) -> Status[Family]:
    family = services.family_create(centre=require_centre(request), by=request.user, **payload.dict())  # type: ignore[arg-type]
    return Status(201, family)


@router.get("/families/{uuid:family_id}", response=FamilyOut, summary="One family")
def family_detail(request: HttpRequest, family_id: UUID) -> Family:
    family = selectors.family_get(centre=require_centre(request), family_id=family_id)
    log_access(request, [family], action=AccessAction.API)
    return family


@router.get("/{uuid:person_id}", response=PersonOut, summary="One person")
def person_detail(request: HttpRequest, person_id: UUID, response: HttpResponse) -> Person:
    person = selectors.person_get(centre=require_centre(request), person_id=person_id)
    log_access(request, [person], action=AccessAction.API)
    response["ETag"] = etag_of(person)
    return person


@router.post("/", response={201: PersonOut}, summary="Create a person")
@idempotent
def person_create(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    centre = require_centre(request)
    data = payload.dict(exclude={"family_id"})
    person = services.person_create(centre=centre, by=request.user, family=_family(request, payload.family_id), **data)  # type: ignore[arg-type]
    return Status(201, person)


@router.patch("/{uuid:person_id}", response=PersonOut, summary="Change a person")
@checks_if_match
def person_update(request: HttpRequest, person_id: UUID, payload: PersonPatch, response: HttpResponse) -> Person:
    centre = require_centre(request)
    person = selectors.person_get(centre=centre, person_id=person_id)
    changes = payload.dict(exclude_unset=True, exclude={"family_id"})
    if "family_id" in payload.model_fields_set:
        changes["family"] = _family(request, payload.family_id)
    for required in ("given_names", "family_name", "gender", "residence_status"):
        if required in changes and changes[required] is None:
            changes.pop(required)
    with api_change(request, person, response):
        services.person_update(centre=centre, by=request.user, person=person, **changes)  # type: ignore[arg-type]
    return person


class SubjectAccessOut(Schema):
    format: str
    version: int
    created_at: datetime.datetime
    centre: dict[str, Any]
    person_id: UUID
    records: dict[str, list[dict[str, Any]]] = Field(..., description="Every record about the person, by model")
    history: list[dict[str, Any]] = Field(..., description="The change history of these records")
    access_log: list[dict[str, Any]] = Field(..., description="Who read these records, when and for what")
    not_exported: dict[str, str] = Field(..., description="Models linked to the person left out, with the reason")


# A POST, as on the page: each export is a disclosure and is written to the access log.
@router.post(
    "/{uuid:person_id}/subject-access",
    response=SubjectAccessOut,
    summary="Subject access: the person's complete data (centre lead)",
)
def subject_access(request: HttpRequest, person_id: UUID) -> dict[str, Any]:
    centre = require_centre(request, Role.CENTRE_LEAD)
    person = selectors.person_get(centre=centre, person_id=person_id)
    export = subject_access_collect(centre=centre, person=person)
    with transaction.atomic():
        log_access(request, export.all_records(), action=AccessAction.EXPORT, purpose=AccessPurpose.SUBJECT_ACCESS)
    return export.as_data()


class ConsentOut(Schema):
    id: int
    purpose: Purpose
    legal_basis: LegalBasis
    given_on: datetime.date
    withdrawn_on: datetime.date | None


class ConsentWithdrawIn(Schema):
    withdrawn_on: datetime.date | None = None


@router.post(
    "/{uuid:person_id}/consents/{int:consent_id}/withdraw",
    response=ConsentOut,
    summary="Withdraw a consent: sharing for its purpose stops at once",
)
def consent_withdraw(request: HttpRequest, person_id: UUID, consent_id: int, payload: ConsentWithdrawIn) -> Consent:
    centre = require_centre(request)
    person = selectors.person_get(centre=centre, person_id=person_id)
    consent = selectors.consent_get(centre=centre, person=person, consent_id=consent_id)
    log_access(request, [person], action=AccessAction.API)
    return services.consent_withdraw(
        centre=centre,
        by=request.user,  # type: ignore[arg-type]
        consent=consent,
        withdrawn_on=payload.withdrawn_on,
    )
