"""The school placement's demo data: seats and waiting children in the demo centres, ready for a placement run."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ankommen.people.models import Person
from ankommen.regions.models import Postcode, SchoolForm
from ankommen.regions.tests.factories import CentreFactory, MunicipalityFactory, SchoolFactory
from ankommen.schooling.demo import CHILDREN_PER_CENTRE, school_age_birth_dates
from ankommen.schooling.models import Assessment, Intake, IntakeStatus, SeatOffer
from ankommen.schooling.selectors import term_of


@pytest.fixture
def koeln(db):
    centre = CentreFactory(slug="koeln", name="Kommunales Integrationszentrum Köln")
    municipality = MunicipalityFactory(centre=centre, name="Köln, Stadt", postcode="50667")
    Postcode.objects.create(code="50667", places="Köln", region=centre.region, latitude=50.94, longitude=6.95)
    for form in (SchoolForm.PRIMARY, SchoolForm.GESAMTSCHULE, SchoolForm.GYMNASIUM):
        SchoolFactory(municipality=municipality, form=form)
    return centre


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, per_centre=40)
    return out.getvalue()


def test_demo_gives_the_demo_centre_seats_and_waiting_children(koeln):
    output = _seed()
    today = timezone.localdate()
    offers = SeatOffer.objects.for_centre(koeln)
    assert offers.exists()
    assert set(offers.values_list("term", flat=True)) == {term_of(today)}
    intakes = Intake.objects.for_centre(koeln)
    oldest, youngest = school_age_birth_dates(today)
    school_age = Person.objects.for_centre(koeln).filter(birth_date__gt=oldest, birth_date__lt=youngest).count()
    assert intakes.count() == min(school_age, CHILDREN_PER_CENTRE) > 0
    assessed = Assessment.objects.for_centre(koeln)
    assert assessed.exists()
    assert set(intakes.filter(assessment__isnull=False).values_list("status", flat=True)) == {IntakeStatus.ASSESSED}
    for assessment in assessed:
        assert assessment.acceptable_school_forms
    assert "School placement:" in output


def test_a_second_seed_adds_no_school_data(koeln):
    _seed()
    counts = (SeatOffer.objects.for_centre(koeln).count(), Intake.objects.for_centre(koeln).count())
    call_command("seed_demo", stdout=StringIO(), per_centre=40, if_empty=True)
    assert (SeatOffer.objects.for_centre(koeln).count(), Intake.objects.for_centre(koeln).count()) == counts
