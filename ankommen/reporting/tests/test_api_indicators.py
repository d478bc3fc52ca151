"""The indicators API: aggregates only; the own centre unsuppressed, the others suppressed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.tests.factories import CentreFactory
from ankommen.reporting.indicators import INDICATORS, month_start, previous_month
from ankommen.schooling.tests.factories import IntakeFactory

pytestmark = pytest.mark.django_db


def intake(centre, **fields):
    child = PersonFactory(centre=centre, birth_date=datetime.date(2015, 3, 1))
    return IntakeFactory(child=child, centre=centre, **fields)


@pytest.fixture
def bearer(make_member):
    def headers(role: Role, centre=None) -> dict[str, str]:
        user = make_member(role, centre=centre)
        membership = user.memberships.get()
        _token, secret = api_token_create(membership=membership, name="test", expires_in_days=1)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return headers


def test_definitions_list_every_indicator(client, bearer, centre):
    response = client.get("/api/v1/indicators/definitions", **bearer(Role.STATE_ANALYST))

    assert response.status_code == 200
    assert [item["key"] for item in response.json()] == [indicator.key for indicator in INDICATORS]


def test_own_centre_indicators_per_month_unsuppressed(client, bearer, centre, other_centre):
    this_month = month_start(timezone.localdate())
    for _index in range(2):
        intake(centre, registered_on=this_month)
    intake(other_centre, registered_on=this_month)

    response = client.get("/api/v1/indicators/centre", **bearer(Role.CENTRE_STAFF, centre))

    assert response.status_code == 200
    body = response.json()
    assert body["centre"] == centre.name
    assert len(body["months"]) == 12
    assert body["months"][-1]["values"]["children_registered"] == 2


def test_centre_api_refuses_bad_and_future_months(client, bearer, centre):
    headers = bearer(Role.CENTRE_STAFF, centre)
    assert client.get("/api/v1/indicators/centre?start=2026-13", **headers).status_code == 422
    future = (month_start(timezone.localdate()) + datetime.timedelta(days=40)).strftime("%Y-%m")
    assert client.get(f"/api/v1/indicators/centre?end={future}", **headers).status_code == 422


def test_state_table_for_state_users_is_suppressed_with_totals(client, bearer):
    month = previous_month(timezone.localdate())
    small, big = CentreFactory(), CentreFactory()
    for _index in range(2):
        intake(small, registered_on=month)
    for _index in range(9):
        intake(big, registered_on=month)

    response = client.get(f"/api/v1/indicators/state?month={month:%Y-%m}", **bearer(Role.RESEARCHER))

    body = response.json()
    rows = {row["centre"]: row for row in body["rows"]}
    assert rows[small.name]["figures"]["children_registered"] == {
        "value": None,
        "status": "suppressed",
        "per_10000": None,
    }
    # With a published total of 11, the big centre's 9 would give the small one away: hidden too.
    assert rows[big.name]["figures"]["children_registered"]["value"] is None
    assert body["totals"]["children_registered"]["value"] == 11


def test_centre_users_see_others_suppressed_without_totals_and_themselves_as_they_are(client, bearer, centre):
    month = previous_month(timezone.localdate())
    small, big = CentreFactory(), CentreFactory()
    for _index in range(2):
        intake(small, registered_on=month)
    for _index in range(9):
        intake(big, registered_on=month)
    intake(centre, registered_on=month)

    response = client.get(f"/api/v1/indicators/state?month={month:%Y-%m}", **bearer(Role.CENTRE_LEAD, centre))

    body = response.json()
    rows = {row["centre"]: row for row in body["rows"]}
    assert body["totals"] is None
    assert rows[small.name]["figures"]["children_registered"]["status"] == "suppressed"
    assert rows[big.name]["figures"]["children_registered"]["value"] == 9
    assert rows[centre.name]["own"] is True
    assert rows[centre.name]["figures"]["children_registered"]["value"] == 1


def test_partners_and_anonymous_callers_get_no_figures(client, bearer, centre):
    assert client.get("/api/v1/indicators/state").status_code == 401
    headers = bearer(Role.VOLUNTEER, centre)
    assert client.get("/api/v1/indicators/state", **headers).status_code == 403
    assert client.get("/api/v1/indicators/centre", **headers).status_code == 403


def test_state_users_have_no_own_centre_figures(client, bearer):
    assert client.get("/api/v1/indicators/centre", **bearer(Role.STATE_ANALYST)).status_code == 403


def test_the_operations_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/indicators/definitions", "/api/v1/indicators/centre", "/api/v1/indicators/state"} <= set(paths)
