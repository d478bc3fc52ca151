import datetime

import pytest
from django.core.exceptions import ValidationError

from ankommen.people.tests.factories import PersonFactory
from ankommen.schooling.models import Intake, IntakeStatus
from ankommen.schooling.services import intake_create

pytestmark = pytest.mark.django_db


def test_intake_opens_as_registered_with_its_history(centre, staff):
    child = PersonFactory(centre=centre, birth_date=datetime.date(2016, 5, 1))
    intake = intake_create(centre=centre, by=staff, child=child, registered_on=datetime.date(2026, 11, 2))
    assert intake.status == IntakeStatus.REGISTERED
    assert intake.events.get().pgh_context.metadata["user"] == staff.pk


def test_a_child_has_only_one_open_intake_and_nothing_is_written_twice(centre, staff):
    child = PersonFactory(centre=centre)
    intake_create(centre=centre, by=staff, child=child, registered_on=datetime.date(2026, 11, 2))
    with pytest.raises(ValidationError):
        intake_create(centre=centre, by=staff, child=child, registered_on=datetime.date(2026, 11, 3))
    assert Intake.objects.for_centre(centre).count() == 1


def test_intake_for_another_centres_child_is_refused(centre, other_centre, staff):
    child = PersonFactory(centre=other_centre)
    with pytest.raises(ValidationError):
        intake_create(centre=centre, by=staff, child=child, registered_on=datetime.date(2026, 11, 2))
    assert not Intake.objects.dangerously_unscoped().exists()
