from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from ankommen.accounts.middleware import SECOND_FACTOR_VERIFIED_KEY
from ankommen.accounts.models import RecoveryCode, Role, TotpDevice
from ankommen.accounts.services import recovery_codes_generate, second_factor_verify
from ankommen.accounts.tests.factories import MembershipFactory, TotpDeviceFactory, UserFactory
from ankommen.accounts.tests.helpers import attempt_login

pytestmark = pytest.mark.django_db

SETUP_URL = reverse("accounts:second_factor_setup")
VERIFY_URL = reverse("accounts:second_factor_verify")
TOKENS_URL = reverse("accounts:tokens")


def _staff_user():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.CENTRE_STAFF)
    return user


def _logged_in_with_password(user) -> Client:
    client = Client()
    attempt_login(client, user.email)
    return client


def _next_code(device: Any) -> str:
    """A code of the following time step: valid (one step of drift) and not yet used."""
    return pyotp.TOTP(device.secret).at(int(time.time()) + 30)


def test_staff_without_second_factor_is_sent_to_setup_and_cannot_reach_a_protected_page():
    user = _staff_user()
    client = Client()

    login_response = attempt_login(client, user.email)
    page_response = client.get(TOKENS_URL)

    assert login_response["Location"].startswith(SETUP_URL)
    assert page_response.status_code == 302
    assert page_response["Location"].startswith(SETUP_URL)
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert client.post(TOKENS_URL, {"name": "x", "expires_in_days": 9}).status_code == 302
    assert not user.memberships.first().api_tokens.exists()


@override_settings(REQUIRE_SECOND_FACTOR=False)
def test_without_the_requirement_staff_reaches_protected_pages_with_the_password_alone():
    user = _staff_user()
    client = Client()

    assert attempt_login(client, user.email)["Location"] == reverse("core:home")
    assert client.get(TOKENS_URL).status_code == 200


def test_volunteer_needs_no_second_factor():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.VOLUNTEER)
    client = _logged_in_with_password(user)

    assert client.get(TOKENS_URL).status_code == 200


def test_unverified_user_reaches_only_the_open_pages():
    client = _logged_in_with_password(_staff_user())

    assert client.get(SETUP_URL).status_code == 200
    assert client.get("/health/").status_code in {200, 503}
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.get("/personen/")["Location"].startswith(SETUP_URL)
    assert client.get("/admin/")["Location"].startswith(SETUP_URL)
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_setup_shows_a_qr_code_and_confirming_gives_ten_recovery_codes():
    user = _staff_user()
    client = _logged_in_with_password(user)

    page = client.get(SETUP_URL)
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TotpDevice.objects.get(user=user)
    assert device.confirmed_at is None

    response = client.post(SETUP_URL, {"code": pyotp.TOTP(device.secret).now()})

    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.is_confirmed
    stored = set(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert len(stored) == 10
    assert not stored & set(codes)
    assert client.session[SECOND_FACTOR_VERIFIED_KEY] is True
    assert client.get(TOKENS_URL).status_code == 200


def test_setup_with_a_wrong_code_marks_the_field_and_confirms_nothing():
    user = _staff_user()
    client = _logged_in_with_password(user)
    client.get(SETUP_URL)

    response = client.post(SETUP_URL, {"code": "12345a"})

    assert response.status_code == 200
    assert "sechs Ziffern" in response.content.decode()
    assert not TotpDevice.objects.get(user=user).is_confirmed
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert client.get(TOKENS_URL).status_code == 302


def test_user_with_a_device_enters_the_code_and_is_let_through():
    user = _staff_user()
    device = TotpDeviceFactory(user=user)
    client = Client()

    login_response = client.post(
        reverse("accounts:login"), {"email": user.email, "password": "ein-sicheres-Passwort-2026", "next": TOKENS_URL}
    )
    assert login_response["Location"].startswith(VERIFY_URL)
    response = client.post(login_response["Location"], {"code": _next_code(device)})

    assert response["Location"] == TOKENS_URL
    assert client.get(TOKENS_URL).status_code == 200


def test_an_authenticator_code_is_accepted_only_once():
    user = _staff_user()
    device = TotpDeviceFactory(user=user)
    code = _next_code(device)

    assert second_factor_verify(user=user, code=code) is True
    assert second_factor_verify(user=user, code=code) is False


def test_a_recovery_code_works_once_only():
    user = _staff_user()
    TotpDeviceFactory(user=user)
    code = recovery_codes_generate(user=user)[0]

    first = _logged_in_with_password(user)
    assert first.post(VERIFY_URL, {"code": code.upper().replace("-", " ")}).status_code == 302
    assert first.get(TOKENS_URL).status_code == 200

    second = _logged_in_with_password(user)
    response = second.post(VERIFY_URL, {"code": code})
    assert response.status_code == 200
    assert "bereits verwendet" in response.content.decode()
    assert second.get(TOKENS_URL).status_code == 302
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1


def test_regenerating_recovery_codes_replaces_the_old_ones(login):
    user = _staff_user()
    TotpDeviceFactory(user=user)
    old_codes = recovery_codes_generate(user=user)
    client = login(user)

    response = client.post(reverse("accounts:recovery_codes_regenerate"))

    new_codes = re.findall(r"<code>([a-z2-7-]{19})</code>", response.content.decode())
    assert len(new_codes) == 10
    assert RecoveryCode.objects.filter(user=user).count() == 10
    assert second_factor_verify(user=user, code=old_codes[0]) is False
    assert second_factor_verify(user=user, code=new_codes[0]) is True


def test_api_requests_of_an_unverified_session_are_treated_as_anonymous():
    client = _logged_in_with_password(_staff_user())

    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous


def test_the_authenticator_secret_is_stored_encrypted():
    device = TotpDeviceFactory()
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_encrypted FROM accounts_totpdevice WHERE id = %s", [device.pk])
        stored = bytes(cursor.fetchone()[0])
    assert device.secret.encode() not in stored
    assert TotpDevice.objects.get(pk=device.pk).secret == device.secret
    assert len(device.secret) >= 16
