from datetime import timedelta

import pytest
from django.utils import timezone

from ankommen.accounts.models import ApiToken, Role
from ankommen.accounts.services import api_token_create, api_token_revoke
from ankommen.accounts.tests.factories import MembershipFactory
from ankommen.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_membership(centre):
    return MembershipFactory(role=Role.CENTRE_STAFF, centre=centre)


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_openapi_document_lists_the_public_and_the_scoped_routes(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/schools" in paths
    assert "/api/v1/people/search" in paths
    assert client.get("/api/v1/docs/").status_code == 200


def test_a_valid_token_reads_its_centre(client, staff_membership):
    _token, secret = api_token_create(membership=staff_membership, name="script", expires_in_days=30)
    response = client.get("/api/v1/people/", **bearer(secret))
    assert response.status_code == 200
    assert response.json() == {"count": 0, "items": []}


@pytest.mark.parametrize("spoil", ["expired", "revoked", "unknown", "no prefix"])
def test_an_unusable_token_gets_401_in_the_one_error_format(client, staff_membership, spoil):
    token, secret = api_token_create(membership=staff_membership, name="script", expires_in_days=30)
    if spoil == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif spoil == "revoked":
        api_token_revoke(token=token, by=staff_membership.user)
    elif spoil == "unknown":
        secret = ApiToken.new_secret()
    else:
        secret = secret.removeprefix(ApiToken.PREFIX)
    response = client.get("/api/v1/people/", **bearer(secret))
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_malformed_input_answers_422_with_field_errors_and_writes_nothing(client, staff_membership, centre):
    _token, secret = api_token_create(membership=staff_membership, name="script", expires_in_days=30)
    response = client.post(
        "/api/v1/people/",
        {"given_names": "", "birth_date": "not a date"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 422
    body = response.json()
    assert {"given_names", "birth_date", "family_name"} <= set(body["errors"])
    assert not Person.objects.for_centre(centre).exists()


def test_a_rule_violation_answers_400_in_the_users_language(client, staff_membership, centre):
    _token, secret = api_token_create(membership=staff_membership, name="script", expires_in_days=30)
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        "/api/v1/people/",
        {"given_names": "Olena", "family_name": "Kovalenko", "birth_date": future},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
        **bearer(secret),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Die Daten konnten nicht gespeichert werden."
    assert "birth_date" in body["errors"]
    assert not Person.objects.for_centre(centre).exists()


def test_unknown_object_answers_404_in_the_one_error_format(client):
    response = client.get("/api/v1/schools/000000")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}
