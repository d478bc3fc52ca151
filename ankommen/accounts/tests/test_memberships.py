from __future__ import annotations

import pytest
from django.urls import reverse

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.core.middleware import ACTIVE_MEMBERSHIP_SESSION_KEY

pytestmark = pytest.mark.django_db

SWITCH_URL = reverse("accounts:membership_switch")


def test_user_switches_to_another_own_membership(login, centre, other_centre):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.CENTRE_STAFF, centre=centre)
    lead = MembershipFactory(user=user, role=Role.CENTRE_LEAD, centre=other_centre)
    client = login(user)

    response = client.post(SWITCH_URL, {"membership": lead.pk, "next": "/konto/"})

    assert response["Location"] == "/konto/"
    assert client.session[ACTIVE_MEMBERSHIP_SESSION_KEY] == lead.pk
    page = client.get(reverse("accounts:profile"))
    assert page.wsgi_request.centre == other_centre
    assert 'id="membership-switch"' in page.content.decode()


def test_user_cannot_switch_to_someone_elses_membership(login, centre, other_centre):
    user = UserFactory()
    own = MembershipFactory(user=user, role=Role.CENTRE_STAFF, centre=centre)
    foreign = MembershipFactory(role=Role.CENTRE_LEAD, centre=other_centre)
    client = login(user)
    client.post(SWITCH_URL, {"membership": own.pk})

    response = client.post(SWITCH_URL, {"membership": foreign.pk})

    assert response.status_code == 404
    assert client.session[ACTIVE_MEMBERSHIP_SESSION_KEY] == own.pk


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_switch_to_nonsense_answers_404(login, centre, value):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.CENTRE_STAFF, centre=centre)
    client = login(user)

    response = client.post(SWITCH_URL, {"membership": value})

    assert response.status_code == 404
    assert ACTIVE_MEMBERSHIP_SESSION_KEY not in client.session


def test_user_cannot_switch_to_an_inactive_own_membership(login, centre, other_centre):
    user = UserFactory()
    MembershipFactory(user=user, role=Role.CENTRE_STAFF, centre=centre)
    inactive = MembershipFactory(user=user, role=Role.CENTRE_STAFF, centre=other_centre, is_active=False)
    client = login(user)

    response = client.post(SWITCH_URL, {"membership": inactive.pk})

    assert response.status_code == 404
    assert ACTIVE_MEMBERSHIP_SESSION_KEY not in client.session


def test_switch_needs_post(login, centre):
    user = UserFactory()
    own = MembershipFactory(user=user, role=Role.CENTRE_STAFF, centre=centre)
    client = login(user)

    assert client.get(SWITCH_URL, {"membership": own.pk}).status_code == 405
    assert ACTIVE_MEMBERSHIP_SESSION_KEY not in client.session
