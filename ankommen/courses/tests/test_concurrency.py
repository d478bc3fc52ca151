"""Simultaneous registrations for the last seats: real transactions in parallel threads, each with its own
database connection, so that the row lock on the course (SELECT … FOR UPDATE) is what keeps the count right."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ankommen.core.row_level_security import centre_scope
from ankommen.courses.models import Registration, RegistrationStatus
from ankommen.courses.tests.factories import CourseFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

SEATS = 3
PEOPLE = 12


def _in_parallel(work, count):
    barrier = threading.Barrier(count)
    errors = []

    def run(index):
        try:
            barrier.wait(timeout=30)
            work(index)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def test_simultaneous_registrations_never_overbook_a_course():
    course = CourseFactory(seats=SEATS)
    audience = course.audiences.first()
    statuses = []

    def register(index):
        response = Client().post(
            reverse("courses:course_public", args=[course.pk]),
            {
                "given_name": "Teilnehmerin",
                "family_name": f"Nummer {index}",
                "email": f"person{index}@example.org",
                "audience": str(audience.pk),
                "organisation": "Realschule Süd",
            },
        )
        statuses.append(response.status_code)

    _in_parallel(register, PEOPLE)

    assert statuses == [302] * PEOPLE
    counts = {
        status: Registration.objects.for_centre(course.centre).filter(course=course, status=status).count()
        for status in RegistrationStatus
    }
    assert counts[RegistrationStatus.CONFIRMED] == SEATS
    assert counts[RegistrationStatus.WAITING] == PEOPLE - SEATS


def test_simultaneous_cancellations_move_up_each_waiting_person_once():
    course = CourseFactory(seats=SEATS)
    confirmed = [RegistrationFactory(course=course) for _ in range(SEATS)]
    waiting = [RegistrationFactory(course=course, status=RegistrationStatus.WAITING) for _ in range(SEATS + 2)]
    from ankommen.courses import services

    def cancel(index):
        # In the course's centre, as the participant's page does (row-level security, docs/rls.md).
        with centre_scope(course.centre_id):
            services.registration_cancel(registration=confirmed[index])

    _in_parallel(cancel, SEATS)

    active = Registration.objects.for_centre(course.centre).filter(course=course)
    assert active.filter(status=RegistrationStatus.CONFIRMED).count() == SEATS
    # First come, first served: the three who waited longest have the seats, the other two still wait.
    assert set(active.filter(status=RegistrationStatus.CONFIRMED).values_list("pk", flat=True)) == {
        registration.pk for registration in waiting[:SEATS]
    }
    assert active.filter(status=RegistrationStatus.WAITING).count() == 2
