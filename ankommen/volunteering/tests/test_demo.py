# mypy: disable-error-code="attr-defined, arg-type"
from __future__ import annotations

import datetime

import pytest

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.people.demo.users import demo_email
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.tests.factories import CentreFactory
from ankommen.volunteering.demo import seed_demo
from ankommen.volunteering.models import Assignment, SupportRequest, Volunteer, VolunteerStatus
from ankommen.volunteering.tests.factories import postcode_of

pytestmark = pytest.mark.django_db


def test_demo_data_is_deterministic_and_gives_the_demo_volunteer_a_verified_profile():
    centre = CentreFactory(slug="koeln")
    postcode_of(centre)
    postcode_of(centre, code="50733", latitude=50.97, longitude=6.95)
    staff = UserFactory(email=demo_email("staff1", centre))
    MembershipFactory(user=staff, role=Role.CENTRE_STAFF, centre=centre)
    volunteer_login = UserFactory(email=demo_email("volunteer", centre))
    MembershipFactory(user=volunteer_login, role=Role.VOLUNTEER, centre=centre)
    for number in range(20):
        PersonFactory(centre=centre, languages=["uk"], birth_date=datetime.date(2012 + number % 10, 1, 1))
    summary = seed_demo(centres=[centre], seed=7, size="small", log=lambda line: None)
    assert summary.startswith("volunteering: 40 volunteers, 15 support requests")
    own = Volunteer.objects.for_centre(centre).get(user=volunteer_login)
    assert own.status == VolunteerStatus.VERIFIED
    assert own.clearance_valid_until is not None
    assert SupportRequest.objects.for_centre(centre).count() == 15
    assert Assignment.objects.for_centre(centre).exists()
    # A second run changes nothing.
    seed_demo(centres=[centre], seed=7, size="small", log=lambda line: None)
    assert SupportRequest.objects.for_centre(centre).count() == 15
