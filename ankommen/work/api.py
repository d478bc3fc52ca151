"""The work and training endpoints: the centre sees its own, an employer their offers and what was shared."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from ankommen.accounts.models import Role
from ankommen.api.auth import authenticated
from ankommen.api.paging import PageNumberPagination
from ankommen.api.scoping import require_centre
from ankommen.core.access import log_access
from ankommen.core.concurrency import api_change, checks_if_match, etag_of, idempotent
from ankommen.core.models import AccessAction
from ankommen.regions.models import Occupation
from ankommen.work import figures, matching, selectors, services
from ankommen.work.models import (
    Application,
    CandidateProfile,
    Employer,
    Offer,
    OfferKind,
    Stage,
)
from ankommen.work.selectors import BoardFilters
from ankommen.work.services import employer_of

router = Router(auth=authenticated, tags=["work"])
PAGE_SIZE = 25


class OfferOut(Schema):
    id: int
    employer: str = Field(alias="employer.name")
    kind: OfferKind
    title: str
    occupation_uri: str = Field(alias="occupation.uri")
    occupation: str = Field(alias="occupation.label")
    isco_code: str = Field(alias="occupation.isco_code")
    postcode: str
    place: str
    start_date: datetime.date
    application_deadline: datetime.date | None
    seats: int
    hours_per_week: int
    german_level: str = Field(description="CEFR level needed, or none.")
    minimum_age: int
    requirements: str
    useful_languages: list[str]
    driving_licence_needed: bool
    status: str


class OfferIn(Schema):
    kind: OfferKind
    title: str = Field(..., min_length=1, max_length=200)
    occupation_uri: str = Field(..., max_length=200, description="The ESCO URI of the occupation.")
    description: str = Field("", max_length=4000)
    postcode: str = Field(..., max_length=5)
    place: str = Field(..., max_length=120)
    start_date: datetime.date
    application_deadline: datetime.date | None = None
    seats: int
    hours_per_week: int
    german_level: str = "A2"
    minimum_age: int = Field(16, ge=15, le=67)
    requirements: str = Field("", max_length=2000)
    useful_languages: list[str] = []
    driving_licence_needed: bool = False


class OfferPatch(Schema):
    """The fields to change; those left out stay as they are. Checked like the form: nothing is written on an error."""

    kind: OfferKind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    occupation_uri: str | None = Field(None, max_length=200, description="The ESCO URI of the occupation.")
    description: str | None = Field(None, max_length=4000)
    postcode: str | None = Field(None, max_length=5)
    place: str | None = Field(None, max_length=120)
    start_date: datetime.date | None = None
    application_deadline: datetime.date | None = None
    seats: int | None = None
    hours_per_week: int | None = None
    german_level: str | None = None
    minimum_age: int | None = Field(None, ge=15, le=67)
    requirements: str | None = Field(None, max_length=2000)
    useful_languages: list[str] | None = None
    driving_licence_needed: bool | None = None


class BoardFilter(Schema):
    kind: OfferKind | None = None
    q: str = Field("", max_length=100, description="Words of the title, the occupation or the place.")


class ReasonOut(Schema):
    code: str
    text: str
    points: float


class CandidateMatchOut(Schema):
    profile_id: int
    score: float
    reasons: list[ReasonOut]


class OfferMatchOut(Schema):
    offer_id: int
    title: str
    score: float
    reasons: list[ReasonOut]


class CandidateOut(Schema):
    id: int
    person_id: str
    occupation_uris: list[str]
    german_level: str
    languages: list[str]
    permit: str
    postcode: str
    mobility_radius_km: int
    available_from: datetime.date
    status: str

    @staticmethod
    def resolve_person_id(profile: CandidateProfile) -> str:
        return str(profile.person_id)

    @staticmethod
    def resolve_occupation_uris(profile: CandidateProfile) -> list[str]:
        return [occupation.uri for occupation in profile.occupation_wishes.all()]

    @staticmethod
    def resolve_permit(profile: CandidateProfile) -> str:
        return profile.permit.code


class ApplicationOut(Schema):
    id: int
    offer_id: int
    stage: Stage
    score: float
    interview_at: datetime.datetime | None
    contract_kind: str
    contract_start: datetime.date | None
    end_reason: str
    shared: dict[str, str] = Field(description="The parts of the profile the candidate agreed to share.")


class ProposeIn(Schema):
    offer_id: int
    profile_id: int


class WorkFiguresOut(Schema):
    centre_id: int
    month: datetime.date
    active_candidates: int | None
    placements: dict[str, int | None]
    median_days_to_contract: float | None
    followed_up: int | None
    still_employed: int | None


def _employer(request: HttpRequest) -> Employer:
    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.EMPLOYER_CONTACT:
        raise PermissionDenied
    employer = employer_of(request.user, membership.centre)
    if employer is None:
        raise PermissionDenied
    return employer


def _is_employer(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role == Role.EMPLOYER_CONTACT


def _reasons(assessment: Any) -> list[dict[str, Any]]:
    return [
        {"code": r["code"], "text": matching.reason_text(r), "points": r["points"]}
        for r in matching.reasons_as_data(assessment)
    ]


def _application_out(application: Application) -> dict[str, Any]:
    parts = selectors.shared_profile_parts(application)
    return {
        "id": application.pk,
        "offer_id": application.offer_id,
        "stage": application.stage,
        "score": application.score,
        "interview_at": application.interview_at,
        "contract_kind": application.contract_kind,
        "contract_start": application.contract_start,
        "end_reason": application.end_reason,
        "shared": {part.label: part.value for part in parts},
    }


@router.get(
    "/board", response=list[OfferOut], auth=None, operation_id="listWorkBoard", summary="The public offer board"
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def board(request: HttpRequest, filters: Query[BoardFilter]) -> Any:
    kind = filters.kind.value if filters.kind else ""
    return selectors.public_offers(filters=BoardFilters(kind=kind, words=filters.q))


@router.get("/offers", response=list[OfferOut], operation_id="listWorkOffers", summary="The caller's offers")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def offer_list(request: HttpRequest) -> Any:
    if _is_employer(request):
        return selectors.offers_of_employer(employer=_employer(request)).select_related("employer")
    return selectors.offers_of_centre(centre=require_centre(request))


@router.post("/offers", response={201: OfferOut}, operation_id="createWorkOffer", summary="Post an offer (employer)")
@idempotent
def offer_create(request: HttpRequest, payload: OfferIn) -> Status[Offer]:
    employer = _employer(request)
    data = payload.dict()
    occupation = Occupation.objects.filter(uri=data.pop("occupation_uri")).first()
    if occupation is None:
        raise ValidationError({"occupation_uri": _("Unknown occupation. Choose one from the ESCO list.")})
    offer = services.offer_create(employer=employer, by=request.user, occupation=occupation, **data)  # type: ignore[arg-type]
    return Status(201, offer)


def _offer(request: HttpRequest, offer_id: int) -> Offer:
    if _is_employer(request):
        return selectors.offer_of_employer(employer=_employer(request), offer_id=offer_id)
    offer = selectors.offers_of_centre(centre=require_centre(request)).filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return offer


@router.get("/offers/{offer_id}", response=OfferOut, operation_id="getWorkOffer", summary="One offer")
def offer_detail(request: HttpRequest, offer_id: int, response: HttpResponse) -> Offer:
    offer = _offer(request, offer_id)
    response["ETag"] = etag_of(offer)
    return offer


@router.patch(
    "/offers/{offer_id}",
    response=OfferOut,
    operation_id="updateWorkOffer",
    summary="Change an offer (its employer contact, or the centre's staff)",
)
@checks_if_match
def offer_update(request: HttpRequest, offer_id: int, payload: OfferPatch, response: HttpResponse) -> Offer:
    offer = _offer(request, offer_id)
    data = payload.dict(exclude_unset=True)
    nullable = {"application_deadline"}
    if missing := sorted(name for name, value in data.items() if value is None and name not in nullable):
        raise ValidationError({name: _("This field cannot be empty.") for name in missing})
    if "occupation_uri" in data:
        occupation = Occupation.objects.filter(uri=data.pop("occupation_uri")).first()
        if occupation is None:
            raise ValidationError({"occupation_uri": _("Unknown occupation. Choose one from the ESCO list.")})
        data["occupation"] = occupation
    if "kind" in data:
        data["kind"] = OfferKind(data["kind"]).value
    with api_change(request, offer, response):
        return services.offer_update(offer=offer, by=request.user, **data)  # type: ignore[arg-type]


@router.get(
    "/offers/{offer_id}/matches",
    response=list[CandidateMatchOut],
    operation_id="listWorkOfferMatches",
    summary="Ranked candidates for an offer, with reasons (centre)",
)
def offer_matches(request: HttpRequest, offer_id: int) -> list[dict[str, Any]]:
    centre = require_centre(request)
    offer = selectors.offers_of_centre(centre=centre).filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    ranked = matching.candidates_for_offer(offer=offer)
    log_access(request, [row.profile for row in ranked], action=AccessAction.API)
    return [
        {"profile_id": row.profile.pk, "score": round(row.assessment.score, 1), "reasons": _reasons(row.assessment)}
        for row in ranked
    ]


@router.get(
    "/candidates", response=list[CandidateOut], operation_id="listWorkCandidates", summary="The centre's candidates"
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def candidate_list(request: HttpRequest) -> Any:
    profiles = list(selectors.profiles_of_centre(centre=require_centre(request)))
    log_access(request, profiles, action=AccessAction.API)
    return profiles


@router.get(
    "/candidates/{profile_id}/matches",
    response=list[OfferMatchOut],
    operation_id="listWorkCandidateMatches",
    summary="Ranked offers for a candidate, with reasons (centre)",
)
def candidate_matches(request: HttpRequest, profile_id: int) -> list[dict[str, Any]]:
    centre = require_centre(request)
    profile = selectors.profiles_of_centre(centre=centre).filter(pk=profile_id).first()
    if profile is None:
        raise Http404
    log_access(request, [profile], action=AccessAction.API)
    return [
        {
            "offer_id": row.offer.pk,
            "title": row.offer.title,
            "score": round(row.assessment.score, 1),
            "reasons": _reasons(row.assessment),
        }
        for row in matching.offers_for_candidate(profile=profile)
    ]


@router.get(
    "/applications",
    response=list[ApplicationOut],
    operation_id="listWorkApplications",
    summary="Applications: the centre's, or those shared with the employer",
)
def application_list(request: HttpRequest) -> list[dict[str, Any]]:
    if _is_employer(request):
        applications = list(selectors.shared_applications(employer=_employer(request))[:200])
    else:
        applications = list(selectors.applications_of_centre(centre=require_centre(request)).order_by("-pk")[:200])
    log_access(request, [a.profile for a in applications], action=AccessAction.API)
    return [_application_out(application) for application in applications]


@router.post(
    "/applications",
    response={201: ApplicationOut},
    operation_id="proposeWorkCandidate",
    summary="Propose a candidate for an offer (centre)",
)
@idempotent
def application_propose(request: HttpRequest, payload: ProposeIn) -> Status[dict[str, Any]]:
    centre = require_centre(request)
    offer = Offer.objects.for_centre(centre).filter(pk=payload.offer_id).first()
    profile = CandidateProfile.objects.for_centre(centre).filter(pk=payload.profile_id).first()
    if offer is None or profile is None:
        raise Http404
    application = services.application_propose(offer=offer, profile=profile, by=request.user)  # type: ignore[arg-type]
    return Status(201, _application_out(application))


@router.get(
    "/figures",
    response=list[WorkFiguresOut],
    operation_id="listWorkFigures",
    summary="Figures per centre and month; state users get every centre with small counts suppressed",
)
def figure_list(request: HttpRequest) -> list[Any]:
    membership = getattr(request, "membership", None)
    if membership is not None and membership.is_state_role:
        return figures.state_months()
    centre = require_centre(request)
    return [
        {
            "centre_id": row.centre_id,
            "month": row.month,
            "active_candidates": row.active_candidates,
            "placements": row.placements,
            "median_days_to_contract": row.median_days_to_contract,
            "followed_up": row.followed_up,
            "still_employed": row.still_employed,
        }
        for row in figures.centre_months(centre=centre)
    ]
