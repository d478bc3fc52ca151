"""Reads of families and persons, always for one centre."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.contrib.postgres.search import SearchQuery, TrigramWordSimilarity
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ankommen.people.models import ADDRESS_SEARCH_VECTOR, Consent, Family, GuardianRelation, Person
from ankommen.people.search import normalise_name, search_terms, search_text_for

if TYPE_CHECKING:
    from ankommen.regions.models import Centre

ADULT_AGE = 18


class AgeGroup(models.TextChoices):
    CHILD = "child", "child"
    ADULT = "adult", "adult"


# Word similarity of the folded names above which two records are shown as possibly the same person.
DUPLICATE_NAME_SIMILARITY = 0.6


@dataclass(frozen=True)
class PersonFilters:
    nationality: str = ""
    language: str = ""
    residence_status: str = ""
    gender: str = ""
    age_group: str = ""
    arrival_year: int | None = None
    family_id: UUID | None = None


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _apply_filters(persons: QuerySet[Person], filters: PersonFilters) -> QuerySet[Person]:
    if filters.nationality:
        persons = persons.filter(nationalities__contains=[filters.nationality])
    if filters.language:
        persons = persons.filter(languages__contains=[filters.language])
    if filters.residence_status:
        persons = persons.filter(residence_status=filters.residence_status)
    if filters.gender:
        persons = persons.filter(gender=filters.gender)
    if filters.age_group:
        adult_born_before = _years_ago(timezone.localdate(), ADULT_AGE)
        if filters.age_group == AgeGroup.CHILD:
            persons = persons.filter(birth_date__gt=adult_born_before)
        elif filters.age_group == AgeGroup.ADULT:
            persons = persons.filter(birth_date__lte=adult_born_before)
    if filters.arrival_year:
        start = datetime.date(filters.arrival_year, 1, 1)
        persons = persons.filter(
            arrived_in_germany__gte=start, arrived_in_germany__lt=start.replace(year=start.year + 1)
        )
    if filters.family_id:
        persons = persons.filter(family_id=filters.family_id)
    return persons


def _term_matches(term: str, raw_word: str) -> Q:
    # Names: each folded term is a substring of the folded names (trigram GIN index).
    # Address: German full-text search on street and place (its own GIN index), so that
    # "Kovalenko Bonn" finds the Kovalenkos living in Bonn.
    names = Q(search_text__contains=term)
    address = Q(address_vector=SearchQuery(raw_word, config="german", search_type="plain"))
    return names | address


def person_list(*, centre: Centre, query: str = "", filters: PersonFilters | None = None) -> QuerySet[Person]:
    """The centre's persons matching every word of `query`, the best matches first, then by name."""
    persons: QuerySet[Person] = Person.objects.for_centre(centre).select_related("family")
    persons = _apply_filters(persons, filters or PersonFilters())
    terms = search_terms(query)
    if not terms:
        return persons.order_by("family_name", "given_names", "id")
    raw_words = normalise_name(query).casefold().split()
    persons = persons.alias(address_vector=ADDRESS_SEARCH_VECTOR)
    for term, raw_word in zip(terms, raw_words, strict=False):
        persons = persons.filter(_term_matches(term, raw_word))
    return persons.annotate(relevance=TrigramWordSimilarity(" ".join(terms), "search_text")).order_by(
        "-relevance", "family_name", "given_names", "id"
    )


def person_get(*, centre: Centre, person_id: UUID | str) -> Person:
    try:
        return Person.objects.for_centre(centre).select_related("family").get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def family_list(*, centre: Centre) -> QuerySet[Family]:
    return Family.objects.for_centre(centre).order_by("-reference")


def family_get(*, centre: Centre, family_id: UUID | str) -> Family:
    try:
        return Family.objects.for_centre(centre).get(pk=family_id)
    except (Family.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def family_members(*, centre: Centre, family: Family) -> QuerySet[Person]:
    return Person.objects.for_centre(centre).filter(family=family).order_by("birth_date", "given_names")


def consents_of(*, centre: Centre, person: Person) -> QuerySet[Consent]:
    return (
        Consent.objects.for_centre(centre)
        .filter(person=person)
        .select_related("recorded_by")
        .order_by("withdrawn_on", "-given_on")
    )


def guardians_of(*, centre: Centre, person: Person) -> QuerySet[GuardianRelation]:
    return GuardianRelation.objects.for_centre(centre).filter(child=person).select_related("guardian")


def wards_of(*, centre: Centre, person: Person) -> QuerySet[GuardianRelation]:
    return GuardianRelation.objects.for_centre(centre).filter(guardian=person).select_related("child")


def consent_get(*, centre: Centre, person: Person, consent_id: Any) -> Consent:
    try:
        return Consent.objects.for_centre(centre).get(pk=consent_id, person=person)
    except (Consent.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def guardian_relation_get(*, centre: Centre, person: Person, relation_id: Any) -> GuardianRelation:
    try:
        return GuardianRelation.objects.for_centre(centre).get(Q(child=person) | Q(guardian=person), pk=relation_id)
    except (GuardianRelation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def likely_duplicates(
    *,
    centre: Centre,
    given_names: str,
    family_name: str,
    birth_date: datetime.date | None = None,
    given_names_latin: str = "",
    family_name_latin: str = "",
    limit: int = 5,
) -> list[Person]:
    """Persons of the centre who may be the one about to be entered: shown to staff before a new record is saved.

    A candidate has a similar name in any of its spellings and, where both are known, the same birth date.
    """
    folded = search_text_for(given_names, family_name, given_names_latin, family_name_latin)
    if not folded:
        return []
    persons = Person.objects.for_centre(centre).annotate(similarity=TrigramWordSimilarity(folded, "search_text"))
    if birth_date is not None:
        persons = persons.filter(Q(birth_date=birth_date) | Q(birth_date__isnull=True))
    return list(
        persons.filter(similarity__gte=DUPLICATE_NAME_SIMILARITY).order_by("-similarity", "family_name")[:limit]
    )
