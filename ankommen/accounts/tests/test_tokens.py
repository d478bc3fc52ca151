from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import ApiToken, Role
from ankommen.accounts.services import api_token_create, api_token_revoke
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.api.auth import TokenAuth

pytestmark = pytest.mark.django_db

TOKENS_URL = reverse("accounts:tokens")


def test_token_secret_is_shown_once_and_only_its_digest_is_stored(staff, staff_client):
    membership = staff.memberships.get()

    response = staff_client.post(TOKENS_URL, {"name": "Statistik", "membership": membership.pk, "expires_in_days": 30})

    assert response.status_code == 200
    secret = re.search(r"(ank_[A-Za-z0-9_-]{43})", response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.digest}
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    again = staff_client.get(TOKENS_URL)
    assert secret not in again.content.decode()
    assert "Statistik" in again.content.decode()
    assert TokenAuth().authenticate(RequestFactory().get("/"), secret) == membership


def test_token_expiry_defaults_to_ninety_days(staff):
    token, _secret = api_token_create(membership=staff.memberships.get(), name="Standard", expires_in_days=90)

    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)


@pytest.mark.parametrize("days", [0, 366, "viele"])
def test_token_expiry_outside_one_to_365_days_is_refused(staff, staff_client, days):
    membership = staff.memberships.get()

    response = staff_client.post(TOKENS_URL, {"name": "Skript", "membership": membership.pk, "expires_in_days": days})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert "ank_" not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_service_refuses_an_expiry_outside_the_range(staff):
    with pytest.raises(ValueError, match="365"):
        api_token_create(membership=staff.memberships.get(), name="Skript", expires_in_days=400)
    assert not ApiToken.objects.exists()


def test_token_cannot_be_made_for_someone_elses_membership(staff_client, other_centre):
    foreign = MembershipFactory(role=Role.CENTRE_LEAD, centre=other_centre)

    response = staff_client.post(TOKENS_URL, {"name": "Fremd", "membership": foreign.pk, "expires_in_days": 30})

    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_owner_revokes_a_token_and_the_api_no_longer_accepts_it(staff, staff_client):
    token, secret = api_token_create(membership=staff.memberships.get(), name="Alt", expires_in_days=30)

    response = staff_client.post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert TokenAuth().authenticate(RequestFactory().get("/"), secret) is None


def test_user_cannot_revoke_someone_elses_token(staff_client, other_centre):
    foreign = MembershipFactory(role=Role.CENTRE_STAFF, centre=other_centre)
    token, secret = api_token_create(membership=foreign, name="Fremd", expires_in_days=30)

    response = staff_client.post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert TokenAuth().authenticate(RequestFactory().get("/"), secret) == foreign


def test_revoke_service_refuses_another_user(staff, other_centre):
    token, _secret = api_token_create(membership=staff.memberships.get(), name="Meins", expires_in_days=30)

    with pytest.raises(PermissionError):
        api_token_revoke(token=token, by=UserFactory())
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_list_shows_only_own_tokens(staff, staff_client, other_centre):
    api_token_create(membership=staff.memberships.get(), name="Eigenes Skript", expires_in_days=30)
    api_token_create(
        membership=MembershipFactory(role=Role.CENTRE_STAFF, centre=other_centre),
        name="Fremdes Skript",
        expires_in_days=30,
    )

    content = staff_client.get(TOKENS_URL).content.decode()

    assert "Eigenes Skript" in content
    assert "Fremdes Skript" not in content
