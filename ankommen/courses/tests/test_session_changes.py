"""A removed (cancelled) session: everyone registered is mailed the changed dates, in their language."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.courses import services
from ankommen.courses.models import RegistrationStatus, Session
from ankommen.courses.tests.factories import CourseFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre, seats=1, title="DaZ im Fachunterricht")


def _sessions(course):
    return list(Session.objects.for_centre(course.centre).filter(course=course).order_by("date"))


def test_the_language_of_the_registration_is_kept_for_later_mails(course):
    with translation.override("en"):
        registration, _secret = services.registration_create(
            course=course,
            given_name="Sam",
            family_name="Teacher",
            email="sam@example.org",
            audience=course.audiences.first(),
            organisation="Gesamtschule",
        )
    assert registration.language == "en"
    other, _secret = services.registration_create(
        course=course,
        given_name="Ada",
        family_name="Lehrerin",
        email="ada@example.org",
        audience=course.audiences.first(),
        organisation="Gesamtschule",
        language="xx",
    )
    assert other.language == "de"  # not a language of the site


def test_removing_a_session_mails_confirmed_and_waiting_people_after_the_commit(
    staff_client, course, django_capture_on_commit_callbacks
):
    confirmed = RegistrationFactory(course=course, given_name="Sam", email="sam@example.org", language="en")
    waiting = RegistrationFactory(
        course=course, given_name="Ada", email="ada@example.org", status=RegistrationStatus.WAITING, language="de"
    )
    RegistrationFactory(course=course, email="gone@example.org", status=RegistrationStatus.CANCELLED)
    first, second = _sessions(course)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(reverse("courses:session_remove", args=[first.pk]), {"reason": "Raum belegt"})
    assert response.status_code == 302
    assert not mail.outbox  # nothing before the commit
    for callback in callbacks:
        callback()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {confirmed.email, waiting.email}
    english, german = by_address[confirmed.email], by_address[waiting.email]
    assert english.subject == "Changed dates: DaZ im Fachunterricht"
    assert "has been cancelled" in english.body
    assert "Raum belegt" in english.body
    assert first.date.strftime("%d.%m.%Y") in english.body
    assert second.date.strftime("%d.%m.%Y") in english.body
    assert german.subject == "Geänderte Termine: DaZ im Fachunterricht"
    assert "Warteliste" in german.body
    # The confirmed participant's calendar drops the removed session and keeps the other one.
    [(name, content, _mimetype)] = english.attachments
    text = content.decode() if isinstance(content, bytes) else content
    assert name == "fortbildung.ics"
    assert f"UID:course-{course.pk}-session-{first.pk}@ankommen" in text
    assert "STATUS:CANCELLED" in text
    assert text.count("BEGIN:VEVENT") == 2
    assert not german.attachments  # no calendar for a seat one does not have


def test_a_refused_removal_mails_nobody(staff, course, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(course=course)
    first, _second = _sessions(course)
    services.attendance_set(registration=registration, session=first, is_present=True, by=staff)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.session_remove(session=first, by=staff)
    assert not mail.outbox


def test_sessions_are_added_and_removed_through_the_api(client, centre, course, django_capture_on_commit_callbacks):
    RegistrationFactory(course=course)
    membership = MembershipFactory(user=UserFactory(), role=Role.CENTRE_STAFF, centre=centre)
    _token, secret = api_token_create(membership=membership, name="t", expires_in_days=1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    day = (_sessions(course)[-1].date + datetime.timedelta(days=7)).isoformat()
    added = client.post(
        f"/api/v1/courses/{course.pk}/sessions",
        {"date": day, "starts_at": "09:00", "ends_at": "12:00", "place": "KI"},
        content_type="application/json",
        **headers,
    )
    assert added.status_code == 201
    session_id = added.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(
            f"/api/v1/courses/sessions/{session_id}/remove",
            {"reason": "Krankheit"},
            content_type="application/json",
            **headers,
        )
    assert removed.status_code == 200
    assert removed.json() == {"informed": 1}
    assert len(mail.outbox) == 1
    assert not Session.objects.for_centre(centre).filter(pk=session_id).exists()
    other = MembershipFactory(user=UserFactory(), role=Role.CENTRE_STAFF, centre=CourseFactory().centre)
    _token, other_secret = api_token_create(membership=other, name="t", expires_in_days=1)
    first = _sessions(course)[0]
    refused = client.post(
        f"/api/v1/courses/sessions/{first.pk}/remove",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {other_secret}",
    )
    assert refused.status_code == 404
    assert Session.objects.for_centre(centre).filter(pk=first.pk).exists()
