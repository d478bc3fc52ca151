"""Test data of the grants module: built through the services, so that every rule holds."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ankommen.accounts.models import Role, User
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.grants import services
from ankommen.grants.models import Allocation, Grant, Programme, ProgrammeBudget
from ankommen.network.models import Organisation
from ankommen.network.tests.factories import OrganisationFactory
from ankommen.regions.models import Centre

THIS_YEAR = timezone.localdate().year


def komm_an() -> Programme:
    programme, _created = Programme.objects.get_or_create(key="komm-an-nrw", defaults={"name": "KOMM-AN NRW"})
    return programme


def analyst() -> User:
    user: User = UserFactory()  # type: ignore[assignment]
    MembershipFactory(user=user, role=Role.STATE_ANALYST, centre=None)
    return user


def budget(amount: str = "100000", *, year: int = THIS_YEAR, programme: Programme | None = None) -> ProgrammeBudget:
    return services.budget_set(programme=programme or komm_an(), year=year, amount=Decimal(amount), by=analyst())


def allocation(
    centre: Centre, amount: str = "20000", *, year: int = THIS_YEAR, budget_amount: str = "100000"
) -> Allocation:
    programme = komm_an()
    if not ProgrammeBudget.objects.filter(programme=programme, year=year).exists():
        budget(budget_amount, year=year)
    return services.allocation_set(programme=programme, year=year, centre=centre, amount=Decimal(amount), by=analyst())


def organisation(centre: Centre, **fields: Any) -> Organisation:
    made: Organisation = OrganisationFactory(centre=centre, **fields)  # type: ignore[assignment]
    return made


def application(
    centre: Centre,
    by: User,
    *,
    organisation_: Organisation | None = None,
    requested: str = "5000",
    year: int = THIS_YEAR,
    title: str = "Sprachcafé für Geflüchtete",
) -> Grant:
    return services.grant_apply(
        centre=centre,
        organisation=organisation_ or organisation(centre),
        programme=komm_an(),
        year=year,
        title=title,
        description="Wöchentliches Sprachcafé mit Kinderbetreuung.",
        requested_amount=Decimal(requested),
        contact_name="Maria Beispiel",
        contact_email="maria.beispiel@example.org",
        by=by,
    )


def approved(
    centre: Centre,
    by: User,
    *,
    amount: str = "4000",
    requested: str = "5000",
    due_in_days: int = 180,
    organisation_: Organisation | None = None,
) -> Grant:
    grant = application(centre, by, organisation_=organisation_, requested=requested)
    return services.grant_approve(
        grant=grant,
        by=by,
        approved_amount=Decimal(amount),
        proof_due_on=timezone.localdate() + datetime.timedelta(days=due_in_days),
    )


def set_due(grant: Grant, due: datetime.date) -> Grant:
    """Move the due date (the service refuses a due date before the decision; tests need the past)."""
    Grant.objects.for_centre(grant.centre).filter(pk=grant.pk).update(proof_due_on=due)
    grant.refresh_from_db()
    return grant
