import pytest

from ankommen.accounts.tests.factories import UserFactory
from ankommen.courses.demo import seed_demo
from ankommen.courses.models import Course, Registration, RegistrationStatus
from ankommen.courses.tests.factories import AudienceFactory, TopicFactory
from ankommen.people.demo.users import demo_email
from ankommen.regions.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def test_demo_courses_are_seeded_once_with_a_full_course():
    centre = CentreFactory(slug="koeln")
    UserFactory(email=demo_email("staff1", centre))
    for key in (
        "german-as-a-second-language",
        "trauma-sensitive-teaching",
        "working-with-interpreters",
        "volunteer-basics",
        "anti-discrimination",
    ):
        TopicFactory(key=key)
    for key in ("teachers", "pedagogical-staff", "volunteers", "administration"):
        AudienceFactory(key=key)
    line = seed_demo(centres=[centre], seed=1, size="small", log=print)
    assert "5 courses" in line
    assert seed_demo(centres=[centre], seed=1, size="small", log=print).startswith("Courses: 0")
    assert Course.objects.for_centre(centre).count() == 5
    assert Registration.objects.for_centre(centre).filter(status=RegistrationStatus.WAITING).count() == 2
