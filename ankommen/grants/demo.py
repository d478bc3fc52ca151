"""Demo data for `make run`: KOMM-AN NRW budgets of this and last year, allocations to every centre by population,
and in each demo centre grants in every state (applied, approved, partly paid, proof of use due soon, overdue,
submitted, accepted, rejected). Deterministic from `seed`; run again, it adds nothing."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone

from ankommen.accounts.models import User
from ankommen.grants import services
from ankommen.grants.models import Allocation, Grant, Programme, ProgrammeBudget
from ankommen.network.models import Organisation
from ankommen.network.partners import partner_organisation
from ankommen.people.demo.users import DEMO_CENTRE_SLUGS, demo_email
from ankommen.regions.models import Centre

KOMM_AN_KEY = "komm-an-nrw"
BUDGET = {0: Decimal("4200000"), 1: Decimal("3900000")}  # this year, last year
# The state keeps a reserve: the centres share 95 % of the budget by the population they serve.
SHARED = Decimal("0.95")

PROJECTS = [
    ("Sprachcafé mit Kinderbetreuung", "Wöchentliches Sprachcafé; Honorare, Material, Kinderbetreuung."),
    ("Begleitung zu Ämtern", "Schulung und Fahrtkosten ehrenamtlicher Begleiterinnen und Begleiter."),
    ("Hausaufgabenhilfe im Quartier", "Raummiete und Lernmaterial für zwei Nachmittage pro Woche."),
    ("Nähwerkstatt für Frauen", "Nähmaschinen, Stoffe und eine Honorarkraft."),
    ("Fußball für alle", "Trikots, Bälle und Hallenzeiten für eine offene Trainingsgruppe."),
    ("Dolmetscherpool", "Aufwandsentschädigungen und eine Fortbildung für Sprachmittelnde."),
    ("Elterncafé an der Grundschule", "Verpflegung und Material für monatliche Treffen."),
    ("Interkulturelles Stadtteilfest", "Bühne, Technik und Verpflegung."),
]
STATES = ["applied", "approved", "partly_paid", "due_soon", "overdue", "submitted", "accepted", "rejected"]


def _euros(amount: Decimal, step: Decimal = Decimal(100)) -> Decimal:
    return (amount / step).quantize(Decimal(1), rounding=ROUND_DOWN) * step


def _budgets_and_allocations(programme: Programme, by: User, year: int, amount: Decimal) -> int:
    if ProgrammeBudget.objects.filter(programme=programme, year=year).exists():
        return 0
    services.budget_set(programme=programme, year=year, amount=amount, by=by)
    centres = list(Centre.objects.order_by("name"))
    population = sum(centre.population_served for centre in centres) or 1
    for centre in centres:
        share = _euros(amount * SHARED * centre.population_served / population)
        services.allocation_set(programme=programme, year=year, centre=centre, amount=share, by=by)
    return len(centres)


def _grant(
    rng: random.Random,
    *,
    centre: Centre,
    organisation: Organisation,
    programme: Programme,
    year: int,
    state: str,
    by: User,
    today: datetime.date,
) -> Grant:
    title, description = rng.choice(PROJECTS)
    requested = Decimal(rng.randrange(10, 80) * 100)
    past = year < today.year
    applied_on = datetime.date(year, 2, 1) if past else today - datetime.timedelta(days=rng.randrange(100, 150))
    if state == "applied":
        applied_on = today - datetime.timedelta(days=rng.randrange(1, 20))
    grant = services.grant_apply(
        centre=centre,
        organisation=organisation,
        programme=programme,
        year=year,
        title=title,
        description=description,
        requested_amount=requested,
        contact_name=f"{rng.choice(['Aylin', 'Jonas', 'Mariam', 'Peter', 'Olena', 'Samir'])} "
        f"{rng.choice(['Demir', 'Schmitz', 'Haddad', 'Becker', 'Kowalska', 'Nowak'])}",
        contact_email=f"kontakt{rng.randrange(100, 999)}@{organisation.pk}.demo.ankommen.nrw",
        by=by,
        applied_on=applied_on,
    )
    if state == "applied":
        return grant
    decided_on = applied_on + datetime.timedelta(days=14)
    if state == "rejected":
        return services.grant_reject(
            grant=grant, by=by, reason="Das Vorhaben ist bereits anderweitig finanziert.", decided_on=decided_on
        )
    due = {
        "due_soon": today + datetime.timedelta(days=10),
        "overdue": today - datetime.timedelta(days=12),
        "submitted": today + datetime.timedelta(days=5),
        "accepted": today - datetime.timedelta(days=30),
    }.get(state, today + datetime.timedelta(days=200))
    if past:
        due = datetime.date(year + 1, 3, 31)
    approved = _euros(requested * Decimal(rng.choice(["1", "1", "0.8"])))
    grant = services.grant_approve(
        grant=grant, by=by, approved_amount=approved, proof_due_on=due, decided_on=decided_on
    )
    if state == "approved":
        return grant
    first = _euros(approved / 2)
    services.payment_record(grant=grant, by=by, amount=first, paid_on=decided_on + datetime.timedelta(days=7))
    if state in {"submitted", "accepted", "overdue"} or past:
        services.payment_record(
            grant=grant, by=by, amount=approved - first, paid_on=decided_on + datetime.timedelta(days=60)
        )
    if state in {"submitted", "accepted"} or past:
        services.proof_submit(
            grant=grant,
            by=by,
            report="Alle geplanten Treffen haben stattgefunden; Belege liegen im Verein vor.",
            spent_amount=approved - Decimal(rng.randrange(0, 3) * 50),
        )
    if state == "accepted" or past:
        services.proof_check(grant=grant, by=by, accept=True)
    return grant


def seed_demo(*, centres: Sequence[Centre], seed: int, size: str, log: Callable[[str], object]) -> str:
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    programme = Programme.objects.filter(key=KOMM_AN_KEY).first()
    analyst = User.objects.filter(email=demo_email("analyst")).first()
    if programme is None or analyst is None:
        return "Grants: no KOMM-AN programme or demo analyst; nothing seeded."
    allocated = 0
    with transaction.atomic():
        for years_back, amount in sorted(BUDGET.items()):
            allocated += _budgets_and_allocations(programme, analyst, today.year - years_back, amount)
    grants = 0
    for centre in centres:
        if centre.slug not in DEMO_CENTRE_SLUGS:
            continue
        by = User.objects.filter(email=demo_email("staff1", centre)).first()
        organisations = list(Organisation.objects.for_centre(centre).order_by("pk"))
        if by is None or not organisations or Grant.objects.for_centre(centre).exists():
            continue
        if not Allocation.objects.for_centre(centre).filter(programme=programme, year=today.year).exists():
            continue
        targets = [organisations[index % len(organisations)] for index in range(len(STATES))]
        partner = User.objects.filter(email=demo_email("partner", centre)).first()
        partner_organisation_ = partner_organisation(user=partner, centre=centre) if partner else None
        if partner_organisation_ is not None:
            # The demo partner login sees an open application and a grant whose proof of use is due soon.
            targets[STATES.index("applied")] = targets[STATES.index("due_soon")] = partner_organisation_
        with transaction.atomic():
            for organisation, state in zip(targets, STATES, strict=True):
                for year in (today.year, today.year - 1) if state == "accepted" else (today.year,):
                    _grant(
                        rng,
                        centre=centre,
                        organisation=organisation,
                        programme=programme,
                        year=year,
                        state=state,
                        by=by,
                        today=today,
                    )
                    grants += 1
    return (
        f"Grants: KOMM-AN NRW budgets {today.year - 1} and {today.year}, {allocated} allocations, {grants} grants "
        "in every state in the demo centres (the demo partner's organisation in Köln among them)."
    )
