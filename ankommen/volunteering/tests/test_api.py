# mypy: disable-error-code="attr-defined, arg-type"
from __future__ import annotations

import pytest
from django.test import Client

from ankommen.accounts.models import Membership
from ankommen.accounts.services import api_token_create
from ankommen.volunteering import services
from ankommen.volunteering.models import SupportRequest
from ankommen.volunteering.tests.factories import open_request, person_with_consent, postcode_of, volunteer_in

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    membership = Membership.objects.get(user=user)
    _token, secret = api_token_create(membership=membership, name="test", expires_in_days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_staff_open_a_request_and_read_its_suggestions_with_the_breakdown(centre, staff):
    postcode_of(centre)
    volunteer = volunteer_in(centre)
    person = person_with_consent(centre, staff)
    api = _client(staff)
    created = api.post(
        "/api/v1/volunteering/requests",
        {"person_id": str(person.pk), "activity": "homework_help", "postcode": "50667", "expected_duration": "weeks"},
        content_type="application/json",
    )
    assert created.status_code == 201
    [suggestion] = api.get(f"/api/v1/volunteering/requests/{created.json()['id']}/suggestions").json()
    assert suggestion["volunteer_id"] == volunteer.pk
    assert set(suggestion["parts"]) == {"language", "distance", "availability", "activity", "certificate", "load"}


def test_bad_input_is_refused_in_german_and_nothing_is_written(centre, staff):
    postcode_of(centre)
    response = _client(staff).post(
        "/api/v1/volunteering/requests",
        {"partner_organisation": "Caritas", "activity": "knitting", "postcode": "99999", "expected_duration": "weeks"},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["activity"] == ["Unbekannte Tätigkeit: knitting"]
    assert "postcode" in errors
    assert not SupportRequest.objects.for_centre(centre).exists()


def test_a_volunteer_reaches_their_own_data_and_answers_a_proposal_with_their_token(centre, staff):
    postcode_of(centre)
    volunteer = volunteer_in(centre)
    assignment = services.assignment_propose(
        centre=centre, by=staff, request=open_request(centre, staff), volunteer=volunteer
    )
    api = _client(volunteer.user)
    own = api.get("/api/v1/volunteering/me").json()
    assert own["volunteer"]["id"] == volunteer.pk
    assert [a["id"] for a in own["assignments"]] == [assignment.pk]
    assert api.get("/api/v1/volunteering/volunteers").status_code == 403
    answered = api.post(
        f"/api/v1/volunteering/me/assignments/{assignment.pk}", {"accept": True}, content_type="application/json"
    )
    assert answered.json()["status"] == "active"
    other = _client(volunteer_in(centre).user)
    refused = other.post(
        f"/api/v1/volunteering/me/assignments/{assignment.pk}", {"accept": False}, content_type="application/json"
    )
    assert refused.status_code == 404


def test_figures_count_per_month_without_persons(centre, staff):
    postcode_of(centre)
    volunteer = volunteer_in(centre)
    assignment = services.assignment_propose(
        centre=centre, by=staff, request=open_request(centre, staff), volunteer=volunteer
    )
    services.assignment_accept(volunteer=volunteer, assignment=assignment)
    [month] = _client(staff).get("/api/v1/volunteering/figures").json()
    assert month["sign_ups"] == 1
    assert month["requests_opened"] == 1
    assert month["requests_matched"] == 1
    assert month["median_days_to_match"] == 0.0
