from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from ankommen.regions.tests.factories import CentreFactory
from ankommen.staffing.models import FundingSource, StaffFunction, StaffPost


class StaffPostFactory(factory.django.DjangoModelFactory[StaffPost]):
    """A post written directly, without the rule check: for building a centre's staffing in tests."""

    class Meta:
        model = StaffPost

    centre = factory.SubFactory(CentreFactory)
    title = factory.Sequence(lambda n: f"Koordination {n}")
    function = StaffFunction.COORDINATION
    fte = Decimal("1")
    funding_source = FundingSource.STATE_INTEGRATION
    filled_by = factory.Sequence(lambda n: f"Erika Musterfrau {n}")
    starts_on = datetime.date(2023, 1, 1)


def teacher(centre, **fields) -> StaffPost:
    post: StaffPost = StaffPostFactory.create(
        centre=centre,
        function=StaffFunction.TEACHER,
        funding_source=FundingSource.SCHOOL_MINISTRY,
        title="Lehrkraft",
        **fields,
    )
    return post
