import pytest

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.core.models import AccessLogEntry
from ankommen.courses.models import Registration, RegistrationStatus
from ankommen.courses.tests.factories import CourseFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _headers(centre, role=Role.CENTRE_STAFF):
    membership = MembershipFactory(user=UserFactory(), role=role, centre=centre)
    _token, secret = api_token_create(membership=membership, name="t", expires_in_days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_public_catalogue_lists_courses_without_people(client):
    course = CourseFactory(seats=2)
    RegistrationFactory(course=course, family_name="Geheimname")
    response = client.get("/api/v1/courses/catalogue")
    assert response.status_code == 200
    [item] = response.json()
    assert item["title"] == course.title
    assert item["free_seats"] == 1
    assert len(item["sessions"]) == 2
    assert "Geheimname" not in response.content.decode()


def test_staff_register_by_api_and_a_full_course_answers_waiting(client, centre):
    course = CourseFactory(centre=centre, seats=1)
    RegistrationFactory(course=course)
    headers = _headers(centre)
    body = {
        "given_name": "Eva",
        "family_name": "Telefon",
        "email": "eva@example.org",
        "audience": "teachers",
        "organisation": "Grundschule",
    }
    response = client.post(
        f"/api/v1/courses/{course.pk}/registrations", body, content_type="application/json", **headers
    )
    assert response.status_code == 201
    assert response.json()["status"] == RegistrationStatus.WAITING
    response = client.post(
        f"/api/v1/courses/{course.pk}/registrations", body, content_type="application/json", **headers
    )
    assert response.status_code in {400, 422}
    assert "detail" in response.json()
    assert Registration.objects.for_centre(centre).count() == 2
    listed = client.get(f"/api/v1/courses/{course.pk}/registrations", **headers)
    assert [r["family_name"] for r in listed.json()][-1] == "Telefon"
    assert AccessLogEntry.objects.filter(record_type="courses.registration", action="api").count() == 2


def test_another_centre_gets_404_for_the_participants(client, centre, other_centre):
    course = CourseFactory(centre=centre)
    RegistrationFactory(course=course)
    response = client.get(f"/api/v1/courses/{course.pk}/registrations", **_headers(other_centre))
    assert response.status_code == 404
