from __future__ import annotations

import factory

from ankommen.regions.models import Centre, Municipality, Region, RegionKind, School, SchoolForm


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Testkreis {n}")
    kind = RegionKind.DISTRICT
    administrative_region = "Reg.-Bez. Köln"
    area_km2 = 400
    population = 300_000
    latitude = 50.9
    longitude = 6.9


class CentreFactory(factory.django.DjangoModelFactory[Centre]):
    class Meta:
        model = Centre

    region = factory.SubFactory(RegionFactory)
    slug = factory.Sequence(lambda n: f"testzentrum-{n}")
    name = factory.LazyAttribute(lambda o: f"Kommunales Integrationszentrum {o.region.name}")
    operator = factory.LazyAttribute(lambda o: o.region.name)
    operator_kind = "Kreis"
    population_served = 300_000
    latitude = 50.9
    longitude = 6.9


class MunicipalityFactory(factory.django.DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality

    centre = factory.SubFactory(CentreFactory)
    region = factory.LazyAttribute(lambda o: o.centre.region)
    key = factory.Sequence(lambda n: f"9{n:07d}")
    name = factory.Sequence(lambda n: f"Testgemeinde {n}")
    kind = "Gemeinde"
    area_km2 = 50
    population = 20_000
    postcode = "50667"
    latitude = 50.9
    longitude = 6.9


class SchoolFactory(factory.django.DjangoModelFactory[School]):
    class Meta:
        model = School

    municipality = factory.SubFactory(MunicipalityFactory)
    number = factory.Sequence(lambda n: f"{900000 + n}")
    name = factory.Sequence(lambda n: f"Städtische Testschule {n}")
    form = SchoolForm.PRIMARY
    form_label = "Grundschule"
    street = "Schulstraße 1"
    postcode = "50667"
    place = "Köln"
    is_public = True
    pupils = 250
    latitude = 50.9
    longitude = 6.9
    coordinates_source = "test"
