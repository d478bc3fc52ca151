"""Planted data for the fuzzing tests: the reference data and the demo of one centre, as `make run` seeds them.

Planted once for the package inside a transaction that is rolled back at the end, so that every generated
case meets real rows (persons, intakes, courses, organisations, grants ...) and nothing stays behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction

from ankommen.accounts.models import Membership, Role, User
from ankommen.regions.models import Centre

PLANTED_CENTRE = "koeln"


@dataclass(frozen=True)
class Planted:
    centre: Centre
    lead: User
    membership: Membership


@pytest.fixture(scope="package")
def planted(django_db_setup, django_db_blocker) -> Iterator[Planted]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference_data", verbosity=0)
        call_command("seed_demo", per_centre=40, centres=PLANTED_CENTRE, verbosity=0)
        membership = Membership.objects.select_related("user", "centre").get(
            role=Role.CENTRE_LEAD, centre__slug=PLANTED_CENTRE
        )
        assert membership.centre is not None
        yield Planted(centre=membership.centre, lead=membership.user, membership=membership)
        transaction.set_rollback(True)
