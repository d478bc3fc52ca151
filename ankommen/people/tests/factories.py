from __future__ import annotations

import datetime

import factory

from ankommen.people.models import Family, Person
from ankommen.people.search import search_text_for
from ankommen.regions.models import Postcode
from ankommen.regions.tests.factories import CentreFactory, RegionFactory


class PostcodeFactory(factory.django.DjangoModelFactory[Postcode]):
    class Meta:
        model = Postcode
        django_get_or_create = ("code",)

    code = "53111"
    places = "Bonn"
    region = factory.SubFactory(RegionFactory)
    latitude = 50.73
    longitude = 7.1


class FamilyFactory(factory.django.DjangoModelFactory[Family]):
    class Meta:
        model = Family

    centre = factory.SubFactory(CentreFactory)
    reference = factory.Sequence(lambda n: f"F-2025-{n:05d}")


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    centre = factory.SubFactory(CentreFactory)
    given_names = "Olena"
    family_name = factory.Sequence(lambda n: f"Testname{n}")
    birth_date = datetime.date(1990, 5, 1)
    search_text = factory.LazyAttribute(
        lambda o: search_text_for(o.given_names, o.family_name, o.given_names_latin, o.family_name_latin)
    )
    given_names_latin = ""
    family_name_latin = ""
