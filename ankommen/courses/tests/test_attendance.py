import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.models import AccessLogEntry
from ankommen.courses import services
from ankommen.courses.models import Attendance, Feedback, Registration, RegistrationStatus, Session
from ankommen.courses.tests.factories import CourseFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(centre):
    return CourseFactory(centre=centre, credit_hours=Decimal("6.0"))


def _secret_registration(course, **fields):
    registration, secret = services.registration_create(
        course=course,
        given_name="Mira",
        family_name="Özdemir",
        email="mira@example.org",
        audience=course.audiences.first(),
        organisation="Hauptschule West",
        **fields,
    )
    return registration, secret


def test_staff_check_off_attendance_and_the_participant_downloads_a_certificate_with_hours(staff_client, course):
    registration, secret = _secret_registration(course)
    first, second = Session.objects.for_centre(course.centre).filter(course=course)
    page = staff_client.get(reverse("courses:attendance_check", args=[first.pk]))
    assert "Özdemir, Mira" in page.content.decode()
    assert AccessLogEntry.objects.filter(record_type="courses.registration", record_id=str(registration.pk)).exists()
    response = staff_client.post(
        reverse("courses:attendance_check", args=[first.pk]), {"registration": registration.pk, "present": "1"}
    )
    assert response.status_code == 302
    assert Attendance.objects.for_centre(course.centre).get(registration=registration, session=first).is_present

    from django.test import Client

    participant = Client()
    participant.get(reverse("courses:participation_link", args=[secret]))
    response = participant.get(reverse("courses:certificate"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # One of two sessions: half the credit hours.
    from ankommen.courses.selectors import certificate_for

    certificate = certificate_for(registration=registration)
    assert certificate is not None
    assert certificate.hours == Decimal("3.0")
    staff_client.post(
        reverse("courses:attendance_check", args=[second.pk]), {"registration": registration.pk, "present": "1"}
    )
    assert certificate_for(registration=registration).hours == Decimal("6.0")


def test_no_certificate_without_attendance(client, course):
    _registration, secret = _secret_registration(course)
    client.get(reverse("courses:participation_link", args=[secret]))
    assert client.get(reverse("courses:certificate")).status_code == 404


def test_attendance_list_pdf_for_the_organising_centre(staff_client, course):
    RegistrationFactory(course=course)
    response = staff_client.get(reverse("courses:attendance_list", args=[course.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_waiting_people_cannot_be_checked_off(staff_client, course):
    waiting = RegistrationFactory(course=course, status=RegistrationStatus.WAITING)
    session = Session.objects.for_centre(course.centre).filter(course=course).first()
    staff_client.post(
        reverse("courses:attendance_check", args=[session.pk]), {"registration": waiting.pk, "present": "1"}
    )
    assert not Attendance.objects.for_centre(course.centre).exists()


def test_another_centre_sees_neither_the_participants_nor_can_check_them_off(login, make_member, course, other_centre):
    registration = RegistrationFactory(course=course, family_name="Geheimname")
    session = Session.objects.for_centre(course.centre).filter(course=course).first()
    outsider = login(make_member(Role.CENTRE_LEAD, centre=other_centre))
    for name, args in [
        ("courses:course_detail", [course.pk]),
        ("courses:attendance_check", [session.pk]),
        ("courses:attendance_list", [course.pk]),
        ("courses:feedback_results", [course.pk]),
    ]:
        assert outsider.get(reverse(name, args=args)).status_code == 404, name
    response = outsider.post(
        reverse("courses:attendance_check", args=[session.pk]), {"registration": registration.pk, "present": "1"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.for_centre(course.centre).exists()
    response = outsider.post(reverse("courses:registration_cancel", args=[registration.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_public_catalogue_shows_no_participant(client, course):
    RegistrationFactory(course=course, family_name="Geheimname")
    for url in [reverse("courses:catalogue"), reverse("courses:course_public", args=[course.pk])]:
        content = client.get(url).content.decode()
        assert course.title in content
        assert "Geheimname" not in content


def test_feedback_after_the_course_is_anonymous_once_and_aggregated(client, staff_client, course, staff):
    registration, secret = _secret_registration(course)
    sessions = list(Session.objects.for_centre(course.centre).filter(course=course))
    for session in sessions:
        services.attendance_set(registration=registration, session=session, is_present=True, by=staff)
    answer = {"overall": "5", "usefulness": "4", "organisation_rating": "3", "comment": "Mehr Praxisbeispiele"}
    client.get(reverse("courses:participation_link", args=[secret]))
    response = client.post(reverse("courses:feedback"), answer)
    assert response.status_code == 400  # the course has not ended yet
    assert not Feedback.objects.for_centre(course.centre).exists()
    past = timezone.localdate() - datetime.timedelta(days=1)
    Session.objects.for_centre(course.centre).filter(course=course).update(date=past)
    assert client.post(reverse("courses:feedback"), answer).status_code == 302
    assert client.post(reverse("courses:feedback"), answer).status_code == 400
    feedback = Feedback.objects.for_centre(course.centre).get()
    assert not hasattr(feedback, "registration_id")
    assert Registration.objects.for_centre(course.centre).get().feedback_given
    content = staff_client.get(reverse("courses:feedback_results", args=[course.pk])).content.decode()
    assert "Mehr Praxisbeispiele" in content
    assert "5.0" in content or "5,0" in content


def test_staff_remove_a_session_after_confirming(staff_client, course):
    first, second = Session.objects.for_centre(course.centre).filter(course=course).order_by("date")
    url = reverse("courses:session_remove", args=[first.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    assert Session.objects.for_centre(course.centre).filter(pk=first.pk).exists()  # the GET only asks
    response = staff_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:course_detail", args=[course.pk])
    assert list(Session.objects.for_centre(course.centre).filter(course=course)) == [second]


def test_a_session_with_recorded_attendance_is_not_removed(staff_client, course, staff):
    registration, _secret = _secret_registration(course)
    session = Session.objects.for_centre(course.centre).filter(course=course).first()
    services.attendance_set(registration=registration, session=session, is_present=True, by=staff)
    response = staff_client.post(reverse("courses:session_remove", args=[session.pk]), follow=True)
    assert response.status_code == 200
    assert "cannot be removed" in response.content.decode() or "nicht entfernt" in response.content.decode()
    assert Session.objects.for_centre(course.centre).filter(pk=session.pk).exists()


def test_another_centre_cannot_remove_a_session(login, make_member, other_centre, course):
    client = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    session = Session.objects.for_centre(course.centre).filter(course=course).first()
    assert client.post(reverse("courses:session_remove", args=[session.pk])).status_code == 404
    assert Session.objects.for_centre(course.centre).filter(pk=session.pk).exists()
