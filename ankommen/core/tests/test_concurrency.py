"""The parts of the concurrency mechanism that need no page (docs/concurrency.md)."""

import datetime

import pytest
from django.utils import timezone
from procrastinate.contrib.django import app

from ankommen.accounts.models import Role
from ankommen.core.concurrency import record_version
from ankommen.core.models import IdempotencyKey
from ankommen.core.tasks import idempotency_keys_remove_expired
from ankommen.people.models import Family, Person
from ankommen.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_version_changes_with_any_column_and_only_then(centre):
    person = PersonFactory(centre=centre, phone="")
    version = record_version(Person.objects.for_centre(centre).get(pk=person.pk))
    assert record_version(Person.objects.for_centre(centre).get(pk=person.pk)) == version
    Person.objects.for_centre(centre).filter(pk=person.pk).update(phone="0221 1")
    assert record_version(Person.objects.for_centre(centre).get(pk=person.pk)) != version


def test_the_version_gives_no_value_away(centre):
    person = PersonFactory(centre=centre, family_name="Kovalenko")
    version = record_version(person)
    assert len(version) == 40
    assert "Kovalenko" not in version


def test_the_hourly_job_removes_keys_older_than_a_day(staff):
    old = IdempotencyKey.objects.create(user=staff, key="old", scope="api /x", request_digest="d")
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    IdempotencyKey.objects.create(user=staff, key="new", scope="api /x", request_digest="d")

    assert idempotency_keys_remove_expired(timestamp=0) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_the_expiry_job_is_registered_as_periodic():
    periodic_ids = {task.periodic_id for task in app.periodic_registry.periodic_tasks.values()}
    assert "idempotency_keys_remove_expired" in periodic_ids


def test_api_keys_are_per_user(login, make_member, centre):
    clients = [login(make_member(Role.CENTRE_STAFF, centre=centre)) for _ in range(2)]
    for client in clients:
        response = client.post(
            "/api/v1/people/families/", {"place": "Köln"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
        )
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response
    assert Family.objects.for_centre(centre).count() == 2
