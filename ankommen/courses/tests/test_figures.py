import datetime

import pytest
from django.utils import timezone

from ankommen.courses import services
from ankommen.courses.figures import Period, centre_course_figures, state_course_figures
from ankommen.courses.models import Feedback, RegistrationStatus, Session
from ankommen.courses.tests.factories import AudienceFactory, CourseFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _attended(course, count, staff, audience=None):
    session = Session.objects.for_centre(course.centre).filter(course=course).first()
    for _ in range(count):
        registration = RegistrationFactory(course=course, **({"audience": audience} if audience else {}))
        services.attendance_set(registration=registration, session=session, is_present=True, by=staff)


@pytest.fixture
def period():
    today = timezone.localdate()
    return Period(start=today, end=today + datetime.timedelta(days=90))


def test_centre_figures_count_participants_by_audience_and_satisfaction(centre, other_centre, staff, period):
    volunteers = AudienceFactory(key="volunteers", name_de="Ehrenamtliche", name_en="Volunteers")
    course = CourseFactory(centre=centre, audiences=[AudienceFactory(), volunteers])
    _attended(course, 3, staff)
    _attended(course, 2, staff, audience=volunteers)
    RegistrationFactory(course=course, status=RegistrationStatus.WAITING)
    _attended(CourseFactory(centre=other_centre), 4, staff)
    Feedback.objects.create(centre=centre, course=course, overall=5, usefulness=4, organisation_rating=4)
    Feedback.objects.create(centre=centre, course=course, overall=4, usefulness=4, organisation_rating=4)
    figures = centre_course_figures(centre=centre, period=period)
    assert figures.courses == 1
    assert figures.attended == 5
    assert figures.waiting == 1
    assert figures.attended_by_audience == {"teachers": 3, "volunteers": 2}
    assert figures.satisfaction == pytest.approx(4.5)


def test_state_figures_suppress_small_numbers_of_participants(centre, other_centre, staff, period):
    _attended(CourseFactory(centre=centre), 3, staff)
    _attended(CourseFactory(centre=other_centre), 12, staff)
    Feedback.objects.create(
        centre=centre, course=CourseFactory(centre=centre), overall=1, usefulness=1, organisation_rating=1
    )
    figures = state_course_figures(period=period)
    rows = {row.centre_name: row for row in figures.rows}
    assert rows[centre.name].participants.shown is None  # 3 is a small number
    assert rows[other_centre.name].participants.shown is None  # else 15 - 12 would give the 3 back
    assert figures.participants.shown == 15
    assert figures.satisfaction is None  # one answer is not published
    assert rows[centre.name].courses == 2
