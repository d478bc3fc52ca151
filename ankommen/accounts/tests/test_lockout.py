from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import LoginFailure, Role
from ankommen.accounts.tests.factories import MembershipFactory, TotpDeviceFactory, UserFactory
from ankommen.accounts.tests.helpers import attempt_login, is_logged_in, without_csrf_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limit_of_three")]


@pytest.fixture
def limit_of_three():
    with override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_LOCKOUT=timedelta(minutes=15)):
        yield


def test_lockout_answers_identically_for_an_existing_and_an_unknown_address():
    user = UserFactory(email="olena.kovalenko@example.org")
    answers = {}
    for email in (user.email, "unbekannt@example.org"):
        client = Client()
        responses = [attempt_login(client, email, "falsches-Passwort-1") for _attempt in range(4)]
        answers[email] = ([response.status_code for response in responses], without_csrf_token(responses[-1].content))

    known, unknown = answers.values()
    assert known[0] == unknown[0] == [200, 200, 429, 429]
    assert known[1] == unknown[1]
    assert "olena" not in known[1]
    assert "Zu viele fehlgeschlagene Versuche" in known[1]


def test_locked_login_refuses_even_the_right_password():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.VOLUNTEER)
    client = Client()
    for _attempt in range(3):
        attempt_login(client, user.email, "falsches-Passwort-1")

    response = attempt_login(client, user.email.upper())

    assert response.status_code == 429
    assert not is_logged_in(client)
    user.refresh_from_db()
    assert user.last_login is None


def test_failures_are_stored_without_the_address_and_cleared_on_success():
    user = UserFactory(email="fatima.haidari@example.org")
    MembershipFactory(user=user, role=Role.VOLUNTEER)
    client = Client()
    attempt_login(client, user.email, "falsches-Passwort-1")
    attempt_login(client, user.email, "falsches-Passwort-2")

    digests = list(LoginFailure.objects.values_list("email_digest", flat=True))
    assert len(digests) == 2
    assert all(len(digest) == 64 and "fatima" not in digest for digest in digests)

    response = attempt_login(client, user.email)

    assert response.status_code == 302
    assert not LoginFailure.objects.exists()


def test_lockout_ends_after_the_lockout_period():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.VOLUNTEER)
    client = Client()
    for _attempt in range(3):
        attempt_login(client, user.email, "falsches-Passwort-1")
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))

    response = attempt_login(client, user.email)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_failed_second_factor_codes_count_towards_the_lockout():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.CENTRE_STAFF)
    device = TotpDeviceFactory(user=user)
    client = Client()
    assert attempt_login(client, user.email)["Location"].startswith(reverse("accounts:second_factor_verify"))
    wrong = str((int(pyotp.TOTP(device.secret).now()) + 1) % 1_000_000).zfill(6)

    statuses = [
        client.post(reverse("accounts:second_factor_verify"), {"code": wrong}).status_code for _attempt in range(3)
    ]

    assert statuses == [200, 200, 429]
    assert not is_logged_in(client)
    assert attempt_login(client, user.email).status_code == 429
