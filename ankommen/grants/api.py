"""The grants endpoints: programmes, budgets and allocations for the state; grants, payments and proofs of use for
the centre; its own applications for a partner organisation. Amounts are decimal strings in euros."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from ankommen.accounts.models import Role
from ankommen.api.auth import authenticated
from ankommen.api.scoping import require_centre
from ankommen.core.access import log_access
from ankommen.core.concurrency import idempotent
from ankommen.core.models import AccessAction
from ankommen.grants import figures, selectors, services
from ankommen.grants.models import Grant, GrantStatus, Programme, ProofStatus
from ankommen.network.models import Organisation
from ankommen.regions.models import Centre

router = Router(auth=authenticated, tags=["grants"])

Money = Decimal


class BudgetOut(Schema):
    year: int
    amount: Money


class ProgrammeOut(Schema):
    id: int
    key: str
    name: str
    is_active: bool
    budgets: list[BudgetOut]


class BudgetIn(Schema):
    year: int
    amount: Money = Field(..., ge=0, max_digits=12, decimal_places=2)


class AllocationOut(Schema):
    programme_id: int
    year: int
    centre_id: int
    centre: str
    amount: Money


class AllocationIn(Schema):
    programme_id: int
    year: int
    centre_id: int
    amount: Money = Field(..., ge=0, max_digits=12, decimal_places=2)


class GrantFiguresOut(Schema):
    allocated: Money
    granted: Money
    paid: Money
    proven: Money
    applications_open: int
    grants_approved: int
    proofs_overdue: int


class CentreRowOut(Schema):
    centre_id: int
    centre: str
    figures: GrantFiguresOut


class StateBudgetOut(Schema):
    year: int
    programme_id: int | None
    budget: Money | None
    centres: list[CentreRowOut]
    total: GrantFiguresOut


class ProgrammeLineOut(Schema):
    programme_id: int
    programme: str
    figures: GrantFiguresOut


class GrantOut(Schema):
    id: int
    number: str
    programme_id: int
    year: int
    organisation_id: int
    organisation: str = Field(..., alias="organisation.name")
    title: str
    requested_amount: Money
    applied_on: datetime.date
    status: GrantStatus
    approved_amount: Money | None
    decided_on: datetime.date | None
    proof_due_on: datetime.date | None


class GrantDetailOut(GrantOut):
    description: str
    contact_name: str
    contact_email: str
    decision_reason: str


class GrantIn(Schema):
    programme_id: int
    year: int
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=5000)
    requested_amount: Money = Field(..., gt=0, max_digits=12, decimal_places=2)
    contact_name: str = Field(..., min_length=1, max_length=160)
    contact_email: str = Field(..., min_length=3, max_length=254)


class CentreGrantIn(GrantIn):
    organisation_id: int


class DecisionIn(Schema):
    decision: Literal["approve", "reject"]
    approved_amount: Money | None = Field(None, gt=0, max_digits=12, decimal_places=2)
    proof_due_on: datetime.date | None = None
    reason: str = Field("", max_length=5000)


class PaymentOut(Schema):
    id: int
    paid_on: datetime.date
    amount: Money


class PaymentIn(Schema):
    amount: Money = Field(..., gt=0, max_digits=12, decimal_places=2)
    paid_on: datetime.date | None = None


class ProofOut(Schema):
    status: ProofStatus
    report: str
    spent_amount: Money
    submitted_on: datetime.date
    check_note: str
    checked_on: datetime.date | None


class ProofIn(Schema):
    report: str = Field(..., min_length=1, max_length=10000)
    spent_amount: Money = Field(..., ge=0, max_digits=12, decimal_places=2)


class ProofCheckIn(Schema):
    accept: bool
    note: str = Field("", max_length=5000)


def _figures_out(f: figures.BudgetFigures) -> dict[str, Any]:
    return {
        "allocated": f.allocated,
        "granted": f.granted,
        "paid": f.paid,
        "proven": f.proven,
        "applications_open": f.applications_open,
        "grants_approved": f.grants_approved,
        "proofs_overdue": f.proofs_overdue,
    }


def _state(request: HttpRequest, *, write: bool = False) -> None:
    membership = getattr(request, "membership", None)
    allowed = {Role.STATE_ANALYST} if write else {Role.STATE_ANALYST, Role.RESEARCHER}
    if membership is None or membership.role not in allowed:
        raise PermissionDenied


def _programme(programme_id: int) -> Programme:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise ValidationError({"programme_id": ["Unknown programme."]})
    return programme


def _partner(request: HttpRequest) -> Organisation:
    from ankommen.network.partners import partner_organisation

    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.PARTNER_CONTACT:
        raise PermissionDenied
    organisation = partner_organisation(user=request.user, centre=membership.centre)
    if organisation is None:
        raise PermissionDenied
    return organisation


# ---- The state ----


@router.get("/programmes", response=list[ProgrammeOut], summary="Programmes with their yearly budgets (state)")
def programme_list(request: HttpRequest) -> list[dict[str, Any]]:
    _state(request)
    return [
        {
            "id": programme.pk,
            "key": programme.key,
            "name": programme.name,
            "is_active": programme.is_active,
            "budgets": [
                {"year": b.year, "amount": b.amount} for b in selectors.budgets_of_programme(programme=programme)
            ],
        }
        for programme in selectors.programmes()
    ]


@router.post(
    "/programmes/{programme_id}/budgets",
    response={200: BudgetOut},
    summary="Set a programme's budget for a year (state analyst)",
)
@idempotent
def budget_set(request: HttpRequest, programme_id: int, payload: BudgetIn) -> dict[str, Any]:
    _state(request, write=True)
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    budget = services.budget_set(programme=programme, by=request.user, year=payload.year, amount=payload.amount)  # type: ignore[arg-type]
    return {"year": budget.year, "amount": budget.amount}


@router.get("/allocations", response=list[AllocationOut], summary="Allocations to the centres of a year (state)")
def allocation_list(request: HttpRequest, year: int, programme_id: int | None = None) -> list[dict[str, Any]]:
    _state(request)
    programmes = [_programme(programme_id)] if programme_id else list(selectors.programmes())
    return [
        {
            "programme_id": a.programme_id,
            "year": a.year,
            "centre_id": a.centre_id,
            "centre": a.centre.name,
            "amount": a.amount,
        }
        for programme in programmes
        for a in selectors.allocations_of_programme(programme=programme, year=year)
    ]


@router.post("/allocations", response={200: AllocationOut}, summary="Set a centre's allocation (state analyst)")
@idempotent
def allocation_set(request: HttpRequest, payload: AllocationIn) -> dict[str, Any]:
    _state(request, write=True)
    centre = Centre.objects.filter(pk=payload.centre_id).first()
    if centre is None:
        raise ValidationError({"centre_id": ["Unknown centre."]})
    allocation = services.allocation_set(
        programme=_programme(payload.programme_id),
        year=payload.year,
        centre=centre,
        amount=payload.amount,
        by=request.user,  # type: ignore[arg-type]
    )
    return {
        "programme_id": allocation.programme_id,
        "year": allocation.year,
        "centre_id": centre.pk,
        "centre": centre.name,
        "amount": allocation.amount,
    }


@router.get("/state-budget", response=StateBudgetOut, summary="Allocated, granted, paid, proven for all centres")
def state_budget(request: HttpRequest, year: int, programme_id: int | None = None) -> dict[str, Any]:
    _state(request)
    table = figures.state_budget_table(year=year, programme=_programme(programme_id) if programme_id else None)
    return {
        "year": year,
        "programme_id": programme_id,
        "budget": table.budget,
        "centres": [
            {"centre_id": r.centre_id, "centre": r.centre_name, "figures": _figures_out(r.figures)} for r in table.rows
        ],
        "total": _figures_out(table.total),
    }


# ---- The centre ----


@router.get("/budget", response=list[ProgrammeLineOut], summary="The centre's programme funds of a year")
def centre_budget(request: HttpRequest, year: int) -> list[dict[str, Any]]:
    centre = require_centre(request)
    return [
        {"programme_id": line.programme.pk, "programme": line.programme.name, "figures": _figures_out(line.figures)}
        for line in figures.centre_budget(centre=centre, year=year)
    ]


@router.get("/grants", response=list[GrantOut], summary="The centre's applications and grants with their status")
def grant_list(request: HttpRequest, year: int | None = None, status: GrantStatus | None = None) -> list[Grant]:
    return list(selectors.grants_of_centre(centre=require_centre(request), year=year, status=status or ""))


@router.post("/grants", response={201: GrantDetailOut}, summary="Record an application for an organisation")
@idempotent
def grant_create(request: HttpRequest, payload: CentreGrantIn) -> Status[Grant]:
    centre = require_centre(request)
    organisation = Organisation.objects.for_centre(centre).filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise ValidationError({"organisation_id": ["This organisation is not in your centre's network."]})
    data = payload.dict(exclude={"organisation_id", "programme_id"})
    grant = services.grant_apply(
        centre=centre,
        organisation=organisation,
        programme=_programme(payload.programme_id),
        by=request.user,  # type: ignore[arg-type]
        **data,
    )
    return Status(201, grant)


def _centre_grant(request: HttpRequest, grant_id: int) -> Grant:
    return selectors.grant_of_centre(centre=require_centre(request), grant_id=grant_id)


@router.get("/grants/{grant_id}", response=GrantDetailOut, summary="One grant with its contact person (logged read)")
def grant_detail(request: HttpRequest, grant_id: int) -> Grant:
    grant = _centre_grant(request, grant_id)
    log_access(request, [grant], action=AccessAction.API)
    return grant


@router.post("/grants/{grant_id}/decision", response=GrantOut, summary="Approve an amount or reject with reason")
@idempotent
def grant_decide(request: HttpRequest, grant_id: int, payload: DecisionIn) -> Grant:
    grant = _centre_grant(request, grant_id)
    if payload.decision == "reject":
        return services.grant_reject(grant=grant, by=request.user, reason=payload.reason)  # type: ignore[arg-type]
    if payload.approved_amount is None or payload.proof_due_on is None:
        raise ValidationError({"approved_amount": ["An approval needs approved_amount and proof_due_on."]})
    return services.grant_approve(
        grant=grant,
        by=request.user,  # type: ignore[arg-type]
        approved_amount=payload.approved_amount,
        proof_due_on=payload.proof_due_on,
        reason=payload.reason,
    )


@router.get("/grants/{grant_id}/payments", response=list[PaymentOut], summary="The instalments paid on a grant")
def payment_list(request: HttpRequest, grant_id: int) -> list[Any]:
    return selectors.payments_of_grant(grant=_centre_grant(request, grant_id))


@router.post("/grants/{grant_id}/payments", response={201: PaymentOut}, summary="Pay an instalment")
@idempotent
def payment_create(request: HttpRequest, grant_id: int, payload: PaymentIn) -> Status[Any]:
    grant = _centre_grant(request, grant_id)
    payment = services.payment_record(grant=grant, by=request.user, amount=payload.amount, paid_on=payload.paid_on)  # type: ignore[arg-type]
    return Status(201, payment)


@router.get("/grants/{grant_id}/proof", response={200: ProofOut}, summary="The proof of use of a grant")
def proof_detail(request: HttpRequest, grant_id: int) -> Any:
    proof = selectors.proof_of_grant(grant=_centre_grant(request, grant_id))
    if proof is None:
        raise Http404
    return proof


@router.post("/grants/{grant_id}/proof/check", response=ProofOut, summary="Accept the proof of use or ask questions")
@idempotent
def proof_check(request: HttpRequest, grant_id: int, payload: ProofCheckIn) -> Any:
    grant = _centre_grant(request, grant_id)
    return services.proof_check(grant=grant, by=request.user, accept=payload.accept, note=payload.note)  # type: ignore[arg-type]


# ---- The partner organisation ----


@router.get("/my-applications", response=list[GrantDetailOut], summary="The partner organisation's own applications")
def my_applications(request: HttpRequest) -> list[Grant]:
    organisation = _partner(request)
    return list(selectors.grants_of_organisation(organisation=organisation))


@router.post("/my-applications", response={201: GrantDetailOut}, summary="Apply for funds (partner organisation)")
@idempotent
def my_application_create(request: HttpRequest, payload: GrantIn) -> Status[Grant]:
    organisation = _partner(request)
    grant = services.grant_apply(
        centre=organisation.centre,
        organisation=organisation,
        programme=_programme(payload.programme_id),
        by=request.user,  # type: ignore[arg-type]
        **payload.dict(exclude={"programme_id"}),
    )
    return Status(201, grant)


@router.post("/my-applications/{grant_id}/proof", response={201: ProofOut}, summary="Submit the proof of use (partner)")
@idempotent
def my_proof_submit(request: HttpRequest, grant_id: int, payload: ProofIn) -> Status[Any]:
    organisation = _partner(request)
    grant = selectors.grant_of_organisation(organisation=organisation, grant_id=grant_id)
    proof = services.proof_submit(
        grant=grant,
        by=request.user,  # type: ignore[arg-type]
        report=payload.report,
        spent_amount=payload.spent_amount,
    )
    return Status(201, proof)
