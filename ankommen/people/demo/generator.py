"""Deterministic demo families for one centre, as plain rows ready for COPY.

Every random choice comes from one `random.Random` seeded with the run's seed and the centre's
slug, and every date is counted from REFERENCE_DATE instead of today: the same seed gives the
same people on every machine and every day, whatever other centres are loaded with them.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from ankommen.people.demo.names import ORIGINS, STREETS, Name, Origin, feminine_form
from ankommen.people.models import Gender, GuardianKind, LegalBasis, Purpose, ResidenceStatus
from ankommen.people.search import search_text_for

# The demo's "today": the first school day of 2026/27 in NRW lies close to it.
REFERENCE_DATE = date(2026, 9, 1)
SCHOOL_AGE = range(6, 19)
_UKRAINE_WAR_BEGAN = date(2022, 2, 24)
_ORIGIN_WEIGHTS = [origin.weight for origin in ORIGINS]
_CHILD_COUNTS = (1, 2, 3, 4, 5)
_CHILD_COUNT_WEIGHTS = (30, 32, 20, 12, 6)
# Names follow the father's line here: the children's family name is the father's given name.
_PATRONYMIC_COUNTRIES = frozenset({"ER", "SO"})
# In these countries a married woman keeps her own family name.
_OWN_NAME_COUNTRIES = frozenset({"SY", "IQ", "AF", "IR", "ER", "SO", "GN"})


@dataclass(frozen=True)
class Address:
    postcode: str
    place: str


@dataclass
class PersonRow:
    id: uuid.UUID
    given_names: str
    family_name: str
    given_names_latin: str
    family_name_latin: str
    birth_date: date
    gender: str
    nationalities: list[str]
    languages: list[str]
    arrived_in_germany: date | None
    arrived_in_district: date | None
    residence_status: str
    street: str
    postcode: str
    place: str
    email: str
    search_text: str
    created_at: datetime


@dataclass
class ConsentRow:
    person_id: uuid.UUID
    purpose: str
    legal_basis: str
    given_on: date
    created_at: datetime


@dataclass
class FamilyRows:
    id: uuid.UUID
    reference: str
    street: str
    postcode: str
    place: str
    email: str
    created_at: datetime
    persons: list[PersonRow] = field(default_factory=list)
    # (child, guardian, kind)
    guardians: list[tuple[uuid.UUID, uuid.UUID, str]] = field(default_factory=list)
    consents: list[ConsentRow] = field(default_factory=list)


def centre_random(seed: int, centre_slug: str) -> random.Random:
    # Reproducible on purpose: demo data, not secrets.
    return random.Random(f"ankommen-demo:{seed}:{centre_slug}")  # noqa: S311


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _days_before(day: date, rng: random.Random, low: int, high: int) -> date:
    return day - timedelta(days=rng.randint(low, high))


def _birth_date(rng: random.Random, age: int) -> date:
    """A birth date at which the person is exactly `age` years old on REFERENCE_DATE."""
    latest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age)
    return latest - timedelta(days=rng.randint(0, 364))


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _arrival(rng: random.Random, origin: Origin) -> date:
    earliest = REFERENCE_DATE - timedelta(days=4 * 365)
    if origin.country == "UA":
        earliest = _UKRAINE_WAR_BEGAN
        # Half of the people from Ukraine came in the first year of the war.
        if rng.random() < 0.5:
            return earliest + timedelta(days=rng.randint(3, 365))
    earliest = max(earliest, date(origin.arrivals_since, 1, 1))
    return earliest + timedelta(days=rng.randint(0, (REFERENCE_DATE - earliest).days - 14))


def _case_opened(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 15), rng.randint(0, 59)), tzinfo=UTC)


def _latin_pair(names: Sequence[Name]) -> tuple[str, str]:
    written = " ".join(name.written for name in names)
    if not any(name.latin for name in names):
        return written, ""
    return written, " ".join(name.latin or name.written for name in names)


class FamilyBuilder:
    """Builds one household: 1-2 guardians, 0-5 children, address, arrival, consents."""

    def __init__(self, rng: random.Random, addresses: Sequence[Address]) -> None:
        self.rng = rng
        self.addresses = addresses
        self.references: dict[int, int] = {}

    def build(self, *, max_persons: int) -> FamilyRows:
        rng = self.rng
        origin = rng.choices(ORIGINS, weights=_ORIGIN_WEIGHTS)[0]
        arrived = _arrival(rng, origin)
        status = _weighted(rng, origin.residence)
        # Asylum seekers live in a state reception facility first; others move in straight away.
        in_district = arrived if status == ResidenceStatus.EU_CITIZEN else arrived + timedelta(rng.randint(0, 180))
        in_district = min(in_district, REFERENCE_DATE - timedelta(days=7))
        address = rng.choice(self.addresses)
        street = f"{rng.choice(STREETS)} {rng.randint(1, 140)}"
        year = in_district.year
        self.references[year] = self.references.get(year, 0) + 1
        family = FamilyRows(
            id=_uuid(rng),
            reference=f"F-{year}-{self.references[year]:05d}",
            street=street,
            postcode=address.postcode,
            place=address.place,
            email="",
            created_at=_case_opened(in_district + timedelta(days=rng.randint(1, 30)), rng),
        )
        languages = [origin.languages[0]]
        if len(origin.languages) > 1 and rng.random() < origin.extra_language_share:
            languages.append(rng.choice(origin.languages[1:]))

        def person(given: Sequence[Name], surname: Name, gender: str, birth: date) -> PersonRow:
            given_written, given_latin = _latin_pair(given)
            family_written, family_latin = _latin_pair([surname])
            if given_latin or family_latin:
                given_latin, family_latin = given_latin or given_written, family_latin or family_written
            person_languages = list(languages)
            born_here = birth > arrived
            if birth <= REFERENCE_DATE.replace(year=REFERENCE_DATE.year - 8) and (REFERENCE_DATE - arrived).days > 540:
                person_languages.append("de")
            row = PersonRow(
                id=_uuid(rng),
                given_names=given_written,
                family_name=family_written,
                given_names_latin=given_latin,
                family_name_latin=family_latin,
                birth_date=birth,
                gender=gender,
                nationalities=[origin.country],
                languages=person_languages,
                arrived_in_germany=None if born_here else arrived,
                arrived_in_district=None if born_here else max(in_district, birth),
                residence_status=status,
                street=street,
                postcode=address.postcode,
                place=address.place,
                email="",
                search_text=search_text_for(given_written, family_written, given_latin, family_latin),
                created_at=family.created_at,
            )
            family.persons.append(row)
            return row

        adults: tuple[str, ...]
        household = rng.random()
        single_parent_share = 0.45 if origin.country == "UA" else 0.2
        if household < 0.18 or max_persons == 1:
            adults, child_count = ("single",), 0
        elif household < 0.18 + single_parent_share:
            adults, child_count = ("single_parent",), rng.choices(_CHILD_COUNTS, _CHILD_COUNT_WEIGHTS)[0]
        else:
            adults, child_count = ("mother", "father"), rng.choices(_CHILD_COUNTS, _CHILD_COUNT_WEIGHTS)[0]
        if adults == ("mother", "father") and max_persons < 2:
            adults = ("single",)
        child_count = max(0, min(child_count, max_persons - len(adults)))

        mother_age = rng.randint(24, 52) if child_count else rng.randint(19, 60)
        father_age = min(70, mother_age + rng.randint(-2, 8))
        father_name = rng.choice(origin.male)
        family_surname = rng.choice(origin.family)
        guardians: list[tuple[PersonRow, str]] = []
        if adults == ("single",):
            gender = Gender.MALE if rng.random() < 0.65 else Gender.FEMALE
            given = rng.choice(origin.male if gender == Gender.MALE else origin.female)
            surname = (
                family_surname
                if gender == Gender.MALE or not origin.feminine_family_names
                else feminine_form(family_surname)
            )
            person([given], surname, gender, _birth_date(rng, mother_age))
        else:
            mother_line = (
                rng.choice(origin.family)
                if origin.country in _OWN_NAME_COUNTRIES or (adults == ("single_parent",) and rng.random() < 0.5)
                else family_surname
            )
            mother_surname = feminine_form(mother_line) if origin.feminine_family_names else mother_line
            mother = person([rng.choice(origin.female)], mother_surname, Gender.FEMALE, _birth_date(rng, mother_age))
            guardians.append((mother, GuardianKind.MOTHER))
            if adults == ("mother", "father"):
                father = person([father_name], family_surname, Gender.MALE, _birth_date(rng, father_age))
                guardians.append((father, GuardianKind.FATHER))
            else:
                family_surname = mother_line if rng.random() < 0.5 else family_surname
        if origin.country in _PATRONYMIC_COUNTRIES:
            family_surname = Name(father_name.written, father_name.latin)

        used_given: set[str] = set()
        # Parents were at least 19 when a child was born.
        oldest_child_age = min(mother_age, father_age) - 19
        for _ in range(child_count):
            # Three children in four are of school age: the centres' main work with newcomers' children.
            age = rng.randint(6, 18) if rng.random() < 0.75 else rng.randint(0, 5)
            age = min(age, oldest_child_age)
            gender = Gender.MALE if rng.random() < 0.5 else Gender.FEMALE
            pool = origin.male if gender == Gender.MALE else origin.female
            given = rng.choice(pool)
            while given.written in used_given:
                given = rng.choice(pool)
            used_given.add(given.written)
            surname = family_surname
            if gender == Gender.FEMALE and origin.feminine_family_names:
                surname = feminine_form(surname)
            child = person([given], surname, gender, _birth_date(rng, max(age, 0)))
            for guardian, kind in guardians:
                family.guardians.append((child.id, guardian.id, kind))
            # Most families agree to school counselling and placement at the first appointment.
            if age in SCHOOL_AGE and guardians and rng.random() < 0.85:
                given_on = min(family.created_at.date() + timedelta(days=rng.randint(0, 45)), REFERENCE_DATE)
                family.consents.append(
                    ConsentRow(
                        child.id, Purpose.SCHOOL_PLACEMENT, LegalBasis.CONSENT, given_on, _case_opened(given_on, rng)
                    )
                )
        for adult in family.persons[: len(family.persons) - child_count]:
            if rng.random() < 0.25:
                given_on = min(family.created_at.date() + timedelta(days=rng.randint(0, 90)), REFERENCE_DATE)
                family.consents.append(
                    ConsentRow(adult.id, Purpose.COURSES, LegalBasis.CONSENT, given_on, _case_opened(given_on, rng))
                )
        if rng.random() < 0.3:
            latin_surname = (family.persons[0].family_name_latin or family.persons[0].family_name).split()[-1]
            local = "".join(ch for ch in latin_surname.lower() if ch.isascii() and ch.isalnum()) or "familie"
            family.email = f"{local}.{rng.randint(10, 99)}@example.org"
        return family


def centre_families(*, seed: int, centre_slug: str, persons: int, addresses: Sequence[Address]) -> Iterator[FamilyRows]:
    """Yield households until exactly `persons` persons have been made for the centre."""
    if not addresses:
        raise ValueError(f"No postcodes known for centre {centre_slug}.")
    builder = FamilyBuilder(centre_random(seed, centre_slug), addresses)
    remaining = persons
    while remaining > 0:
        family = builder.build(max_persons=remaining)
        remaining -= len(family.persons)
        yield family


def share_by_weight(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` in proportion to `weights` so that the parts add up exactly (largest remainder)."""
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    parts = [int(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda index: exact[index] - parts[index], reverse=True)
    for index in by_remainder[: total - sum(parts)]:
        parts[index] += 1
    return parts
