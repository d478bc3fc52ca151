# mypy: disable-error-code="assignment, misc"
from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.people.models import Consent, LegalBasis, Person, Purpose
from ankommen.people.tests.factories import PersonFactory, PostcodeFactory
from ankommen.regions.models import Centre, Postcode
from ankommen.volunteering import services
from ankommen.volunteering.models import Volunteer, VolunteerStatus


def postcode_of(centre: Centre, code: str = "50667", latitude: float = 50.94, longitude: float = 6.95) -> Postcode:
    postcode: Postcode = PostcodeFactory(
        code=code, places="Köln", region=centre.region, latitude=latitude, longitude=longitude
    )
    return postcode


def volunteer_in(centre: Centre, **fields: Any) -> Volunteer:
    user = UserFactory()
    MembershipFactory(user=user, role=Role.VOLUNTEER, centre=centre)
    values: dict[str, Any] = {
        "status": VolunteerStatus.VERIFIED,
        "postcode": "50667",
        "latitude": 50.94,
        "longitude": 6.95,
        "radius_km": 10,
        "max_parallel": 2,
        "languages": {"uk": "native", "de": "native"},
        "activities": ["homework_help"],
        "availability": 0b111,
        "consent_given_at": timezone.now(),
    }
    values.update(fields)
    volunteer: Volunteer = Volunteer.objects.create(centre=centre, user=user, **values)
    return volunteer


def person_with_consent(centre: Centre, by: Any) -> Person:
    person: Person = PersonFactory(centre=centre, given_names="Olena", family_name="Kovalenko", phone="+49 221 1234")
    Consent.objects.create(
        centre=centre,
        person=person,
        purpose=Purpose.VOLUNTEER_SUPPORT,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2026, 1, 2),
        recorded_by=by,
    )
    return person


def open_request(centre: Centre, by: Any, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "activity": "homework_help",
        "postcode": "50667",
        "expected_duration": "weeks",
        "languages": ["uk"],
        "availability": 0b1,
    }
    values.update(fields)
    if "person" not in values and "partner_organisation" not in values:
        values["person"] = person_with_consent(centre, by)
    return services.support_request_create(centre=centre, by=by, **values)
