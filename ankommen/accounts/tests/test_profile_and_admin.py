from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ankommen.accounts.models import Role
from ankommen.accounts.services import recovery_codes_generate
from ankommen.accounts.tests.factories import MembershipFactory, TotpDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("accounts:profile")


def test_anonymous_visitor_is_sent_to_login():
    response = Client().get(PROFILE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_shows_roles_second_factor_and_links(login, centre):
    user = UserFactory(display_name="Leyla Rahimi")
    MembershipFactory(user=user, role=Role.CENTRE_STAFF, centre=centre)
    TotpDeviceFactory(user=user)
    recovery_codes_generate(user=user)

    content = login(user).get(PROFILE_URL).content.decode()

    assert "Leyla Rahimi" in content
    assert centre.name in content
    assert "10 Wiederherstellungscodes" in content
    for name in ("accounts:sessions", "accounts:tokens", "accounts:password_change"):
        assert reverse(name) in content


def test_profile_without_second_factor_offers_setup(login):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.VOLUNTEER)

    content = login(user).get(PROFILE_URL).content.decode()

    assert reverse("accounts:second_factor_setup") in content


def test_admin_lists_and_edits_users_with_their_memberships(login, centre):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    member = UserFactory()
    MembershipFactory(user=member, role=Role.CENTRE_STAFF, centre=centre)
    client = login(admin_user)

    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    change_page = client.get(reverse("admin:accounts_user_change", args=[member.pk]))
    assert change_page.status_code == 200
    assert "memberships-TOTAL_FORMS" in change_page.content.decode()
    assert client.get(reverse("admin:accounts_membership_changelist")).status_code == 200


def test_admin_login_page_sends_to_our_login():
    response = Client().get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
