"""The school placement's endpoints: seats and proposals for a school's contact, intakes, shortage and placement
runs for the centre. The same services as the pages; children appear by id and grade, their names only where
the school portal shows them too (the proposals to the caller's school), and every such answer is logged."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from ankommen.api.auth import authenticated
from ankommen.api.paging import MAX_OFFSET
from ankommen.api.scoping import require_centre, require_school
from ankommen.core.access import log_access
from ankommen.core.concurrency import idempotent
from ankommen.core.models import AccessAction
from ankommen.schooling import placement, selectors, services
from ankommen.schooling.models import IntakeStatus, Placement, PlacementRun, PlacementStatus, SeatKind

router = Router(auth=authenticated, tags=["schooling"])
MAX_LIMIT = 200


def _valid_term(term: str) -> str:
    if errors := services.term_errors(term):
        raise ValidationError({"term": errors})
    return term


# Seats and proposals: the school contact's side ---------------------------------------------------------------


class SeatOfferOut(Schema):
    id: int
    term: str
    grade: int
    kind: SeatKind
    seats: int


class SeatOfferIn(Schema):
    term: str = Field(..., examples=["2026/27-2"])
    grade: int = Field(..., ge=1, le=13)
    kind: SeatKind
    seats: int = Field(..., ge=0, le=500)


@router.get("/seats", response=list[SeatOfferOut], summary="The seats the caller's school keeps for newcomers")
def seat_list(request: HttpRequest, term: str = "") -> Any:
    return list(selectors.seat_offers_of_school(school=require_school(request), term=term or None))


@router.put("/seats", response=SeatOfferOut, summary="Set the seats of one grade, term and kind (history kept)")
def seat_set(request: HttpRequest, payload: SeatOfferIn) -> Any:
    return services.seat_offer_set(
        school=require_school(request),
        by=request.user,  # type: ignore[arg-type]
        term=payload.term,
        grade=payload.grade,
        kind=payload.kind,
        seats=payload.seats,
    )


class ProposalOut(Schema):
    id: int
    status: PlacementStatus
    grade: int
    term: str
    child_given_names: str
    child_family_name: str
    child_birth_date: datetime.date | None
    child_languages: list[str]
    start_date: datetime.date | None

    @staticmethod
    def from_placement(proposal: Placement) -> ProposalOut:
        child = proposal.intake.child
        return ProposalOut(
            id=proposal.pk,
            status=PlacementStatus(proposal.status),
            grade=proposal.grade,
            term=proposal.run.term,
            child_given_names=child.given_names_latin or child.given_names,
            child_family_name=child.family_name_latin or child.family_name,
            child_birth_date=child.birth_date,
            child_languages=list(child.languages),
            start_date=proposal.start_date,
        )


class ConfirmIn(Schema):
    start_date: datetime.date


class DeclineIn(Schema):
    reason: str = Field(..., min_length=1, max_length=255)


@router.get("/proposals", response=list[ProposalOut], summary="Places proposed to the caller's school, to decide")
def proposal_list(request: HttpRequest) -> list[ProposalOut]:
    proposals = list(placement.school_placements(school=require_school(request)).select_related("run"))
    log_access(request, [proposal.intake for proposal in proposals], action=AccessAction.API)
    return [ProposalOut.from_placement(proposal) for proposal in proposals]


def _proposal(request: HttpRequest, placement_id: int) -> tuple[Any, Placement]:
    school = require_school(request)
    proposal = placement.school_placement_get(school=school, placement_id=placement_id)
    log_access(request, [proposal.intake], action=AccessAction.API)
    return school, proposal


@router.post("/proposals/{int:placement_id}/confirm", response=ProposalOut, summary="Confirm a proposed place")
@idempotent
def proposal_confirm(request: HttpRequest, placement_id: int, payload: ConfirmIn) -> ProposalOut:
    school, proposal = _proposal(request, placement_id)
    confirmed = placement.placement_confirm(
        school=school,
        by=request.user,  # type: ignore[arg-type]
        placement=proposal,
        start_date=payload.start_date,
    )
    return ProposalOut.from_placement(confirmed)


@router.post("/proposals/{int:placement_id}/decline", response=ProposalOut, summary="Decline a proposed place")
@idempotent
def proposal_decline(request: HttpRequest, placement_id: int, payload: DeclineIn) -> ProposalOut:
    school, proposal = _proposal(request, placement_id)
    declined = placement.placement_decline(
        school=school,
        by=request.user,  # type: ignore[arg-type]
        placement=proposal,
        reason=payload.reason,
    )
    return ProposalOut.from_placement(declined)


# Intakes, shortage and runs: the centre's side ---------------------------------------------------------------


class IntakeOut(Schema):
    id: int
    child_id: UUID
    status: IntakeStatus
    registered_on: datetime.date
    days_waiting: int
    grade: int | None
    area: str | None
    first_school_day: datetime.date | None


class IntakePage(Schema):
    count: int
    items: list[IntakeOut]


class IntakeQuery(Schema):
    status: IntakeStatus | None = None
    grade: int | None = Field(None, ge=1, le=13)
    over_limit_only: bool = False
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/intakes", response=IntakePage, summary="The centre's open school intakes, longest waiting first")
def intake_list(request: HttpRequest, params: Query[IntakeQuery]) -> dict[str, object]:
    today = timezone.localdate()
    filters = selectors.IntakeFilters(
        status=params.status or "", grade=params.grade, over_limit_only=params.over_limit_only
    )
    intakes = selectors.intake_list(centre=require_centre(request), filters=filters, today=today)
    items = list(intakes[params.offset : params.offset + params.limit])
    log_access(request, items, action=AccessAction.API)
    return {
        "count": intakes.count(),
        "items": [
            IntakeOut(
                id=intake.pk,
                child_id=intake.child_id,
                status=IntakeStatus(intake.status),
                registered_on=intake.registered_on,
                days_waiting=selectors.days_waiting(intake, today),
                grade=intake.grade,  # type: ignore[attr-defined]
                area=intake.municipality.name if intake.municipality else None,
                first_school_day=intake.first_school_day,
            )
            for intake in items
        ],
    }


class ShortageOut(Schema):
    area: str | None
    grade: int
    seats: int
    waiting: int
    shortfall: int
    median_days_waiting: float | None
    longest_days_waiting: int | None


@router.get("/shortage", response=list[ShortageOut], summary="Seats against waiting children per area and grade")
def shortage(request: HttpRequest, term: str = "") -> list[ShortageOut]:
    term = _valid_term(term or selectors.term_of(timezone.localdate()))
    return [
        ShortageOut(
            area=row.municipality.name if row.municipality else None,
            grade=row.grade,
            seats=row.seats,
            waiting=row.waiting,
            shortfall=row.shortfall,
            median_days_waiting=row.median_days,
            longest_days_waiting=row.longest_days,
        )
        for row in selectors.shortage_report(centre=require_centre(request), term=term)
    ]


class RunIn(Schema):
    term: str = Field(..., examples=["2026/27-2"])


class RunOut(Schema):
    id: int
    term: str
    status: str
    progress: float
    children: int | None = None
    placed: int | None = None
    families_split: int | None = None
    total_km: float | None = None
    p95_km: float | None = None

    @staticmethod
    def from_run(run: PlacementRun) -> RunOut:
        summary = placement.run_summary(run)
        return RunOut(
            id=run.pk,
            term=run.term,
            status=run.status,
            progress=run.progress,
            children=summary.children if summary else None,
            placed=summary.placed if summary else None,
            families_split=summary.families_split if summary else None,
            total_km=summary.total_km if summary else None,
            p95_km=summary.p95_km if summary else None,
        )


@router.post("/placement-runs", response={201: RunOut}, summary="Start a placement run (refused while one runs)")
@idempotent
def placement_run_start(request: HttpRequest, payload: RunIn) -> Status[RunOut]:
    run = placement.placement_run_start(
        centre=require_centre(request),
        by=request.user,  # type: ignore[arg-type]
        term=_valid_term(payload.term),
    )
    return Status(201, RunOut.from_run(run))


@router.get("/placement-runs/{int:run_id}", response=RunOut, summary="A placement run: status, progress, summary")
def placement_run_detail(request: HttpRequest, run_id: int) -> RunOut:
    return RunOut.from_run(placement.placement_run_get(centre=require_centre(request), run_id=run_id))
