import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ankommen.courses import services
from ankommen.courses.models import Course, Registration, RegistrationStatus, Session
from ankommen.courses.tests.factories import AudienceFactory, CourseFactory, RegistrationFactory
from ankommen.regions.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/fortbildungen/teilnahme/([A-Za-z0-9_-]+)/")


def _register(client, course, *, email, **extra):
    data = {
        "given_name": "Lena",
        "family_name": "Schulz",
        "email": email,
        "audience": str(course.audiences.first().pk),
        "organisation": "Gesamtschule Nord",
        **extra,
    }
    return client.post(reverse("courses:course_public", args=[course.pk]), data)


def _secret_from_last_mail() -> str:
    match = LINK.search(str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_registration_confirms_a_seat_and_mails_an_icalendar_file(client, django_capture_on_commit_callbacks):
    course = CourseFactory(seats=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, course, email="Lena.Schulz@Example.org")
    assert response.status_code == 302
    registration = Registration.objects.for_centre(course.centre).get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.email == "lena.schulz@example.org"
    message = mail.outbox[-1]
    assert message.to == ["lena.schulz@example.org"]
    assert "bestätigt" in message.body or "confirmed" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "fortbildung.ics"
    assert mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert text.count("BEGIN:VEVENT") == 2
    assert "\r\n" in text
    assert f"SUMMARY:{course.title}" in text
    # Only the digest of the secret is stored; the link from the mail opens the registration.
    secret = _secret_from_last_mail()
    assert secret not in registration.token_digest
    opened = client.get(reverse("courses:participation_link", args=[secret]))
    # The link only keeps the secret's digest in the session and redirects to a URL without it.
    assert opened.status_code == 302
    assert opened["Location"] == reverse("courses:participation")
    assert opened["Referrer-Policy"] == "no-referrer"
    assert secret not in str(dict(client.session.items()))
    page = client.get(opened["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "Lena Schulz" in content
    assert secret not in content  # no form, link or download on the page carries the secret


def test_a_full_course_puts_the_next_person_on_the_waiting_list(client, django_capture_on_commit_callbacks):
    course = CourseFactory(seats=1)
    RegistrationFactory(course=course)
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, course, email="second@example.org")
    registration = Registration.objects.for_centre(course.centre).get(email="second@example.org")
    assert registration.status == RegistrationStatus.WAITING
    assert not mail.outbox[-1].attachments  # no calendar entry for a seat one does not have
    assert "Warteliste" in mail.outbox[-1].body or "waiting list" in mail.outbox[-1].body


def test_cancelling_through_the_link_moves_the_first_waiting_person_up_and_mails_them(
    client, django_capture_on_commit_callbacks
):
    course = CourseFactory(seats=1)
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, course, email="first@example.org")
    first_secret = _secret_from_last_mail()
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, course, email="second@example.org")
        _register(client, course, email="third@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("courses:participation_link", args=[first_secret]))
        response = client.post(reverse("courses:participation_cancel"))
    assert response.status_code == 302
    statuses = dict(Registration.objects.for_centre(course.centre).values_list("email", "status"))
    assert statuses == {
        "first@example.org": RegistrationStatus.CANCELLED,
        "second@example.org": RegistrationStatus.CONFIRMED,
        "third@example.org": RegistrationStatus.WAITING,
    }
    moved_up_mail = mail.outbox[-1]
    assert moved_up_mail.to == ["second@example.org"]
    assert moved_up_mail.attachments[0][0] == "fortbildung.ics"
    # The mail brings a working link to the new seat.
    secret = _secret_from_last_mail()
    page = client.get(reverse("courses:participation_link", args=[secret]), follow=True)
    assert "bestätigt" in page.content.decode() or "confirmed" in page.content.decode()


def test_cancelling_twice_changes_nothing_more(client):
    course = CourseFactory(seats=1)
    registration, _secret = services.registration_create(
        course=course,
        given_name="A",
        family_name="B",
        email="a@example.org",
        audience=course.audiences.first(),
        organisation="Schule",
    )
    services.registration_cancel(registration=registration)
    assert services.registration_cancel(registration=registration) == []


def test_the_same_address_cannot_register_twice_for_a_course(client):
    course = CourseFactory()
    _register(client, course, email="twice@example.org")
    response = _register(client, course, email="twice@example.org")
    assert response.status_code == 400
    assert Registration.objects.for_centre(course.centre).count() == 1


def test_registration_needs_a_school_or_a_workplace_and_a_known_school_number(client):
    course = CourseFactory()
    response = _register(client, course, email="x@example.org", organisation="")
    assert response.status_code == 400
    response = _register(client, course, email="x@example.org", organisation="", school_number="999999")
    assert response.status_code == 400
    assert "Schulnummer" in response.content.decode() or "school with this number" in response.content.decode()
    assert not Registration.objects.for_centre(course.centre).exists()
    school = SchoolFactory()
    response = _register(client, course, email="x@example.org", organisation="", school_number=school.number)
    assert response.status_code == 302
    assert Registration.objects.for_centre(course.centre).get().school == school


def test_registration_for_an_audience_the_course_is_not_for_is_refused(client):
    course = CourseFactory()
    other = AudienceFactory(key="volunteers", name_de="Ehrenamtliche", name_en="Volunteers")
    response = _register(client, course, email="v@example.org", audience=str(other.pk))
    assert response.status_code == 400
    assert not Registration.objects.for_centre(course.centre).exists()


def test_registration_after_the_course_has_started_is_closed():
    course = CourseFactory(with_sessions=0)
    Session.objects.create(
        centre=course.centre,
        course=course,
        date=timezone.localdate() - datetime.timedelta(days=1),
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
        place="KI",
    )
    with pytest.raises(ValidationError):
        services.registration_create(
            course=course,
            given_name="A",
            family_name="B",
            email="a@example.org",
            audience=course.audiences.first(),
            organisation="Schule",
        )


def test_a_filled_honeypot_stores_nothing(client):
    course = CourseFactory()
    response = _register(client, course, email="bot@example.org", website="http://spam.example")
    assert response.status_code == 302
    assert not Registration.objects.for_centre(course.centre).exists()


def test_a_course_with_registered_people_cannot_be_deleted(login, make_member):
    from ankommen.accounts.models import Role

    course = CourseFactory()
    registration = RegistrationFactory(course=course, status=RegistrationStatus.WAITING)
    client = login(make_member(Role.CENTRE_STAFF, centre=course.centre))
    response = client.post(reverse("courses:course_delete", args=[course.pk]), follow=True)
    assert "Cancel their registrations" in response.content.decode() or "Abmeldungen" in response.content.decode()
    assert Course.objects.for_centre(course.centre).filter(pk=course.pk).exists()
    services.registration_cancel(registration=registration)
    client.post(reverse("courses:course_delete", args=[course.pk]))
    assert not Course.objects.for_centre(course.centre).filter(pk=course.pk).exists()
    assert not Registration.objects.for_centre(course.centre).exists()


def test_more_seats_move_waiting_people_up_and_fewer_than_confirmed_are_refused(staff):
    course = CourseFactory(seats=1, centre=staff.memberships.first().centre)
    RegistrationFactory(course=course)
    waiting = RegistrationFactory(course=course, status=RegistrationStatus.WAITING)
    audiences = list(course.audiences.all())
    services.course_update(course=course, by=staff, topic=course.topic, audiences=audiences, seats=2)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    with pytest.raises(ValidationError) as error:
        services.course_update(course=course, by=staff, topic=course.topic, audiences=audiences, seats=1)
    assert "seats" in error.value.message_dict
    course.refresh_from_db()
    assert course.seats == 2


def test_an_unknown_link_answers_404_and_remembers_nothing(client):
    assert client.get(reverse("courses:participation_link", args=["not-a-secret"])).status_code == 404
    assert "courses_participation_digest" not in client.session
    assert client.get(reverse("courses:participation")).status_code == 404
    assert client.post(reverse("courses:participation_cancel")).status_code == 404
    assert client.get(reverse("courses:certificate")).status_code == 404
    assert client.post(reverse("courses:feedback"), {"overall": "5"}).status_code == 404


def test_the_mailed_link_stays_valid_and_another_browser_needs_it(client):
    course = CourseFactory(seats=2)
    registration, secret = services.registration_create(
        course=course,
        given_name="Jana",
        family_name="Berg",
        email="jana.berg@example.org",
        audience=course.audiences.first(),
        organisation="Realschule Ost",
    )
    link = reverse("courses:participation_link", args=[secret])
    assert client.get(link).status_code == 302
    assert client.get(link, follow=True).status_code == 200  # a later visit with the same link
    # Another browser without the link sees nothing and cannot cancel.
    from django.test import Client

    stranger = Client()
    assert stranger.get(reverse("courses:participation")).status_code == 404
    assert stranger.post(reverse("courses:participation_cancel")).status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    # The holder cancels from the session, without the secret in the URL.
    response = client.post(reverse("courses:participation_cancel"))
    assert response["Location"] == reverse("courses:participation")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
