from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role, UserSession
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.accounts.tests.helpers import attempt_login, is_logged_in
from ankommen.accounts.user_agents import describe_user_agent

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("accounts:profile")
SESSIONS_URL = reverse("accounts:sessions")
FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture
def volunteer():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.VOLUNTEER)
    return user


def _session_of(client: Client) -> UserSession:
    return UserSession.objects.get(session_key_digest=UserSession.digest_of(client.session.session_key or ""))


def test_idle_session_is_logged_out_with_a_message(login, volunteer):
    client = login(volunteer)
    client.get(PROFILE_URL)
    UserSession.objects.update(last_seen_at=timezone.now() - timedelta(minutes=31))

    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not is_logged_in(client)
    assert not UserSession.objects.exists()
    login_page = client.get(response["Location"])
    assert "Ihre Sitzung ist abgelaufen" in " ".join(str(message) for message in get_messages(login_page.wsgi_request))


def test_session_past_the_absolute_timeout_is_logged_out_although_active(login, volunteer):
    client = login(volunteer)
    client.get(PROFILE_URL)
    UserSession.objects.update(created_at=timezone.now() - timedelta(hours=10, minutes=1), last_seen_at=timezone.now())

    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert not is_logged_in(client)


def test_active_session_stays_and_is_kept_current(login, volunteer):
    client = login(volunteer)
    client.get(PROFILE_URL)
    UserSession.objects.update(last_seen_at=timezone.now() - timedelta(minutes=29))

    response = client.get(PROFILE_URL)

    assert response.status_code == 200
    assert timezone.now() - UserSession.objects.get().last_seen_at < timedelta(minutes=1)


def test_session_list_shows_every_browser_and_marks_this_one(volunteer):
    first, second = Client(HTTP_USER_AGENT=FIREFOX_ON_WINDOWS), Client()
    attempt_login(first, volunteer.email)
    attempt_login(second, volunteer.email)

    response = first.get(SESSIONS_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Firefox unter Windows" in content
    assert content.count("diese Sitzung") == 1
    assert len(response.context["user_sessions"]) == 2
    assert response.context["current_id"] == _session_of(first).pk


def test_ending_another_session_logs_that_client_out(volunteer):
    mine, other = Client(), Client()
    attempt_login(mine, volunteer.email)
    attempt_login(other, volunteer.email)
    other_session = _session_of(other)
    other_key = other.session.session_key

    response = mine.post(reverse("accounts:session_end", args=[other_session.pk]))

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=other_key).exists()
    assert not UserSession.objects.filter(pk=other_session.pk).exists()
    assert other.get(PROFILE_URL)["Location"].startswith(reverse("accounts:login"))
    assert mine.get(PROFILE_URL).status_code == 200


def test_ending_all_other_sessions_keeps_this_one(volunteer):
    clients = [Client() for _index in range(3)]
    for client in clients:
        attempt_login(client, volunteer.email)

    clients[0].post(reverse("accounts:sessions_end_others"))

    assert clients[0].get(PROFILE_URL).status_code == 200
    assert [client.get(PROFILE_URL).status_code for client in clients[1:]] == [302, 302]
    assert UserSession.objects.filter(user=volunteer).count() == 1


def test_user_cannot_end_someone_elses_session(volunteer):
    stranger = UserFactory()
    MembershipFactory(user=stranger, role=Role.VOLUNTEER)
    mine, theirs = Client(), Client()
    attempt_login(mine, volunteer.email)
    attempt_login(theirs, stranger.email)
    their_session = _session_of(theirs)

    response = mine.post(reverse("accounts:session_end", args=[their_session.pk]))

    assert response.status_code == 404
    assert UserSession.objects.filter(pk=their_session.pk).exists()
    assert theirs.get(PROFILE_URL).status_code == 200


def test_ending_the_current_session_logs_out(volunteer):
    client = Client()
    attempt_login(client, volunteer.email)

    client.post(reverse("accounts:session_end", args=[_session_of(client).pk]))

    assert not is_logged_in(client)


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX_ON_WINDOWS, "Firefox on Windows"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/18.1 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile "
            "Safari/537.36 EdgA/131.0 Edg/131.0",
            "Edge on Android",
        ),
        ("", "unknown browser"),
    ],
)
def test_browser_description_is_short(user_agent, expected):
    from django.utils import translation

    with translation.override("en"):
        assert describe_user_agent(user_agent) == expected
