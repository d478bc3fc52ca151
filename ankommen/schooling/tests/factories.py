from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from ankommen.accounts.tests.factories import UserFactory
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.tests.factories import SchoolFactory
from ankommen.schooling.models import Assessment, CefrLevel, Intake, MathsLevel, SeatKind, SeatOffer


class SeatOfferFactory(factory.django.DjangoModelFactory[SeatOffer]):
    class Meta:
        model = SeatOffer

    school = factory.SubFactory(SchoolFactory)
    centre = factory.LazyAttribute(lambda o: o.school.municipality.centre)
    term = "2026/27-1"
    grade = 5
    kind = SeatKind.INITIAL_SUPPORT
    seats = 10


class IntakeFactory(factory.django.DjangoModelFactory[Intake]):
    class Meta:
        model = Intake

    child = factory.SubFactory(PersonFactory, birth_date=datetime.date(2015, 3, 1))
    centre = factory.LazyAttribute(lambda o: o.child.centre)
    registered_on = factory.LazyFunction(timezone.localdate)


class AssessmentFactory(factory.django.DjangoModelFactory[Assessment]):
    class Meta:
        model = Assessment

    intake = factory.SubFactory(IntakeFactory)
    centre = factory.LazyAttribute(lambda o: o.intake.centre)
    assessed_by = factory.SubFactory(UserFactory)
    german_level = CefrLevel.A1
    maths_level = MathsLevel.AT
    recommended_grade = 5
