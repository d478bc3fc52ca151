"""Demo data of work and training for `make run`: employers with offers, candidate profiles, a few placements.

Written through the services (history, coordinates and matching reasons as in real use), deterministic from the
seed, only in the demo centres. The demo login `employer.koeln@…` acts for the Köln employer and sees the profiles
shared with it.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from ankommen.accounts.models import User
from ankommen.people.demo.users import DEMO_CENTRE_SLUGS, SCHOOL_CONTACT_CENTRE, demo_email
from ankommen.people.models import Consent, LegalBasis, Person, Purpose
from ankommen.regions.models import Centre, Municipality, Occupation, Postcode
from ankommen.work import matching, services
from ankommen.work.models import (
    CandidateProfile,
    Employer,
    EmployerContact,
    EmployerStatus,
    Offer,
    OfferKind,
    Stage,
    WorkPermitCategory,
)
from ankommen.work.permits import permit_categories_ensure

# ISCO unit groups of typical training occupations for newcomers: cooks, retail, care, warehouse, electricians,
# bricklayers, motor mechanics, hairdressers, cleaning, bakers.
ISCO_CODES = ("5120", "5223", "5321", "4321", "7411", "7112", "7231", "5141", "9112", "7512")
EMPLOYER_NAMES = ("Gasthaus am Rhein", "Pflegedienst Lebensweg", "Logistik West", "Elektro Becker", "Bau Kaya & Söhne")
SIZES = {"small": (5, 25), "large": (20, 300)}  # employers, candidate profiles per centre
PERMITS = ("any_work", "any_work", "any_work", "training_only", "agency_approval", "no_work_yet")
LEVELS = ("A1", "A2", "A2", "B1", "B1", "B2", "C1")


def _occupations() -> list[Occupation]:
    found = []
    for code in ISCO_CODES:
        occupation = Occupation.objects.filter(isco_code=code).order_by("uri").first()
        if occupation is not None:
            found.append(occupation)
    return found


def _postcodes(centre: Centre) -> list[str]:
    codes = Municipality.objects.filter(centre=centre).order_by("key").values_list("postcode", flat=True)
    known = set(Postcode.objects.filter(code__in=list(codes)).values_list("code", flat=True))
    return [code for code in codes if code in known]


def _employers(
    rng: random.Random, centre: Centre, by: User, count: int, occupations: Sequence[Occupation]
) -> list[Employer]:
    postcodes = _postcodes(centre)
    if not postcodes:
        return []
    employers = []
    for index in range(count):
        name = f"{EMPLOYER_NAMES[index % len(EMPLOYER_NAMES)]} {centre.name.split()[-1]}"
        if index >= len(EMPLOYER_NAMES):
            name = f"{name} {index // len(EMPLOYER_NAMES) + 1}"
        postcode = rng.choice(postcodes)
        employer = services.employer_register(
            centre=centre,
            name=name,
            postcode=postcode,
            place=centre.name.split()[-1],
            email=f"kontakt{index}@{centre.slug}.betrieb.example",
            applicant_name="Demo Ansprechperson",
            applicant_email=f"bewerbung{index}@{centre.slug}.betrieb.example",
        )
        employer.status = EmployerStatus.VERIFIED
        employer.decided_by = by
        employer.decided_at = timezone.now()
        employer.save(update_fields=["status", "decided_by", "decided_at"])
        for _number in range(rng.randint(1, 3)):
            occupation = rng.choice(occupations)
            kind = rng.choice(OfferKind.values)
            services.offer_create(
                employer=employer,
                by=by,
                kind=kind,
                occupation=occupation,
                title=f"{OfferKind(kind).label}: {occupation.label}"[:200],
                postcode=postcode,
                place=employer.place,
                start_date=timezone.localdate() + datetime.timedelta(days=rng.randint(20, 200)),
                seats=rng.randint(1, 4),
                hours_per_week=rng.choice([20, 30, 39, 40]),
                german_level=rng.choice(["A2", "B1", "B1", "B2"]),
                minimum_age=rng.choice([16, 16, 18]),
                useful_languages=rng.sample(["ar", "uk", "tr", "fa", "ru"], rng.randint(0, 2)),
                driving_licence_needed=rng.random() < 0.15,
            )
        employers.append(employer)
    return employers


def _profiles(rng: random.Random, centre: Centre, by: User, count: int, occupations: Sequence[Occupation]) -> int:
    today = timezone.localdate()
    adults = list(
        Person.objects.for_centre(centre)
        .filter(
            birth_date__lte=today - datetime.timedelta(days=365 * 18),
            birth_date__gte=today - datetime.timedelta(days=365 * 55),
            candidate_profile__isnull=True,
        )
        .exclude(postcode="")
        .order_by("pk")[: count * 2]
    )
    made = 0
    for person in adults:
        if made >= count:
            break
        if not services.has_employment_consent(person):
            Consent.objects.create(
                centre=centre,
                person=person,
                purpose=Purpose.EMPLOYMENT,
                legal_basis=LegalBasis.CONSENT,
                given_on=today - datetime.timedelta(days=rng.randint(1, 200)),
                recorded_by=by,
            )
        services.candidate_profile_create(
            centre=centre,
            by=by,
            person=person,
            occupation_wishes=rng.sample(list(occupations), min(len(occupations), rng.randint(1, 2))),
            german_level=rng.choice(LEVELS),
            languages=["en"] if rng.random() < 0.3 else [],
            years_of_experience=rng.randint(0, 12),
            driving_licence=rng.random() < 0.3,
            permit=WorkPermitCategory.objects.get(code=rng.choice(PERMITS)),
            postcode=person.postcode,
            mobility_radius_km=rng.choice([10, 25, 40]),
            available_from=today + datetime.timedelta(days=rng.randint(-30, 90)),
        )
        made += 1
    return made


def _pipeline(rng: random.Random, centre: Centre, by: User, employer_user: User | None) -> int:
    """Propose the best candidates of a few offers and carry some of them on, so that every stage has examples."""
    moved = 0
    offers = Offer.objects.for_centre(centre).select_related("occupation", "employer").order_by("pk")[:6]
    for offer in offers:
        for ranked in matching.candidates_for_offer(offer=offer, limit=2):
            if ranked.profile.status != "active":
                continue
            application = services.application_propose(offer=offer, profile=ranked.profile, by=by)
            moved += 1
            if rng.random() < 0.3:
                continue
            services.application_agree(
                application=application, by=by, shared_fields=["name", "german_level", "languages", "availability"]
            )
            services.application_share(application=application, by=by)
            actor = employer_user or by
            if rng.random() < 0.5:
                services.application_interview(
                    application=application, by=actor, interview_at=timezone.now() + datetime.timedelta(days=7)
                )
                if rng.random() < 0.5:
                    services.application_contract(
                        application=application,
                        by=actor,
                        contract_kind="ausbildung" if offer.kind == OfferKind.AUSBILDUNG else "fixed_term",
                        contract_start=offer.start_date,
                    )
            break
    return moved


def seed_demo(*, centres: Sequence[Centre], seed: int, size: str, log: Callable[[str], None]) -> str:
    permit_categories_ensure()
    occupations = _occupations()
    if not occupations:
        return "work: no ESCO occupations loaded, skipped"
    employer_count, profile_count = SIZES.get(size, SIZES["small"])
    totals = {"employers": 0, "profiles": 0, "applications": 0}
    for centre in centres:
        if centre.slug not in DEMO_CENTRE_SLUGS:
            continue
        if Employer.objects.for_centre(centre).exists() or CandidateProfile.objects.for_centre(centre).exists():
            continue  # already seeded
        rng = random.Random(f"{seed}-work-{centre.slug}")  # noqa: S311 (demo data, not secrets)
        by = User.objects.filter(email=demo_email("staff1", centre)).first()
        if by is None:
            continue
        with transaction.atomic():
            employers = _employers(rng, centre, by, employer_count, occupations)
            employer_user = None
            if centre.slug == SCHOOL_CONTACT_CENTRE and employers:
                employer_user = User.objects.filter(email=demo_email("employer", centre)).first()
                if employer_user is not None:
                    EmployerContact.objects.create(centre=centre, employer=employers[0], user=employer_user)
            totals["employers"] += len(employers)
            totals["profiles"] += _profiles(rng, centre, by, profile_count, occupations)
            totals["applications"] += _pipeline(rng, centre, by, employer_user)
        log(f"work: {centre.slug} seeded")
    shared = Stage.SHARED.label
    return (
        f"work: {totals['employers']} employers with offers, {totals['profiles']} candidate profiles, "
        f"{totals['applications']} applications (some {shared})"
    )
