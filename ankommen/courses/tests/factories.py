from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from ankommen.courses.models import Audience, Course, Registration, RegistrationStatus, Session, Topic
from ankommen.regions.tests.factories import CentreFactory


class TopicFactory(factory.django.DjangoModelFactory[Topic]):
    class Meta:
        model = Topic
        django_get_or_create = ("key",)

    key = "german-as-a-second-language"
    name_de = "Deutsch als Zweitsprache"
    name_en = "German as a second language"


class AudienceFactory(factory.django.DjangoModelFactory[Audience]):
    class Meta:
        model = Audience
        django_get_or_create = ("key",)

    key = "teachers"
    name_de = "Lehrkräfte"
    name_en = "Teachers"


class CourseFactory(factory.django.DjangoModelFactory[Course]):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    centre = factory.SubFactory(CentreFactory)
    title = factory.Sequence(lambda n: f"DaZ im Fachunterricht {n}")
    description = "Sprachsensibler Fachunterricht für neu zugewanderte Kinder."
    topic = factory.SubFactory(TopicFactory)
    seats = 12
    credit_hours = Decimal("6.0")

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create:
            self.audiences.set(extracted or [AudienceFactory()])

    @factory.post_generation
    def with_sessions(self, create, extracted, **kwargs):
        # Two sessions next month unless the test says how many (0 for none).
        count = 2 if extracted is None else extracted
        first = timezone.localdate() + datetime.timedelta(days=30)
        for index in range(count):
            Session.objects.create(
                centre=self.centre,
                course=self,
                date=first + datetime.timedelta(days=7 * index),
                starts_at=datetime.time(9, 0),
                ends_at=datetime.time(12, 0),
                place="KI, Seminarraum 1",
            )


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    course = factory.SubFactory(CourseFactory)
    centre = factory.LazyAttribute(lambda o: o.course.centre)
    given_name = "Anna"
    family_name = factory.Sequence(lambda n: f"Lehrerin{n}")
    email = factory.Sequence(lambda n: f"lehrkraft{n}@schule.example.org")
    organisation = "Grundschule am Park"
    audience = factory.SubFactory(AudienceFactory)
    status = RegistrationStatus.CONFIRMED
    token_digest = factory.Sequence(lambda n: Registration.digest_of(f"secret-{n}"))
