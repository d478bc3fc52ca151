"""The courses and network demos on the real reference data (not on factories), as `make run` seeds them."""

import pytest
from django.core.management import call_command

from ankommen.courses.models import Course
from ankommen.network.models import Cooperation, Meeting, Organisation, Referral
from ankommen.regions.models import Centre

pytestmark = pytest.mark.django_db


def test_seed_demo_on_the_reference_data_makes_courses_and_network():
    call_command("load_reference_data")
    call_command("seed_demo", per_centre=40, centres="koeln")
    centre = Centre.objects.get(slug="koeln")
    assert Course.objects.for_centre(centre).count() >= 3
    assert Organisation.objects.for_centre(centre).count() == 8
    assert Cooperation.objects.for_centre(centre).count() == 6
    assert Meeting.objects.for_centre(centre).exists()
    assert Referral.objects.for_centre(centre).exists()
