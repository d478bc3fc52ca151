"""Demo data of KOMM-AN for `make run`: volunteers, requests with consent, proposals, a café with shifts.

Deterministic from the seed, only in the demo centres, written through the services. The demo login
`volunteer.koeln@…` gets a verified profile with a clearance inspection and a proposal to answer.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from ankommen.accounts.models import Membership, Role, User
from ankommen.matching.volunteers import slots_from
from ankommen.people.demo.users import DEMO_CENTRE_SLUGS, demo_email
from ankommen.people.models import Consent, LegalBasis, Person, Purpose
from ankommen.regions.models import Centre, Postcode
from ankommen.volunteering import services, shifts
from ankommen.volunteering.models import BuiltinActivity, ExpectedDuration, Volunteer, VolunteerStatus

SIZES = {"small": (40, 15), "large": (400, 120)}  # volunteers, requests per centre
GIVEN = ("Anna", "Jonas", "Leyla", "Mehmet", "Sofia", "Paul", "Olha", "Yusuf", "Marie", "Reza", "Hanna", "Tim")
FAMILY = ("Schmidt", "Yılmaz", "Becker", "Haddad", "Kowalski", "Wagner", "Petrenko", "Nowak", "Fischer", "Karimi")
LANGUAGES = ("ar", "uk", "ru", "tr", "fa", "en", "fr", "ku", "ps", "ro")
LEVELS = ("native", "C1", "B2", "B1", "A2")


def _profile(rng: random.Random) -> dict[str, object]:
    languages = {"de": "native"} | {rng.choice(LANGUAGES): rng.choice(LEVELS) for _ in range(rng.randint(0, 2))}
    slots = [(rng.randrange(7), rng.randrange(3)) for _ in range(rng.randint(2, 6))]
    return {
        "languages": languages,
        "activities": rng.sample(list(BuiltinActivity.values), rng.randint(1, 3)),
        "availability": slots_from(slots),
        "radius_km": rng.choice((3, 5, 10, 15, 25)),
        "max_parallel": rng.choice((1, 1, 2, 3)),
    }


def _volunteer(
    rng: random.Random, centre: Centre, user: User, postcodes: list[Postcode], by: User, today: datetime.date
) -> Volunteer:
    place = rng.choice(postcodes)
    volunteer = Volunteer.objects.create(
        centre=centre,
        user=user,
        status=VolunteerStatus.AWAITING_VERIFICATION,
        postcode=place.code,
        latitude=place.latitude,
        longitude=place.longitude,
        consent_given_at=timezone.now(),
        email_confirmed_at=timezone.now(),
        **_profile(rng),  # type: ignore[arg-type]
    )
    if rng.random() < 0.85:
        services.volunteer_verify(centre=centre, by=by, volunteer=volunteer)
        if rng.random() < 0.6:
            issued = today - datetime.timedelta(days=rng.randint(10, 5 * 365 - 10))
            services.clearance_record(
                centre=centre, by=by, volunteer=volunteer, issued_on=issued, no_relevant_entry=True
            )
    volunteer.refresh_from_db()
    return volunteer


def _seed_centre(rng: random.Random, centre: Centre, by: User, size: str) -> tuple[int, int, int]:
    volunteer_count, request_count = SIZES.get(size, SIZES["small"])
    postcodes = list(Postcode.objects.filter(region=centre.region).order_by("code"))
    if not postcodes:
        return 0, 0, 0
    today = timezone.localdate()
    demo_login = User.objects.filter(email=demo_email("volunteer", centre)).first()
    if demo_login is not None and not Volunteer.objects.dangerously_unscoped().filter(user=demo_login).exists():
        own = _volunteer(rng, centre, demo_login, postcodes, by, today)
        if own.status != VolunteerStatus.VERIFIED:
            services.volunteer_verify(centre=centre, by=by, volunteer=own)
        services.clearance_record(
            centre=centre, by=by, volunteer=own, issued_on=today - datetime.timedelta(days=90), no_relevant_entry=True
        )
    for number in range(volunteer_count):
        user = User(
            email=f"ehrenamt{number:04d}.{centre.slug}@demo.ankommen.nrw",
            display_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
        )
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, role=Role.VOLUNTEER, centre=centre)
        _volunteer(rng, centre, user, postcodes, by, today)
    persons = list(Person.objects.for_centre(centre).order_by("pk")[: request_count * 2])
    rng.shuffle(persons)
    opened = 0
    for person in persons[:request_count]:
        if (
            not Consent.objects.for_centre(centre)
            .filter(person=person, purpose=Purpose.VOLUNTEER_SUPPORT, withdrawn_on__isnull=True)
            .exists()
        ):
            Consent.objects.create(
                centre=centre,
                person=person,
                purpose=Purpose.VOLUNTEER_SUPPORT,
                legal_basis=LegalBasis.CONSENT,
                given_on=today - datetime.timedelta(days=rng.randint(1, 60)),
                recorded_by=by,
            )
        place = rng.choice(postcodes)
        services.support_request_create(
            centre=centre,
            by=by,
            person=person,
            activity=rng.choice(list(BuiltinActivity.values)),
            languages=[code for code in person.languages[:1] if len(code) == 2],
            availability=slots_from([(rng.randrange(7), rng.randrange(3)) for _ in range(3)]),
            postcode=place.code,
            involves_minors=bool(person.age is not None and person.age < 18),
            expected_duration=rng.choice(list(ExpectedDuration.values)),
        )
        opened += 1
    # Half of the requests get proposals from the batch; the rest stay open for the coordinator to try.
    proposed = services.batch_propose(centre=centre, by=by) if opened else 0
    point = shifts.meeting_point_create(
        centre=centre, by=by, name="Ankommenscafé", address=f"Marktplatz 1, {postcodes[0].places}"
    )
    for weekday, title in ((1, "Café-Dienst"), (4, "Kleiderkammer")):
        shifts.shift_create(
            centre=centre,
            by=by,
            meeting_point=point,
            title=title,
            weekday=weekday,
            starts_at=datetime.time(15),
            ends_at=datetime.time(18),
            slots=3,
            first_date=today,
            last_date=today + datetime.timedelta(days=180),
        )
    return volunteer_count, opened, proposed


def seed_demo(*, centres: Sequence[Centre], seed: int, size: str, log: Callable[[str], None]) -> str:
    totals = [0, 0, 0]
    for centre in centres:
        if centre.slug not in DEMO_CENTRE_SLUGS:
            continue
        if Volunteer.objects.for_centre(centre).exists():
            continue  # already seeded
        by = User.objects.filter(email=demo_email("staff1", centre)).first()
        if by is None:
            continue
        rng = random.Random(f"{seed}-volunteering-{centre.slug}")  # noqa: S311 (demo data, not secrets)
        with transaction.atomic():
            counts = _seed_centre(rng, centre, by, size)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        log(f"volunteering: {centre.slug} seeded")
    return f"volunteering: {totals[0]} volunteers, {totals[1]} support requests, {totals[2]} proposed by the batch"
