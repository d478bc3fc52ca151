from __future__ import annotations

import factory
import pyotp
from django.utils import timezone

from ankommen.accounts.models import Membership, Role, TotpDevice, User
from ankommen.regions.tests.factories import CentreFactory

TEST_PASSWORD = "ein-sicheres-Passwort-2026"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Test User {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.CENTRE_STAFF
    centre = factory.SubFactory(CentreFactory)


class TotpDeviceFactory(factory.django.DjangoModelFactory[TotpDevice]):
    """A confirmed authenticator app; `pyotp.TOTP(device.secret).now()` gives its current code."""

    class Meta:
        model = TotpDevice

    user = factory.SubFactory(UserFactory)
    secret = factory.LazyFunction(pyotp.random_base32)
    confirmed_at = factory.LazyFunction(timezone.now)
