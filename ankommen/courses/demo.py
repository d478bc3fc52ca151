"""Demo courses for `make run`: a catalogue with open, fully booked and finished courses in the demo centres.

Registrations are written as rows (no mails go out for demo participants); their secret links are not kept, so the
demo shows the participant pages only through new registrations. Deterministic from the seed.
"""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ankommen.accounts.models import User
from ankommen.courses.models import (
    Attendance,
    Audience,
    Course,
    Feedback,
    Registration,
    RegistrationStatus,
    Session,
    Topic,
)
from ankommen.people.demo.users import DEMO_CENTRE_SLUGS, demo_email
from ankommen.regions.models import Centre, School

COURSES = [
    ("Sprachsensibler Fachunterricht", "german-as-a-second-language", ["teachers"], 16, "6.0"),
    ("Traumasensibel unterrichten", "trauma-sensitive-teaching", ["teachers", "pedagogical-staff"], 3, "4.0"),
    ("Mit Sprachmittlung beraten", "working-with-interpreters", ["pedagogical-staff", "administration"], 12, "3.0"),
    ("Grundlagen für Ehrenamtliche in der Flüchtlingshilfe", "volunteer-basics", ["volunteers"], 20, "8.0"),
    ("Diskriminierungskritische Schule", "anti-discrimination", ["teachers"], 14, "6.0"),
]
GIVEN = ["Anna", "Mehmet", "Julia", "Olga", "Thomas", "Sara", "Jonas", "Leyla", "Petra", "Ahmad", "Katrin", "Lukas"]
FAMILY = ["Becker", "Yılmaz", "Schmidt", "Nowak", "Hoffmann", "Haddad", "Krüger", "Demir", "Wagner", "Lange"]


def _registration(
    rng: random.Random, course: Course, audience: Audience, school: School | None, status: str
) -> Registration:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    return Registration.objects.create(
        centre=course.centre,
        course=course,
        given_name=given,
        family_name=family,
        email=f"{given.lower()}.{secrets.token_hex(3)}@schule.example.org",
        school=school,
        organisation="" if school else "Stadtverwaltung",
        audience=audience,
        status=status,
        token_digest=Registration.digest_of(secrets.token_urlsafe(32)),
    )


def _seed_centre(rng: random.Random, centre: Centre, by: User, today: datetime.date) -> int:
    schools = list(School.objects.filter(municipality__centre=centre).order_by("number")[:40])
    place = centre.name.removeprefix("Kommunales Integrationszentrum ").strip()
    made = 0
    for index, (title, topic_key, audience_keys, seats, hours) in enumerate(COURSES):
        topic = Topic.objects.get(key=topic_key)
        audiences = list(Audience.objects.filter(key__in=audience_keys))
        # The last course is over (attendance, feedback); the others lie ahead.
        first = (
            today - datetime.timedelta(days=20)
            if index == len(COURSES) - 1
            else today + datetime.timedelta(days=14 + 9 * index)
        )
        course = Course.objects.create(
            centre=centre,
            title=title,
            description=f"Fortbildung des KI {place} für {', '.join(a.name_de for a in audiences)}.",
            topic=topic,
            is_statewide=index == 2,
            seats=seats,
            credit_hours=Decimal(hours),
        )
        course.audiences.set(audiences)
        sessions = [
            Session.objects.create(
                centre=centre,
                course=course,
                date=first + datetime.timedelta(days=7 * day),
                starts_at=datetime.time(14, 0),
                ends_at=datetime.time(17, 0),
                place="" if index == 2 else f"KI {place}, Seminarraum",
                is_online=index == 2,
                online_url="https://konferenz.example.org/fortbildung" if index == 2 else "",
            )
            for day in range(2)
        ]
        confirmed = seats if seats <= 3 else rng.randint(seats // 3, seats - 2)
        for number in range(confirmed + (2 if seats <= 3 else 0)):
            status = RegistrationStatus.CONFIRMED if number < confirmed else RegistrationStatus.WAITING
            audience = rng.choice(audiences)
            school = rng.choice(schools) if schools and audience.key in {"teachers", "pedagogical-staff"} else None
            registration = _registration(rng, course, audience, school, status)
            if first < today and status == RegistrationStatus.CONFIRMED:
                for session in sessions:
                    Attendance.objects.create(
                        centre=centre,
                        registration=registration,
                        session=session,
                        is_present=rng.random() < 0.9,
                        recorded_by=by,
                    )
                if rng.random() < 0.6:
                    Feedback.objects.create(
                        centre=centre,
                        course=course,
                        overall=rng.choice([3, 4, 4, 5, 5]),
                        usefulness=rng.choice([3, 4, 5, 5]),
                        organisation_rating=rng.choice([4, 5]),
                    )
        made += 1
    return made


def seed_demo(*, centres: Sequence[Centre], seed: int, size: str, log: Callable[[str], object]) -> str:
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    courses = 0
    for centre in centres:
        if centre.slug not in DEMO_CENTRE_SLUGS:
            continue
        by = User.objects.filter(email=demo_email("staff1", centre)).first()
        if by is None or Course.objects.for_centre(centre).exists():
            continue
        with transaction.atomic():
            courses += _seed_centre(rng, centre, by, today)
    return f"Courses: {courses} courses with participants, waiting lists, attendance and feedback in the demo centres."
