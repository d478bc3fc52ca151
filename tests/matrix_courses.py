"""Permission matrix rows of the courses module (see tests/matrix_types.py)."""

from __future__ import annotations

import datetime
from typing import Any

from ankommen.accounts.tests.factories import UserFactory
from ankommen.courses import services
from ankommen.courses.models import Session
from ankommen.courses.tests.factories import CourseFactory
from tests.matrix_types import Access, ApiRoute, Route, World

P = Access.PUBLIC
C = Access.CENTRE


def _course(w: World) -> dict[str, Any]:
    return {"course_id": w.extra["course"].pk}


def _token(w: World) -> dict[str, Any]:
    return {"token": w.extra["course_secret"]}


def _course_post(w: World) -> dict[str, Any]:
    course = w.extra["course"]
    return {
        "title": "Geändert",
        "topic": str(course.topic_id),
        "audiences": [str(a.pk) for a in course.audiences.all()],
        "seats": "20",
        "credit_hours": "4",
        "is_published": "on",
    }


ROUTES: dict[str, Route] = {
    "courses:catalogue": Route(P),
    "courses:course_public": Route(P, kwargs=_course),
    "courses:registered": Route(P, kwargs=_course),
    # The participant's pages work only in a browser that opened the mailed link: asked before the link row below
    # (the matrix walks the rows in this order with one client), they find nothing.
    "courses:participation": Route(P, expect=lambda role, own: {404}),
    "courses:participation_cancel": Route(P, post=lambda w: {}, get_allowed=False),
    "courses:certificate": Route(P, expect=lambda role, own: {404}),
    "courses:feedback": Route(P, post=lambda w: {"overall": "5"}, get_allowed=False),
    # The mailed link: keeps the secret's digest in the session and redirects to the pages above.
    "courses:participation_link": Route(P, kwargs=_token),
    "courses:course_list": Route(C),
    "courses:course_create": Route(C, post=_course_post),
    "courses:course_detail": Route(C, kwargs=_course, names_centre_object=True),
    "courses:course_edit": Route(C, kwargs=_course, post=_course_post, names_centre_object=True),
    "courses:course_delete": Route(C, kwargs=_course, post=lambda w: {}, names_centre_object=True, get_allowed=False),
    "courses:session_create": Route(
        C,
        kwargs=_course,
        post=lambda w: {"date": "2027-03-01", "starts_at": "09:00", "ends_at": "12:00", "place": "KI"},
        names_centre_object=True,
    ),
    "courses:session_remove": Route(
        C, kwargs=lambda w: {"session_id": w.extra["course_session"].pk}, post=lambda w: {}, names_centre_object=True
    ),
    "courses:attendance_list": Route(C, kwargs=_course, names_centre_object=True),
    "courses:feedback_results": Route(C, kwargs=_course, names_centre_object=True),
    "courses:attendance_check": Route(
        C,
        kwargs=lambda w: {"session_id": w.extra["course_session"].pk},
        post=lambda w: {"registration": str(w.extra["course_registration"].pk), "present": "0"},
        names_centre_object=True,
    ),
    "courses:registration_cancel": Route(
        C,
        kwargs=lambda w: {"registration_id": w.extra["course_registration"].pk},
        post=lambda w: {},
        names_centre_object=True,
        get_allowed=False,
    ),
}

API_ROUTES: dict[tuple[str, str], ApiRoute] = {
    ("get", "/api/v1/courses/catalogue"): ApiRoute(P, lambda w: "/api/v1/courses/catalogue"),
    ("get", "/api/v1/courses/"): ApiRoute(C, lambda w: "/api/v1/courses/"),
    ("post", "/api/v1/courses/"): ApiRoute(
        C,
        lambda w: "/api/v1/courses/",
        body=lambda w: {
            "title": "DaZ kompakt",
            "topic": w.extra["course"].topic.key,
            "audiences": ["teachers"],
            "seats": 10,
            "credit_hours": "3.0",
        },
    ),
    ("get", "/api/v1/courses/{course_id}/registrations"): ApiRoute(
        C, lambda w: f"/api/v1/courses/{w.extra['course'].pk}/registrations", names_centre_object=True
    ),
    ("post", "/api/v1/courses/{course_id}/registrations"): ApiRoute(
        C,
        lambda w: f"/api/v1/courses/{w.extra['course'].pk}/registrations",
        body=lambda w: {
            "given_name": "Eva",
            "family_name": "Telefon",
            "email": "eva.telefon@example.org",
            "audience": "teachers",
            "organisation": "Grundschule Süd",
        },
        names_centre_object=True,
    ),
    ("post", "/api/v1/courses/{course_id}/sessions"): ApiRoute(
        C,
        lambda w: f"/api/v1/courses/{w.extra['course'].pk}/sessions",
        body=lambda w: {"date": "2027-03-01", "starts_at": "09:00", "ends_at": "12:00", "place": "KI"},
        names_centre_object=True,
    ),
    ("post", "/api/v1/courses/sessions/{session_id}/remove"): ApiRoute(
        C,
        lambda w: f"/api/v1/courses/sessions/{w.extra['course_spare_session'].pk}/remove",
        body=lambda w: {"reason": "Raum belegt"},
        names_centre_object=True,
    ),
}

TABLES = [
    "courses_course",
    "courses_session",
    "courses_registration",
    "courses_registrationevent",
    "courses_attendance",
    "courses_attendanceevent",
    "courses_feedback",
]


def extend_world(world: World) -> None:
    course = CourseFactory(centre=world.centre, seats=1)
    registration, secret = services.registration_create(
        course=course,
        # Not the world's family: the secret link shows the participant their own name to whoever holds it.
        given_name="Mira",
        family_name="Lehmann",
        email="mira.lehmann@example.org",
        audience=course.audiences.first(),
        organisation="Grundschule",
    )
    session = Session.objects.for_centre(world.centre).filter(course=course).first()
    services.attendance_set(registration=registration, session=session, is_present=True, by=UserFactory())
    spare = services.session_add(
        course=course,
        by=UserFactory(),
        date=session.date + datetime.timedelta(days=30),
        starts_at=datetime.time(14, 0),
        ends_at=datetime.time(16, 0),
        place="KI, Raum 2",
    )
    world.extra.update(
        course=course,
        course_secret=secret,
        course_registration=registration,
        course_session=session,
        course_spare_session=spare,
    )
