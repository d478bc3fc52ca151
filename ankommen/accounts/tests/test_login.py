from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ankommen.accounts.models import Role, UserSession
from ankommen.accounts.tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from ankommen.accounts.tests.helpers import LOGIN_URL, attempt_login, is_logged_in

pytestmark = pytest.mark.django_db


def test_volunteer_logs_in_with_email_in_any_case():
    user = UserFactory(email="anna.weber@example.org")
    MembershipFactory(user=user, role=Role.VOLUNTEER)
    client = Client()

    response = attempt_login(client, "  Anna.Weber@EXAMPLE.org ")

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert is_logged_in(client)
    assert UserSession.objects.filter(user=user).count() == 1


def test_wrong_password_shows_the_form_again_with_a_german_message():
    user = UserFactory()
    client = Client()

    response = attempt_login(client, user.email, "falsches-Passwort-123")

    assert response.status_code == 200
    assert "E-Mail-Adresse oder Passwort ist nicht korrekt" in response.content.decode()
    assert not is_logged_in(client)


def test_invalid_email_is_marked_on_the_field():
    response = Client().post(LOGIN_URL, {"email": "kein-at-zeichen", "password": "x"})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in content
    assert "kern-form-input__input--error" in content
    assert 'aria-describedby="id_email_error"' in content


def test_login_follows_a_local_next_but_not_a_foreign_one():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.VOLUNTEER)

    local = Client().post(LOGIN_URL, {"email": user.email, "password": TEST_PASSWORD, "next": "/konto/"})
    foreign = Client().post(
        LOGIN_URL, {"email": user.email, "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )

    assert local["Location"] == "/konto/"
    assert foreign["Location"] == reverse("core:home")


def test_inactive_user_cannot_log_in():
    user = UserFactory(is_active=False)
    client = Client()

    response = attempt_login(client, user.email)

    assert response.status_code == 200
    assert not is_logged_in(client)


def test_logout_needs_post_and_ends_the_session(login):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.VOLUNTEER)
    client = login(user)
    client.get(reverse("accounts:profile"))

    refused = client.get(reverse("accounts:logout"))
    assert refused.status_code == 405
    assert is_logged_in(client)

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not is_logged_in(client)
    assert not UserSession.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("new_password", "german_message"),
    [
        ("kurz-2026", "Dieses Passwort ist zu kurz. Es muss mindestens 12 Zeichen enthalten."),
        ("password1234", "Dieses Passwort ist zu üblich."),
    ],
)
def test_password_change_refuses_short_and_common_passwords_in_german(login, new_password, german_message):
    user = UserFactory()
    client = login(user)
    old_hash = user.password

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 200
    assert german_message in response.content.decode()
    user.refresh_from_db()
    assert user.password == old_hash


def test_password_change_keeps_this_session_and_ends_the_others(login):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.VOLUNTEER)
    this_client, other_client = login(user), login(user)
    this_client.get(reverse("accounts:profile"))
    other_client.get(reverse("accounts:profile"))
    new_password = "Herbstlaub-am-Rhein-2026"

    response = this_client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2")
    assert user.check_password(new_password)
    assert this_client.get(reverse("accounts:profile")).status_code == 200
    assert other_client.get(reverse("accounts:profile")).status_code == 302
    assert UserSession.objects.filter(user=user).count() == 1


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_password_reset_by_mail_sets_a_new_password():
    user = UserFactory(email="mehmet.yilmaz@example.org")
    client = Client()

    response = client.post(reverse("accounts:password_reset"), {"email": "Mehmet.Yilmaz@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/konto/passwort/neu/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "Sonnenaufgang-in-Köln-2026"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same():
    response = Client().post(reverse("accounts:password_reset"), {"email": "niemand@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_refuses_a_short_password_in_german():
    user = UserFactory()
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_url = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))["Location"]

    response = client.post(form_url, {"new_password1": "kurz-2026", "new_password2": "kurz-2026"})

    assert response.status_code == 200
    assert "Dieses Passwort ist zu kurz" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
