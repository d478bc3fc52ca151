# mypy: disable-error-code="return-value"

"""Small, real placement instances: schools a few kilometres apart, seats, assessed children with postcodes."""

from __future__ import annotations

from typing import Any

from ankommen.people.tests.factories import FamilyFactory, PersonFactory, PostcodeFactory
from ankommen.regions.models import Centre, School, SchoolForm
from ankommen.regions.tests.factories import MunicipalityFactory, SchoolFactory
from ankommen.schooling.models import Intake, IntakeStatus, Placement, PlacementRun, PlacementStatus
from ankommen.schooling.tests.factories import AssessmentFactory, IntakeFactory, SeatOfferFactory

TERM = "2026/27-1"
# Cologne city centre and a point about 3 km to its south-west.
HOME = ("50667", 50.9385, 6.9561)
FAR_HOME = ("50937", 50.9230, 6.9180)


def school_in(centre: Centre, *, latitude: float, longitude: float, form: str = SchoolForm.GESAMTSCHULE) -> School:
    municipality = MunicipalityFactory(centre=centre)
    return SchoolFactory(municipality=municipality, latitude=latitude, longitude=longitude, form=form)


def seats_at(school: School, *, grade: int = 5, seats: int = 2, term: str = TERM) -> None:
    SeatOfferFactory(school=school, grade=grade, seats=seats, term=term)


def waiting_child(
    centre: Centre, *, grade: int = 5, postcode: tuple[str, float, float] = HOME, family: Any = None, **person: Any
) -> Intake:
    code, latitude, longitude = postcode
    if code:
        PostcodeFactory(code=code, latitude=latitude, longitude=longitude)
    family = family or FamilyFactory(centre=centre)
    child = PersonFactory(centre=centre, family=family, postcode=code, **person)
    intake = IntakeFactory(child=child, status=IntakeStatus.ASSESSED)
    AssessmentFactory(intake=intake, recommended_grade=grade)
    return intake


def released_placement(centre: Centre, school: School, staff: Any, *, grade: int = 5) -> Placement:
    intake = waiting_child(centre, grade=grade)
    intake.status = IntakeStatus.PROPOSED
    intake.save()
    run = PlacementRun.objects.create(centre=centre, started_by=staff, term=TERM, status="released")
    return Placement.objects.create(
        centre=centre, run=run, intake=intake, school=school, grade=grade, status=PlacementStatus.RELEASED
    )
