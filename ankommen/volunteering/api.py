"""The KOMM-AN volunteers endpoints: the centre's volunteers, requests, assignments, shifts, hours and figures,
and for a volunteer's own token their own profile, assignments and hours."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from ankommen.accounts.models import Role
from ankommen.api.auth import authenticated
from ankommen.api.paging import MAX_OFFSET
from ankommen.api.scoping import require_centre
from ankommen.core.access import log_access
from ankommen.core.concurrency import idempotent
from ankommen.core.models import AccessAction
from ankommen.people.models import Person
from ankommen.volunteering import selectors, services, shifts
from ankommen.volunteering.models import (
    Assignment,
    AssignmentStatus,
    ExpectedDuration,
    HoursEntry,
    RequestStatus,
    SupportRequest,
    Volunteer,
    VolunteerStatus,
)

router = Router(auth=authenticated, tags=["volunteering"])
MAX_LIMIT = 200


def _get(getter: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return getter(**kwargs)
    except (ObjectDoesNotExist, ValueError):
        raise Http404 from None


class VolunteerOut(Schema):
    id: int
    name: str = Field(..., alias="user.display_name")
    status: VolunteerStatus
    postcode: str
    radius_km: int
    max_parallel: int
    open_assignments: int
    languages: dict[str, str]
    activities: list[str]
    availability: int
    clearance_valid_until: datetime.date | None


class VolunteerPage(Schema):
    count: int
    items: list[VolunteerOut]


class RequestOut(Schema):
    id: int
    person_id: Any = None
    family_id: Any = None
    partner_organisation: str
    activity: str
    languages: list[str]
    availability: int
    postcode: str
    involves_minors: bool
    expected_duration: ExpectedDuration
    status: RequestStatus
    close_reason: str
    created_at: datetime.datetime
    matched_at: datetime.datetime | None


class RequestPage(Schema):
    count: int
    items: list[RequestOut]


class RequestIn(Schema):
    person_id: str | None = None
    partner_organisation: str = Field("", max_length=200)
    activity: str = Field(..., max_length=40)
    languages: list[str] = []
    availability: int = Field(0, ge=0, le=(1 << 21) - 1)
    postcode: str = Field(..., min_length=5, max_length=5)
    involves_minors: bool = False
    expected_duration: ExpectedDuration
    description: str = Field("", max_length=1000)


class SuggestionOut(Schema):
    volunteer_id: int
    score: float
    distance_km: float
    parts: dict[str, float]


class AssignmentOut(Schema):
    id: int
    request_id: int
    volunteer_id: int
    status: AssignmentStatus
    score: dict[str, Any]
    decided_at: datetime.datetime | None
    reason: str


class HoursOut(Schema):
    id: int
    volunteer_id: int
    assignment_id: int | None
    date: datetime.date
    hours: float
    status: str


class SlotOut(Schema):
    shift_id: int
    title: str
    meeting_point: str
    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    slots: int
    free: int


class VolunteeringFiguresOut(Schema):
    month: str
    sign_ups: int
    active_volunteers: int
    confirmed_hours: float
    requests_opened: int
    requests_matched: int
    median_days_to_match: float | None


class OwnOut(Schema):
    volunteer: VolunteerOut
    assignments: list[AssignmentOut]
    hours: list[HoursOut]


class Paging(Schema):
    status: str = ""
    limit: int = Field(25, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/volunteers", response=VolunteerPage, summary="The centre's volunteers")
def volunteer_list(request: HttpRequest, params: Query[Paging]) -> dict[str, object]:
    status = params.status if params.status in VolunteerStatus.values else ""
    volunteers = selectors.volunteer_list(centre=require_centre(request), status=status)
    items = list(volunteers[params.offset : params.offset + params.limit])
    log_access(request, items, action=AccessAction.API)
    return {"count": volunteers.count(), "items": items}


@router.get("/volunteers/{int:volunteer_id}", response=VolunteerOut, summary="One volunteer")
def volunteer_detail(request: HttpRequest, volunteer_id: int) -> Volunteer:
    volunteer: Volunteer = _get(selectors.volunteer_get, centre=require_centre(request), volunteer_id=volunteer_id)
    log_access(request, [volunteer], action=AccessAction.API)
    return volunteer


@router.get("/requests", response=RequestPage, summary="The centre's support requests")
def request_list(request: HttpRequest, params: Query[Paging]) -> dict[str, object]:
    status = params.status if params.status in RequestStatus.values else ""
    requests = selectors.request_list(centre=require_centre(request), status=status)
    items = list(requests[params.offset : params.offset + params.limit])
    log_access(request, items, action=AccessAction.API)
    return {"count": requests.count(), "items": items}


@router.post("/requests", response={201: RequestOut}, summary="Open a support request")
@idempotent
def request_create(request: HttpRequest, payload: RequestIn) -> Status[SupportRequest]:
    centre = require_centre(request)
    person = None
    if payload.person_id:
        person = Person.objects.for_centre(centre).filter(pk=payload.person_id).first()
        if person is None:
            raise Http404
    created = services.support_request_create(
        centre=centre,
        by=request.user,  # type: ignore[arg-type]
        person=person,
        **payload.dict(exclude={"person_id"}),
    )
    return Status(201, created)


@router.get(
    "/requests/{int:request_id}/suggestions",
    response=list[SuggestionOut],
    summary="Ranked volunteers for one request, with the score broken down",
)
def request_suggestions(request: HttpRequest, request_id: int, limit: int = Query(10, ge=1, le=50)) -> list[Any]:
    centre = require_centre(request)
    support = _get(selectors.request_get, centre=centre, request_id=request_id)
    rows = selectors.suggestions_for(centre=centre, request=support, limit=limit)
    log_access(request, [row.volunteer for row in rows], action=AccessAction.API)
    return [row.suggestion for row in rows]


@router.get("/assignments", response=list[AssignmentOut], summary="The centre's assignments")
def assignment_list(request: HttpRequest, params: Query[Paging]) -> list[Assignment]:
    assignments = Assignment.objects.for_centre(require_centre(request)).order_by("-pk")
    if params.status in AssignmentStatus.values:
        assignments = assignments.filter(status=params.status)
    return list(assignments[params.offset : params.offset + params.limit])


@router.get("/shifts/unfilled", response=list[SlotOut], summary="Unfilled shift slots of the next four weeks")
def shift_unfilled(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "shift_id": o.shift.pk,
            "title": o.shift.title,
            "meeting_point": o.shift.meeting_point.name,
            "date": o.date,
            "starts_at": o.shift.starts_at,
            "ends_at": o.shift.ends_at,
            "slots": o.shift.slots,
            "free": o.free,
        }
        for o in shifts.unfilled(centre=require_centre(request))
    ]


@router.get("/hours", response=list[HoursOut], summary="Hours waiting for confirmation")
def hours_list(request: HttpRequest) -> list[HoursEntry]:
    entries = list(selectors.hours_to_confirm(centre=require_centre(request)))
    log_access(request, entries, action=AccessAction.API)
    return entries


@router.get("/figures", response=list[VolunteeringFiguresOut], summary="Counts per month (no persons)")
def figures(request: HttpRequest) -> list[selectors.MonthFigures]:
    return selectors.monthly_figures(centre=require_centre(request))


def _own(request: HttpRequest) -> Volunteer:
    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.VOLUNTEER:
        raise PermissionDenied
    volunteer = selectors.volunteer_of(request.user)  # type: ignore[arg-type]
    if volunteer is None or volunteer.centre_id != membership.centre_id:
        raise Http404
    return volunteer


@router.get("/me", response=OwnOut, summary="The volunteer's own profile, assignments and hours")
def own_data(request: HttpRequest) -> dict[str, object]:
    volunteer = _own(request)
    return {
        "volunteer": volunteer,
        "assignments": list(selectors.assignments_shown_to_volunteer(volunteer=volunteer)),
        "hours": list(selectors.hours_of_volunteer(volunteer=volunteer)),
    }


class Decision(Schema):
    accept: bool
    reason: str = Field("", max_length=255)


@router.post(
    "/me/assignments/{int:assignment_id}", response=AssignmentOut, summary="Accept or decline a proposed request"
)
@idempotent
def own_assignment_decide(request: HttpRequest, assignment_id: int, payload: Decision) -> Assignment:
    volunteer = _own(request)
    assignment = _get(selectors.assignment_of_volunteer, volunteer=volunteer, assignment_id=assignment_id)
    if payload.accept:
        return services.assignment_accept(volunteer=volunteer, assignment=assignment)
    return services.assignment_decline(volunteer=volunteer, assignment=assignment, reason=payload.reason)
