"""Demo network for `make run`: organisations with services and languages, cooperations and a network meeting in
the demo centres. Written through the services, so coordinates come from the postcode reference data."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from ankommen.accounts.models import User
from ankommen.network import services
from ankommen.network.models import (
    Organisation,
    OrganisationKind,
    PartnerContact,
    ReferralOutcome,
    Service,
    ServiceCategory,
)
from ankommen.network.services import has_referral_consent
from ankommen.people.demo.users import DEMO_CENTRE_SLUGS, SCHOOL_CONTACT_CENTRE, demo_email
from ankommen.people.models import Consent, LegalBasis, Person, Purpose
from ankommen.people.services import consent_record
from ankommen.regions.models import Centre, Municipality, Postcode

ORGANISATIONS = [
    (
        "AWO Migrationsberatung",
        OrganisationKind.WELFARE_ASSOCIATION,
        "awo",
        ["ar", "de", "tr"],
        [(ServiceCategory.MIGRATION_COUNSELLING, "Migrationsberatung für Erwachsene")],
    ),
    (
        "Caritas Familienberatung",
        OrganisationKind.WELFARE_ASSOCIATION,
        "caritas",
        ["ar", "de", "fa"],
        [(ServiceCategory.FAMILY_COUNSELLING, "Familien- und Erziehungsberatung")],
    ),
    (
        "Diakonie Psychosoziales Zentrum",
        OrganisationKind.WELFARE_ASSOCIATION,
        "diakonie",
        ["ar", "de", "fa", "uk"],
        [(ServiceCategory.PSYCHOSOCIAL_COUNSELLING, "Psychosoziale Beratung für Geflüchtete")],
    ),
    (
        "DRK Jugendmigrationsdienst",
        OrganisationKind.WELFARE_ASSOCIATION,
        "drk",
        ["de", "ru", "uk"],
        [
            (ServiceCategory.MIGRATION_COUNSELLING, "Jugendmigrationsdienst"),
            (ServiceCategory.HOMEWORK_HELP, "Lernhilfe"),
        ],
    ),
    (
        "Paritätischer Rechtsberatung",
        OrganisationKind.WELFARE_ASSOCIATION,
        "paritaetischer",
        ["de", "en"],
        [(ServiceCategory.LEGAL_ADVICE, "Asyl- und Aufenthaltsrechtsberatung")],
    ),
    (
        "Ausländerbehörde",
        OrganisationKind.MUNICIPAL_OFFICE,
        "",
        ["de", "en"],
        [(ServiceCategory.OTHER, "Aufenthaltstitel und Beratung")],
    ),
    (
        "Ukrainischer Kulturverein",
        OrganisationKind.MIGRANT_ORGANISATION,
        "",
        ["uk", "ru", "de"],
        [(ServiceCategory.MEETING_PLACE, "Elterncafé"), (ServiceCategory.LANGUAGE_COURSE, "Deutsch für Mütter")],
    ),
    (
        "Willkommensinitiative",
        OrganisationKind.CITIZEN_INITIATIVE,
        "",
        ["de", "en", "ar"],
        [(ServiceCategory.LANGUAGE_COURSE, "Sprachcafé"), (ServiceCategory.HOMEWORK_HELP, "Hausaufgabenhilfe")],
    ),
]


def _seed_centre(rng: random.Random, centre: Centre, by: User, today: datetime.date) -> int:
    municipalities = list(Municipality.objects.filter(centre=centre).order_by("key"))
    codes = [m.postcode for m in municipalities if Postcode.objects.filter(code=m.postcode).exists()]
    place = centre.name.removeprefix("Kommunales Integrationszentrum ").strip()
    if not codes:
        return 0
    organisations: list[Organisation] = []
    for name, kind, association, languages, offered in ORGANISATIONS:
        organisation = services.organisation_create(
            centre=centre,
            by=by,
            area_served=municipalities[:3],
            name=f"{name} {place}",
            kind=kind,
            welfare_association=association,
            street=f"{rng.choice(['Hauptstraße', 'Bahnhofstraße', 'Kirchplatz', 'Marktstraße'])} {rng.randint(1, 80)}",
            postcode=rng.choice(codes),
            place=place,
            phone=f"0{rng.randint(200, 999)} {rng.randint(100000, 999999)}",
            opening_hours="Mo–Do 9–16 Uhr, Fr 9–12 Uhr",
            languages=languages,
        )
        for category, service_name in offered:
            services.service_add(organisation=organisation, by=by, category=category, name=service_name, languages=[])
        organisations.append(organisation)
    since = today - datetime.timedelta(days=400)
    for organisation, topics in zip(
        organisations[:5],
        [["counselling"], ["counselling", "school"], ["health"], ["school"], ["counselling"]],
        strict=True,
    ):
        services.cooperation_create(
            centre=centre,
            by=by,
            organisation=organisation,
            partner=None,
            kind="agreement",
            since=since,
            until=None,
            topics=topics,
        )
    services.cooperation_create(
        centre=centre,
        by=by,
        organisation=organisations[7],
        partner=organisations[6],
        kind="project",
        since=today - datetime.timedelta(days=60),
        until=None,
        topics=["language", "volunteering"],
    )
    meeting = services.meeting_create(
        centre=centre,
        by=by,
        title="Netzwerktreffen Integration",
        date=today - datetime.timedelta(days=14),
        place=f"KI {place}",
        participants=organisations[:6],
        agenda="1. Sprachmittlung in Beratungen\n2. Wartezeiten bei Schulplätzen\n3. Verschiedenes",
        minutes="Die Träger berichten über steigende Nachfrage nach Beratung auf Ukrainisch und Arabisch.",
    )
    services.meeting_person_add(
        meeting=meeting, by=by, name="Sprachmittlerin (Gast)", organisation_name="Sprachmittlerpool der Stadt"
    )
    services.decision_record(
        meeting=meeting,
        by=by,
        text="Ein gemeinsamer Pool für Sprachmittlung wird aufgebaut.",
        task="Liste der Sprachmittlerinnen und Sprachmittler zusammenstellen",
        responsible=organisations[0],
        due_on=today + datetime.timedelta(days=21),
    )
    _seed_referrals(centre, by, today, organisations)
    _link_partner(centre, organisations[0])
    return len(organisations)


def _link_partner(centre: Centre, organisation: Organisation) -> None:
    """The demo login `partner.koeln@…` acts for the first Köln organisation in the partner portal."""
    if centre.slug != SCHOOL_CONTACT_CENTRE:
        return
    user = User.objects.filter(email=demo_email("partner", centre)).first()
    if user is not None:
        PartnerContact.objects.for_centre(centre).get_or_create(centre=centre, organisation=organisation, user=user)


# The outcomes of the demo referrals, oldest first: the newest stays open.
REFERRAL_OUTCOMES = [
    ReferralOutcome.TAKEN_UP,
    ReferralOutcome.TAKEN_UP,
    ReferralOutcome.NOT_TAKEN_UP,
    ReferralOutcome.NOT_SUITABLE,
    ReferralOutcome.OPEN,
]


def _seed_referrals(centre: Centre, by: User, today: datetime.date, organisations: list[Organisation]) -> None:
    """A few demo persons consent to referrals (through the people service) and are referred to a service."""
    persons = list(Person.objects.for_centre(centre).order_by("pk")[: len(REFERRAL_OUTCOMES)])
    offered = list(Service.objects.for_centre(centre).filter(organisation__in=organisations).order_by("pk"))
    if not offered:
        return
    for index, (person, outcome) in enumerate(zip(persons, REFERRAL_OUTCOMES, strict=False)):
        referred_on = today - datetime.timedelta(days=60 - 10 * index)
        if not has_referral_consent(person=person, on=referred_on):
            if (
                Consent.objects.for_centre(centre)
                .filter(person=person, purpose=Purpose.REFERRAL, withdrawn_on__isnull=True)
                .exists()
            ):
                continue  # a consent given later than the demo date: leave the person out
            consent_record(
                centre=centre,
                by=by,
                person=person,
                purpose=Purpose.REFERRAL,
                legal_basis=LegalBasis.CONSENT,
                given_on=referred_on - datetime.timedelta(days=1),
                note="Demo: schriftliche Einwilligung im Beratungsgespräch",
            )
        referral = services.referral_create(
            centre=centre,
            by=by,
            person=person,
            service=offered[index % len(offered)],
            referred_on=referred_on,
        )
        if outcome != ReferralOutcome.OPEN:
            services.referral_outcome_set(
                referral=referral, by=by, outcome=outcome, outcome_on=referred_on + datetime.timedelta(days=14)
            )


def seed_demo(*, centres: Sequence[Centre], seed: int, size: str, log: Callable[[str], object]) -> str:
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    made = 0
    for centre in centres:
        if centre.slug not in DEMO_CENTRE_SLUGS:
            continue
        by = User.objects.filter(email=demo_email("staff1", centre)).first()
        if by is None or Organisation.objects.for_centre(centre).exists():
            continue
        with transaction.atomic():
            made += _seed_centre(rng, centre, by, today)
    return (
        f"Network: {made} organisations with services, cooperations, a meeting and referrals in the demo centres; "
        "the demo partner login acts for one organisation in Köln."
    )
