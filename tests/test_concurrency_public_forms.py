"""The public forms (no login) create once when a browser sends them twice (docs/concurrency.md).

Their key is kept bound to the browser's CSRF cookie: the same key from another browser is that browser's own
submit, never a view of the first one's answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ankommen.core.concurrency import KEY_FIELD
from ankommen.core.tests.test_row_level_security_entry_points import (
    course_registration_entries,
    preregistration_entries,
    volunteer_signup_entries,
)
from ankommen.courses.models import Registration
from ankommen.courses.tests.factories import CourseFactory
from ankommen.people.tests.factories import PostcodeFactory
from ankommen.regions.models import Postcode
from ankommen.schooling.models import PreRegistration
from ankommen.volunteering.models import Volunteer
from ankommen.work.models import Employer
from ankommen.work.tests.test_employers import _signup as employer_entries

pytestmark = pytest.mark.django_db

# Per form: the page, valid entries, how many rows it has created, and what another browser sending the same
# entries with the same key gets: a second family's pre-registration, or the answer to a taken address.
Case = tuple[str, dict[str, Any], Callable[[], int], tuple[int, int]]


def _preregistration(centre) -> Case:
    PostcodeFactory(code="50667", places="Köln", region=centre.region)
    return "/schule/anmeldung/", preregistration_entries(), PreRegistration.objects.for_centre(centre).count, (302, 2)


def _volunteer(centre) -> Case:
    Postcode.objects.create(code="50667", places="Köln", region=centre.region, latitude=50.94, longitude=6.95)
    return (
        reverse("volunteering:signup"),
        volunteer_signup_entries(),
        Volunteer.objects.for_centre(centre).count,
        (400, 1),
    )


def _employer(centre) -> Case:
    Postcode.objects.create(code="50667", places="Köln", region=centre.region, latitude=50.94, longitude=6.96)
    return (
        reverse("work:employer_signup"),
        employer_entries(centre),
        Employer.objects.for_centre(centre).count,
        (302, 2),
    )


def _course(centre) -> Case:
    course = CourseFactory(seats=5, centre=centre)
    count = Registration.objects.for_centre(centre).count
    return reverse("courses:course_public", args=[course.pk]), course_registration_entries(course), count, (400, 1)


FORMS = {"pre-registration": _preregistration, "volunteer": _volunteer, "employer": _employer, "course": _course}


def _key_of(page) -> str:
    match = re.search(rf'name="{KEY_FIELD}" value="([0-9a-f]+)"', page.content.decode())
    assert match, "the form carries no key"
    return match.group(1)


@pytest.mark.parametrize("kind", FORMS)
def test_a_public_form_sent_twice_creates_once_and_another_browser_never_sees_the_first_answer(
    kind, centre, django_capture_on_commit_callbacks
):
    url, entries, created, other_browser_gets = FORMS[kind](centre)
    browser = Client()
    key = _key_of(browser.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        first = browser.post(url, {**entries, KEY_FIELD: key})
        second = browser.post(url, {**entries, KEY_FIELD: key})

    assert first.status_code == 302, first.content.decode()[:2000]
    assert (second.status_code, second["Location"]) == (302, first["Location"])
    assert created() == 1

    other = Client()
    other.get(url)  # its own CSRF cookie
    with django_capture_on_commit_callbacks(execute=True):
        third = other.post(url, {**entries, KEY_FIELD: key})
    # Its own submit, created again or refused: never the first browser's answer.
    assert (third.status_code, created()) == other_browser_gets
