"""Reads of the public reference data. Nothing here is personal or centre-owned, so nothing is scoped."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from ankommen.regions.models import Centre, Municipality, Occupation, Postcode, Region, School, SchoolForm


@dataclass(frozen=True)
class AdministrativeRegionGroup:
    name: str
    centres: list[Centre]


@dataclass(frozen=True)
class SchoolFormCount:
    form: SchoolForm
    count: int


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def region_get(*, key: str) -> Region:
    return get_object_or_404(Region, key=key)


def municipality_list(*, region_key: str = "") -> QuerySet[Municipality]:
    municipalities = Municipality.objects.select_related("region", "centre").order_by("key")
    if region_key:
        municipalities = municipalities.filter(region__key=region_key)
    return municipalities


def centre_list(*, query: str = "") -> QuerySet[Centre]:
    """Centres by name, operator, district or any municipality they serve (so "Alsdorf" finds its centre)."""
    centres = Centre.objects.select_related("region").order_by("region__administrative_region", "name")
    for word in query.split():
        centres = centres.filter(
            Q(name__unaccent__icontains=word)
            | Q(operator__unaccent__icontains=word)
            | Q(region__name__unaccent__icontains=word)
            | Q(municipalities__name__unaccent__icontains=word)
        ).distinct()
    return centres


def centres_by_administrative_region(*, query: str = "") -> list[AdministrativeRegionGroup]:
    return [
        AdministrativeRegionGroup(name=name, centres=list(centres))
        for name, centres in groupby(centre_list(query=query), key=lambda centre: centre.region.administrative_region)
    ]


def centre_get(*, slug: str) -> Centre:
    return get_object_or_404(Centre.objects.select_related("region"), slug=slug)


def centre_municipalities(*, centre: Centre) -> QuerySet[Municipality]:
    return centre.municipalities.order_by("name")


def centre_school_counts(*, centre: Centre) -> list[SchoolFormCount]:
    """Schools in the municipalities the centre serves, per school form, in the order of the form choices."""
    counts = dict(
        School.objects.filter(municipality__centre=centre)
        .values_list("form")
        .annotate(count=Count("id"))
        .values_list("form", "count")
    )
    return [SchoolFormCount(form=form, count=counts[form.value]) for form in SchoolForm if counts.get(form.value)]


def school_search(*, query: str = "", place: str = "", form: str = "") -> QuerySet[School]:
    """Every word of `query` in the name, accent- and case-insensitive; if none has them all, the closest names.

    The fallback (trigram word similarity, served by the name's trigram index) forgives typos like "Gymnasim".
    """
    schools = School.objects.select_related("municipality")
    if form:
        schools = schools.filter(form=form)
    place = place.strip()
    if place:
        schools = schools.filter(Q(place__unaccent__icontains=place) | Q(municipality__name__unaccent__icontains=place))
    words = query.split()
    if not words:
        return schools.order_by("name", "number")
    all_words = Q()
    for word in words:
        all_words &= Q(name__unaccent__icontains=word)
    matches = schools.filter(all_words)
    if not matches.exists():
        joined = " ".join(words)
        matches = schools.filter(name__trigram_word_similar=joined).annotate(
            similarity=TrigramWordSimilarity(joined, "name")
        )
        return matches.order_by("-similarity", "name", "number")
    return matches.order_by("name", "number")


def school_get(*, number: str) -> School:
    schools = School.objects.select_related("municipality__region", "municipality__centre")
    return get_object_or_404(schools, number=number)


def postcode_get(*, code: str) -> Postcode:
    return get_object_or_404(Postcode.objects.select_related("region"), code=code)


def occupation_search(*, query: str = "") -> QuerySet[Occupation]:
    occupations = Occupation.objects.all()
    for word in query.split():
        occupations = occupations.filter(
            Q(label__unaccent__icontains=word) | Q(alternative_labels__unaccent__icontains=word)
        )
    return occupations.order_by("label", "uri")
