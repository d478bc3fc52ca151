from __future__ import annotations

import factory

from ankommen.accounts.models import Membership, Role, User
from ankommen.accounts.tests.factories import UserFactory
from ankommen.network.models import Organisation, OrganisationKind, PartnerContact, Service, ServiceCategory
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


def partner_link(organisation: Organisation, user: User | None = None) -> PartnerContact:
    """The active link of a (new) user acting for `organisation` in the partner portal, with their role."""
    contact: User = user or UserFactory()  # type: ignore[assignment]
    Membership.objects.get_or_create(user=contact, role=Role.PARTNER_CONTACT, centre=organisation.centre)
    return PartnerContact.objects.create(centre=organisation.centre, organisation=organisation, user=contact)


def partner_contact(organisation: Organisation, user: User | None = None) -> User:
    """A user acting for `organisation` in the partner portal (role and active link)."""
    return partner_link(organisation, user).user
