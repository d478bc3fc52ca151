"""Permission matrix rows of the data subject's rights: subject access and consent withdrawal (see matrix_types)."""

from __future__ import annotations

import datetime

from ankommen.people.models import Consent, LegalBasis, Purpose
from tests.matrix_types import Access, ApiRoute, Route, World

ROUTES: dict[str, Route] = {
    "people:subject_access_export": Route(
        Access.LEAD,
        kwargs=lambda w: {"person_id": w.person.pk},
        post=lambda w: {"format": "json"},
        names_centre_object=True,
        get_allowed=False,
    ),
}

API_ROUTES: dict[tuple[str, str], ApiRoute] = {
    ("post", "/api/v1/people/{person_id}/subject-access"): ApiRoute(
        Access.LEAD,
        lambda w: f"/api/v1/people/{w.person.pk}/subject-access",
        body=lambda w: {},
        names_centre_object=True,
    ),
    ("post", "/api/v1/people/{person_id}/consents/{consent_id}/withdraw"): ApiRoute(
        Access.CENTRE,
        lambda w: f"/api/v1/people/{w.person.pk}/consents/{w.extra['research_consent'].pk}/withdraw",
        body=lambda w: {"withdrawn_on": "2026-02-01"},
        names_centre_object=True,
    ),
}


def extend_world(world: World) -> None:
    # A consent of its own, so that withdrawing it leaves the world's school-placement consent to the other rows.
    world.extra["research_consent"] = Consent.objects.create(
        centre=world.centre,
        person=world.person,
        purpose=Purpose.RESEARCH,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2026, 1, 5),
        recorded_by=world.consent.recorded_by,
    )
