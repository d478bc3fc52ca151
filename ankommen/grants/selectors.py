"""Reads of the grants module: always for one centre, or one organisation of it."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.http import Http404

from ankommen.grants.models import Allocation, Grant, GrantStatus, Payment, Programme, ProgrammeBudget, ProofOfUse
from ankommen.network.models import Organisation
from ankommen.regions.models import Centre


def grants_of_centre(*, centre: Centre, year: int | None = None, status: str = "") -> QuerySet[Grant]:
    grants = (
        Grant.objects.for_centre(centre).select_related("organisation", "programme", "proof").defer("proof__attachment")
    )
    if year:
        grants = grants.filter(year=year)
    if status in GrantStatus.values:
        grants = grants.filter(status=status)
    return grants.annotate(paid=Sum("payments__amount")).order_by("-applied_on", "-pk")


def grant_of_centre(*, centre: Centre, grant_id: int) -> Grant:
    try:
        return (
            Grant.objects.for_centre(centre)
            .select_related("organisation", "programme", "centre", "decided_by")
            .get(pk=grant_id)
        )
    except (Grant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def grants_of_organisation(*, organisation: Organisation) -> QuerySet[Grant]:
    return (
        Grant.objects.for_centre(organisation.centre)
        .filter(organisation=organisation)
        .select_related("programme", "proof")
        .defer("proof__attachment")
        .annotate(paid=Sum("payments__amount"))
        .order_by("-applied_on", "-pk")
    )


def grant_of_organisation(*, organisation: Organisation, grant_id: int) -> Grant:
    """The organisation's own grant; any other answers 404, also one of another organisation of the centre."""
    try:
        return (
            Grant.objects.for_centre(organisation.centre)
            .select_related("organisation", "programme", "centre")
            .get(pk=grant_id, organisation=organisation)
        )
    except (Grant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def payments_of_grant(*, grant: Grant) -> list[Payment]:
    return list(Payment.objects.for_centre(grant.centre).filter(grant=grant).order_by("paid_on", "pk"))


def proof_of_grant(*, grant: Grant) -> ProofOfUse | None:
    """The proof without its attached file (read only for the download)."""
    proof: ProofOfUse | None = (
        ProofOfUse.objects.for_centre(grant.centre).filter(grant=grant).defer("attachment").first()
    )
    return proof


def attachment_of_grant(*, grant: Grant) -> tuple[bytes, str] | None:
    row = (
        ProofOfUse.objects.for_centre(grant.centre)
        .filter(grant=grant, attachment__isnull=False)
        .values_list("attachment", "attachment_type")
        .first()
    )
    return (bytes(row[0] or b""), row[1]) if row else None


def paid_total(payments: list[Payment]) -> Decimal:
    return sum((payment.amount for payment in payments), Decimal("0.00"))


def programmes() -> QuerySet[Programme]:
    return Programme.objects.order_by("name")


def budgets_of_programme(*, programme: Programme) -> QuerySet[ProgrammeBudget]:
    return ProgrammeBudget.objects.filter(programme=programme).order_by("-year")


def allocations_of_programme(*, programme: Programme, year: int) -> list[Allocation]:
    """The state's view of a programme year: every centre's allocation (figures, no person)."""
    return list(
        Allocation.objects.dangerously_unscoped()
        .filter(programme=programme, year=year)
        .select_related("centre")
        .order_by("centre__name")
    )
