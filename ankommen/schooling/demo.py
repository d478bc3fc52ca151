"""Demo data of the school placement for `make run`: seats of the schools and waiting children in the demo centres.

Written through the services, so the history and the derived fields (area, status) are as in real use. Deterministic
from the seed; only the demo centres get it, so a visitor logged in as a case worker of Köln, Dortmund or Aachen can
run a placement at once.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from ankommen.accounts.models import User
from ankommen.people.demo.users import DEMO_CENTRE_SLUGS, demo_email
from ankommen.people.models import Person
from ankommen.regions.models import Centre, School, SchoolForm
from ankommen.schooling import counselling, services
from ankommen.schooling.models import CefrLevel, Intake, MathsLevel, SeatKind
from ankommen.schooling.selectors import estimated_grade, term_of

SCHOOLS_PER_CENTRE = 30
CHILDREN_PER_CENTRE = 60
# Most intakes have had their counselling; the rest wait for it.
ASSESSED_SHARE = 0.75
GRADES_OF_FORM: dict[str, range] = {
    SchoolForm.PRIMARY: range(1, 5),
    SchoolForm.HAUPTSCHULE: range(5, 11),
    SchoolForm.REALSCHULE: range(5, 11),
    SchoolForm.SEKUNDARSCHULE: range(5, 11),
    SchoolForm.GESAMTSCHULE: range(5, 14),
    SchoolForm.GYMNASIUM: range(5, 14),
}


def school_age_birth_dates(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Children born between these days are of school age (6 to 17)."""
    return today - datetime.timedelta(days=365 * 18), today - datetime.timedelta(days=365 * 6)


def _forms_for_grade(grade: int) -> list[str]:
    return [form for form, grades in GRADES_OF_FORM.items() if grade in grades]


def _seed_seats(rng: random.Random, centre: Centre, by: User, term: str) -> int:
    schools = list(
        School.objects.filter(municipality__centre=centre, form__in=list(GRADES_OF_FORM), latitude__isnull=False)
        .order_by("number")
        .only("pk", "form")
    )
    offers = 0
    for school in rng.sample(schools, min(SCHOOLS_PER_CENTRE, len(schools))):
        for grade in GRADES_OF_FORM[school.form]:
            if rng.random() < 0.5:
                continue
            services.seat_offer_set(
                school=school, by=by, term=term, grade=grade, kind=SeatKind.INITIAL_SUPPORT, seats=rng.randint(1, 3)
            )
            offers += 1
    return offers


def _seed_intakes(rng: random.Random, centre: Centre, by: User, today: datetime.date) -> int:
    children = list(
        Person.objects.for_centre(centre)
        .filter(
            birth_date__gt=today - datetime.timedelta(days=365 * 18),
            birth_date__lt=today - datetime.timedelta(days=365 * 6),
        )
        .select_related("family")
        .order_by("pk")[:CHILDREN_PER_CENTRE]
    )
    for child in children:
        intake = services.intake_create(
            centre=centre, by=by, child=child, registered_on=today - datetime.timedelta(days=rng.randint(2, 160))
        )
        grade = estimated_grade(child.birth_date, today)
        if grade is None or rng.random() > ASSESSED_SHARE:
            continue
        counselling.assessment_record(
            centre=centre,
            by=by,
            intake=intake,
            german_level=rng.choice([CefrLevel.NONE, CefrLevel.NONE, CefrLevel.A1, CefrLevel.A2]),
            maths_level=rng.choice(list(MathsLevel)),
            recommended_grade=grade,
            acceptable_school_forms=_forms_for_grade(grade),
            special_needs_indicated=False,
        )
    return len(children)


def seed_demo(*, centres: Sequence[Centre], seed: int, size: str, log: Callable[[str], object]) -> str:
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    today = timezone.localdate()
    term = term_of(today)
    offers = intakes = 0
    for centre in centres:
        if centre.slug not in DEMO_CENTRE_SLUGS:
            continue
        by = User.objects.filter(email=demo_email("staff1", centre)).first()
        if by is None or Intake.objects.for_centre(centre).exists():
            continue
        with transaction.atomic():
            offers += _seed_seats(rng, centre, by, term)
            intakes += _seed_intakes(rng, centre, by, today)
    return f"School placement: {offers} seat offers for {term} and {intakes} school intakes in the demo centres."
