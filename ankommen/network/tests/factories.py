from __future__ import annotations

import factory

from ankommen.network.models import Organisation, OrganisationKind, Service, ServiceCategory
from ankommen.regions.tests.factories import CentreFactory


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Beratungsstelle {n}")
    kind = OrganisationKind.CITIZEN_INITIATIVE
    street = "Domplatz 1"
    postcode = "50667"
    place = "Köln"
    latitude = 50.9385
    longitude = 6.9561
    languages = factory.LazyFunction(lambda: ["de"])


class ServiceFactory(factory.django.DjangoModelFactory[Service]):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    centre = factory.LazyAttribute(lambda o: o.organisation.centre)
    category = ServiceCategory.FAMILY_COUNSELLING
    name = factory.Sequence(lambda n: f"Familienberatung {n}")
