"""Writes of the grants module. Each runs in one transaction and locks the row whose limit it checks, so that two
concurrent requests cannot both pass a cap: the budget row for allocations, the allocation row for approvals, the
grant row for payments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ankommen.core.row_level_security import centre_scope
from ankommen.grants.models import (
    CENT,
    Allocation,
    Grant,
    GrantStatus,
    Payment,
    Programme,
    ProgrammeBudget,
    ProofOfUse,
    ProofStatus,
)

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.network.models import Organisation
    from ankommen.regions.models import Centre

# Years the state plans for: a typo like 2062 is refused.
YEARS_BACK, YEARS_AHEAD = 10, 2


def eur(amount: Decimal) -> str:
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} €"


def _money(amount: Decimal, field: str) -> Decimal:
    amount = Decimal(amount)
    if amount != amount.quantize(CENT):
        raise ValidationError({field: [_("Amounts are in euros and cents.")]})
    return amount.quantize(CENT)


def _check_year(year: int) -> None:
    this_year = timezone.localdate().year
    if not this_year - YEARS_BACK <= year <= this_year + YEARS_AHEAD:
        raise ValidationError(
            {
                "year": [
                    _("Choose a year between %(first)d and %(last)d.")
                    % {"first": this_year - YEARS_BACK, "last": this_year + YEARS_AHEAD}
                ]
            }
        )


def _sum(queryset: object, field: str = "amount") -> Decimal:
    total = queryset.aggregate(total=Sum(field))["total"]  # type: ignore[attr-defined]
    return Decimal(total or 0)


# ---- The state: budgets and allocations ----


@transaction.atomic
def budget_set(*, programme: Programme, year: int, amount: Decimal, by: User) -> ProgrammeBudget:
    """A programme's budget for a year; it cannot fall below what has been allocated to the centres."""
    _check_year(year)
    amount = _money(amount, "amount")
    budget, _created = ProgrammeBudget.objects.select_for_update().get_or_create(
        programme=programme, year=year, defaults={"amount": amount}
    )
    allocated = _sum(Allocation.objects.dangerously_unscoped().filter(programme=programme, year=year))
    if amount < allocated:
        raise ValidationError(
            {
                "amount": [
                    _("%(amount)s is less than the %(allocated)s already allocated to the centres for %(year)d.")
                    % {"amount": eur(amount), "allocated": eur(allocated), "year": year}
                ]
            }
        )
    budget.amount = amount
    with pghistory.context(user=by.pk):
        budget.full_clean()
        budget.save()
    return budget


def allocation_set(*, programme: Programme, year: int, centre: Centre, amount: Decimal, by: User) -> Allocation:
    """Set a centre's allocation. The sum of a year's allocations never exceeds the year's budget, and an
    allocation never falls below what the centre has already granted from it."""
    # The state analyst's request names no centre to the database: the allocation is written for the one it names.
    with centre_scope(centre.pk):
        return _allocation_set(programme=programme, year=year, centre=centre, amount=amount, by=by)


@transaction.atomic
def _allocation_set(*, programme: Programme, year: int, centre: Centre, amount: Decimal, by: User) -> Allocation:
    _check_year(year)
    amount = _money(amount, "amount")
    budget = ProgrammeBudget.objects.select_for_update().filter(programme=programme, year=year).first()
    if budget is None:
        raise ValidationError(
            {"year": [_("%(programme)s has no budget for %(year)d yet.") % {"programme": programme, "year": year}]}
        )
    others = _sum(
        Allocation.objects.dangerously_unscoped().filter(programme=programme, year=year).exclude(centre=centre)
    )
    if others + amount > budget.amount:
        raise ValidationError(
            {
                "amount": [
                    _(
                        "The allocations for %(year)d would come to %(total)s, above the budget of %(budget)s. "
                        "At most %(left)s is left for this centre."
                    )
                    % {
                        "year": year,
                        "total": eur(others + amount),
                        "budget": eur(budget.amount),
                        "left": eur(budget.amount - others),
                    }
                ]
            }
        )
    granted = _approved_sum(centre=centre, programme=programme, year=year)
    if amount < granted:
        raise ValidationError(
            {
                "amount": [
                    _("The centre has already granted %(granted)s from this allocation.") % {"granted": eur(granted)}
                ]
            }
        )
    allocation = (
        Allocation.objects.for_centre(centre).select_for_update().filter(programme=programme, year=year).first()
    )
    if allocation is None:
        allocation = Allocation(centre=centre, programme=programme, year=year, amount=amount, decided_by=by)
    allocation.amount = amount
    allocation.decided_by = by
    with pghistory.context(user=by.pk):
        allocation.full_clean()
        allocation.save()
    return allocation


# ---- The centre: applications, decisions, payments, proofs ----


def _approved_sum(*, centre: Centre, programme: Programme, year: int, exclude: Grant | None = None) -> Decimal:
    grants = Grant.objects.for_centre(centre).filter(programme=programme, year=year, status=GrantStatus.APPROVED)
    if exclude is not None:
        grants = grants.exclude(pk=exclude.pk)
    return _sum(grants, "approved_amount")


def _locked(grant: Grant) -> Grant:
    return Grant.objects.for_centre(grant.centre).select_for_update().get(pk=grant.pk)


@transaction.atomic
def grant_apply(
    *,
    centre: Centre,
    organisation: Organisation,
    programme: Programme,
    year: int,
    title: str,
    description: str,
    requested_amount: Decimal,
    contact_name: str,
    contact_email: str,
    by: User,
    applied_on: datetime.date | None = None,
) -> Grant:
    """An application, entered by the organisation's contact or by the centre's staff on its behalf."""
    if organisation.centre_id != centre.pk:
        raise ValidationError({"organisation": [_("This organisation is not in your centre's network.")]})
    if not programme.is_active:
        raise ValidationError({"programme": [_("This programme takes no applications.")]})
    _check_year(year)
    grant = Grant(
        centre=centre,
        organisation=organisation,
        programme=programme,
        year=year,
        title=title.strip(),
        description=description.strip(),
        requested_amount=_money(requested_amount, "requested_amount"),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        applied_on=applied_on or timezone.localdate(),
        applied_by=by,
    )
    with pghistory.context(user=by.pk):
        grant.full_clean()
        grant.save()
    return grant


def _undecided(grant: Grant) -> Grant:
    grant = _locked(grant)
    if grant.status != GrantStatus.APPLIED:
        raise ValidationError(_("This application has already been decided."))
    return grant


@transaction.atomic
def grant_approve(
    *,
    grant: Grant,
    by: User,
    approved_amount: Decimal,
    proof_due_on: datetime.date,
    reason: str = "",
    decided_on: datetime.date | None = None,
) -> Grant:
    """Approve an amount up to the one requested; all approvals of a year stay within the centre's allocation."""
    grant = _undecided(grant)
    amount = _money(approved_amount, "approved_amount")
    if amount <= 0:
        raise ValidationError({"approved_amount": [_("Approve an amount above zero, or reject the application.")]})
    if amount > grant.requested_amount:
        raise ValidationError(
            {
                "approved_amount": [
                    _("The organisation asked for %(requested)s; no more can be approved.")
                    % {"requested": eur(grant.requested_amount)}
                ]
            }
        )
    decided_on = decided_on or timezone.localdate()
    if proof_due_on <= decided_on:
        raise ValidationError({"proof_due_on": [_("The proof of use falls due after the decision.")]})
    allocation = (
        Allocation.objects.for_centre(grant.centre)
        .select_for_update()
        .filter(programme=grant.programme_id, year=grant.year)
        .first()
    )
    if allocation is None:
        raise ValidationError(
            {
                "approved_amount": [
                    _("The centre has no allocation of %(programme)s for %(year)d.")
                    % {"programme": grant.programme, "year": grant.year}
                ]
            }
        )
    granted = _approved_sum(centre=grant.centre, programme=grant.programme, year=grant.year, exclude=grant)
    if granted + amount > allocation.amount:
        raise ValidationError(
            {
                "approved_amount": [
                    _(
                        "This would exceed the centre's allocation of %(allocation)s for %(year)d: %(granted)s is "
                        "already granted, %(left)s is left."
                    )
                    % {
                        "allocation": eur(allocation.amount),
                        "year": grant.year,
                        "granted": eur(granted),
                        "left": eur(allocation.amount - granted),
                    }
                ]
            }
        )
    grant.status = GrantStatus.APPROVED
    grant.approved_amount = amount
    grant.proof_due_on = proof_due_on
    grant.decision_reason = reason.strip()
    grant.decided_on = decided_on
    grant.decided_by = by
    with pghistory.context(user=by.pk):
        grant.full_clean()
        grant.save()
    return grant


@transaction.atomic
def grant_reject(*, grant: Grant, by: User, reason: str, decided_on: datetime.date | None = None) -> Grant:
    grant = _undecided(grant)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the rejection.")]})
    grant.status = GrantStatus.REJECTED
    grant.decision_reason = reason.strip()
    grant.decided_on = decided_on or timezone.localdate()
    grant.decided_by = by
    with pghistory.context(user=by.pk):
        grant.full_clean()
        grant.save()
    return grant


def paid_sum(grant: Grant) -> Decimal:
    return _sum(Payment.objects.for_centre(grant.centre).filter(grant=grant))


@transaction.atomic
def payment_record(*, grant: Grant, by: User, amount: Decimal, paid_on: datetime.date | None = None) -> Payment:
    """Pay an instalment. The grant row stays locked until the transaction ends, so concurrent payments are
    checked one after the other and their sum never exceeds the approved amount."""
    grant = _locked(grant)
    if grant.status != GrantStatus.APPROVED or grant.approved_amount is None:
        raise ValidationError(_("Only an approved grant can be paid."))
    amount = _money(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": [_("Enter an amount above zero.")]})
    paid = paid_sum(grant)
    if paid + amount > grant.approved_amount:
        raise ValidationError(
            {
                "amount": [
                    _("%(paid)s of the approved %(approved)s has been paid: at most %(left)s can still be paid.")
                    % {
                        "paid": eur(paid),
                        "approved": eur(grant.approved_amount),
                        "left": eur(grant.approved_amount - paid),
                    }
                ]
            }
        )
    paid_on = paid_on or timezone.localdate()
    if grant.decided_on and paid_on < grant.decided_on:
        raise ValidationError({"paid_on": [_("A payment cannot come before the decision.")]})
    payment = Payment(centre=grant.centre, grant=grant, paid_on=paid_on, amount=amount, recorded_by=by)
    with pghistory.context(user=by.pk):
        payment.full_clean()
        payment.save()
    return payment


# Receipts are attached as PDF or image; the type is read from the file's first bytes, not from its name.
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_TYPES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes


def _attachment_type(attachment: Attachment) -> str:
    if len(attachment.content) > ATTACHMENT_MAX_BYTES or not attachment.content:
        raise ValidationError({"attachment": [_("Attach one file of at most 5 MB.")]})
    for magic, content_type in ATTACHMENT_TYPES.items():
        if attachment.content.startswith(magic):
            return content_type
    raise ValidationError({"attachment": [_("Attach a PDF, PNG or JPEG file.")]})


@transaction.atomic
def proof_submit(
    *, grant: Grant, by: User, report: str, spent_amount: Decimal, attachment: Attachment | None = None
) -> ProofOfUse:
    """The organisation's proof of use: first submitted, or answered again after the centre's questions. A new
    attachment replaces the earlier one; without one, the earlier one stays."""
    grant = _locked(grant)
    if grant.status != GrantStatus.APPROVED:
        raise ValidationError(_("A proof of use belongs to an approved grant."))
    proof = ProofOfUse.objects.for_centre(grant.centre).filter(grant=grant).first()
    if proof is not None and proof.status != ProofStatus.QUESTIONS:
        raise ValidationError(_("The proof of use has been submitted already."))
    if proof is None:
        proof = ProofOfUse(centre=grant.centre, grant=grant)
    proof.report = report.strip()
    proof.spent_amount = _money(spent_amount, "spent_amount")
    proof.submitted_on = timezone.localdate()
    proof.submitted_by = by
    proof.status = ProofStatus.SUBMITTED
    if attachment is not None:
        proof.attachment_type = _attachment_type(attachment)
        proof.attachment = attachment.content
        proof.attachment_name = Path(attachment.name).name[-120:] or "anlage"
    with pghistory.context(user=by.pk):
        proof.full_clean()
        proof.save()
    return proof


@transaction.atomic
def proof_check(*, grant: Grant, by: User, accept: bool, note: str = "") -> ProofOfUse:
    """The centre accepts the proof of use, or sends it back with its questions."""
    grant = _locked(grant)
    proof = ProofOfUse.objects.for_centre(grant.centre).select_for_update().filter(grant=grant).first()
    if proof is None or proof.status != ProofStatus.SUBMITTED:
        raise ValidationError(_("There is no submitted proof of use to check."))
    if not accept and not note.strip():
        raise ValidationError({"note": [_("Write down the questions for the organisation.")]})
    proof.status = ProofStatus.ACCEPTED if accept else ProofStatus.QUESTIONS
    proof.check_note = note.strip()
    proof.checked_on = timezone.localdate()
    proof.checked_by = by
    with pghistory.context(user=by.pk):
        proof.full_clean()
        proof.save()
    return proof
