"""Demo staff posts for EVERY centre (not only the demo centres), so that the state's table is full.

Each centre gets the build-up period's posts from 2013 (3.5 state-funded FTE at most, two teacher posts), the posts
the later rule allowed from its start, some posts of its own budget or a programme, and one or two vacancies. A few
centres, chosen by the seed, break the rule: too many state-funded FTE, or a teacher post ended without a successor;
their entries carry the justification the services demand. Written through the services, so flags are real.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db import transaction

from ankommen.regions.models import Centre, RegionKind
from ankommen.staffing import services
from ankommen.staffing.models import FundingSource, StaffFunction, StaffPost
from ankommen.staffing.selectors import rules

GIVEN = ["Anna", "Jonas", "Leyla", "Murat", "Katharina", "Olga", "Tobias", "Fatma", "Sven", "Miriam", "Yusuf", "Ines"]
FAMILY = ["Becker", "Yılmaz", "Schneider", "Kowalski", "Hoffmann", "Demir", "Wagner", "Nowak", "Klein", "Haddad"]
SEED_START = datetime.date(2013, 8, 1)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def _posts_for(rng: random.Random, centre: Centre, later_start: datetime.date) -> list[tuple[dict[str, object], str]]:
    """(fields, justification) of one centre's posts, in the order they are entered."""
    maximum = Decimal("5.5") if centre.region.kind == RegionKind.CITY else Decimal("6.5")
    S, T = FundingSource.STATE_INTEGRATION, FundingSource.SCHOOL_MINISTRY

    def post(title: str, function: str, fte: str, source: str, start: datetime.date, **more: object) -> dict:
        fields: dict[str, object] = {
            "title": title,
            "function": function,
            "fte": Decimal(fte),
            "funding_source": source,
            "starts_on": start,
            "filled_by": _name(rng),
        }
        fields.update(more)
        return fields

    planned = [
        post("Leitung", StaffFunction.LEAD, "1", S, SEED_START),
        post("Koordination Bildung", StaffFunction.COORDINATION, "1", S, SEED_START),
        post("Koordination Integration als Querschnitt", StaffFunction.COORDINATION, "1", S, SEED_START),
        post("Verwaltung", StaffFunction.ADMINISTRATION, "0.5", S, SEED_START),
        post("Lehrkraft Seiteneinstieg", StaffFunction.TEACHER, "1", T, SEED_START),
        post("Lehrkraft Interkulturelle Schulentwicklung", StaffFunction.TEACHER, "1", T, SEED_START),
    ]
    # The later rule's posts: up to the new maximum, some of them still vacant.
    extra = maximum - Decimal("3.5")
    titles = ["Koordination Ehrenamt (KOMM-AN)", "Koordination Arbeit und Ausbildung", "Sachbearbeitung Förderung"]
    index = 0
    while extra > 0:
        fte = min(Decimal("1"), extra)
        start = later_start + datetime.timedelta(days=rng.randrange(0, 300))
        if rng.random() < 0.25:
            planned.append(post(titles[index % 3], StaffFunction.COORDINATION, str(fte), S, start, filled_by=""))
            planned[-1]["vacant_since"] = start
        else:
            planned.append(post(titles[index % 3], StaffFunction.COORDINATION, str(fte), S, start))
        extra -= fte
        index += 1
    if rng.random() < 0.6:
        planned.append(
            post("Sachbearbeitung Integration", StaffFunction.ADMINISTRATION, "0.5", FundingSource.DISTRICT, SEED_START)
        )
    if rng.random() < 0.5:
        planned.append(
            post(
                "Projektstelle Sprachmittlung",
                StaffFunction.OTHER,
                "0.75",
                FundingSource.PROGRAMME,
                later_start + datetime.timedelta(days=180),
                programme_name="KOMM-AN NRW",
                ends_on=later_start + datetime.timedelta(days=180 + 730),
            )
        )
    return [(fields, "") for fields in planned]


def _seed_centre(rng: random.Random, centre: Centre, later_start: datetime.date, breach: str) -> int:
    made = 0
    posts: list[StaffPost] = []
    for fields, justification in _posts_for(rng, centre, later_start):
        posts.append(services.post_create(centre=centre, by=None, justification=justification, **fields))
        made += 1
    if breach == "excess":
        services.post_create(
            centre=centre,
            by=None,
            justification="Übergangsweise Doppelbesetzung der Leitung zur Einarbeitung; mit dem Land abgestimmt.",
            title="Leitung (Einarbeitung)",
            function=StaffFunction.LEAD,
            fte=Decimal("1"),
            funding_source=FundingSource.STATE_INTEGRATION,
            starts_on=later_start + datetime.timedelta(days=700),
            filled_by=_name(rng),
        )
        made += 1
    elif breach == "teacher":
        teacher = next(p for p in posts if p.function == StaffFunction.TEACHER)
        services.post_end(
            post=teacher,
            by=None,
            ends_on=later_start + datetime.timedelta(days=600),
            justification="Lehrkraft an eine Schule zurückversetzt; die Bezirksregierung besetzt die Stelle neu.",
        )
    return made


def seed_demo(*, centres: Sequence[Centre], seed: int, size: str, log: Callable[[str], object]) -> str:
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    chain = rules()
    later_start = chain[-1].valid_from if len(chain) > 1 else datetime.date(2022, 1, 1)
    ordered = sorted(centres, key=lambda c: c.slug)
    # About one centre in ten breaks the rule on purpose, alternating the two ways.
    breaching = {c.pk for c in rng.sample(ordered, k=max(1, len(ordered) // 10))} if ordered else set()
    made = 0
    flagged = 0
    for number, centre in enumerate(ordered):
        if StaffPost.objects.for_centre(centre).exists():
            continue
        breach = ("excess" if number % 2 else "teacher") if centre.pk in breaching else ""
        with transaction.atomic():
            made += _seed_centre(rng, centre, later_start, breach)
        flagged += bool(breach)
    return f"Staffing: {made} staff posts in {len(ordered)} centres, {flagged} centres with a flagged entry."
