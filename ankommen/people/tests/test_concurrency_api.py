"""If-Match on changes and Idempotency-Key on creations through the API (docs/concurrency.md)."""

# mypy: disable-error-code="attr-defined"

import pytest

from ankommen.api.api import api
from ankommen.core.models import IdempotencyKey
from ankommen.people.models import Family, Person
from ankommen.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/people/"


def test_a_patch_with_a_stale_etag_is_refused_with_412_and_changes_nothing(staff_client, centre):
    person = PersonFactory(centre=centre, place="Köln")
    etag = staff_client.get(f"{URL}{person.pk}")["ETag"]
    changed = staff_client.patch(
        f"{URL}{person.pk}", {"place": "Bonn"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200
    assert changed["ETag"] != etag

    stale = staff_client.patch(
        f"{URL}{person.pk}", {"place": "Düren"}, content_type="application/json", HTTP_IF_MATCH=etag
    )

    assert stale.status_code == 412
    assert stale.json()["errors"] == {}
    assert stale.json()["detail"]
    assert stale["ETag"] == changed["ETag"]
    assert Person.objects.for_centre(centre).get(pk=person.pk).place == "Bonn"
    retried = staff_client.patch(
        f"{URL}{person.pk}", {"place": "Düren"}, content_type="application/json", HTTP_IF_MATCH=stale["ETag"]
    )
    assert retried.status_code == 200
    assert staff_client.get(f"{URL}{person.pk}")["ETag"] == retried["ETag"]


def test_a_repeated_idempotency_key_replays_the_first_answer(staff_client, centre):
    body = {"given_names": "Olena", "family_name": "Kovalenko"}
    first = staff_client.post(URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = staff_client.post(URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Person.objects.for_centre(centre).count() == 1
    # The stored answer holds personal data: encrypted at rest.
    assert b"Kovalenko" not in bytes(IdempotencyKey.objects.get(key="k-1").body)


def test_the_same_key_with_another_body_is_refused(staff_client, centre):
    staff_client.post(
        URL, {"given_names": "Olena", "family_name": "K"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    response = staff_client.post(
        URL, {"given_names": "Iryna", "family_name": "K"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 422
    assert Person.objects.for_centre(centre).count() == 1


def test_a_refused_creation_does_not_keep_its_key(staff_client, centre):
    bad = staff_client.post(
        f"{URL}families/", {"postcode": "1"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert bad.status_code in {400, 422}
    assert not IdempotencyKey.objects.filter(key="k-3").exists()
    good = staff_client.post(
        f"{URL}families/", {"place": "Köln"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert good.status_code == 201
    assert Family.objects.for_centre(centre).count() == 1


def test_the_openapi_documents_both_headers():
    paths = api.get_openapi_schema()["paths"]
    post = {parameter["name"] for parameter in paths["/api/v1/people/"]["post"].get("parameters", [])}
    patch = {parameter["name"] for parameter in paths["/api/v1/people/{person_id}"]["patch"]["parameters"]}
    assert "Idempotency-Key" in post
    assert {"If-Match", "person_id"} <= patch
