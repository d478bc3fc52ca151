"""The staffing API: posts for the centre (names for the lead), compliance, the state's table, the rules."""

from __future__ import annotations

import pytest
from django.test import Client

from ankommen.accounts.models import Membership, Role
from ankommen.accounts.services import api_token_create
from ankommen.regions.models import RegionKind
from ankommen.regions.tests.factories import CentreFactory
from ankommen.staffing.models import StaffPost
from ankommen.staffing.tests.factories import StaffPostFactory, teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    centre = CentreFactory(region__kind=RegionKind.CITY)
    for _ in range(5):
        StaffPostFactory(centre=centre, filled_by="Vertraulicher Name")
    teacher(centre)
    teacher(centre)
    return centre


def client_for(make_member, role, centre=None) -> tuple[Client, dict[str, str]]:
    user = make_member(role, centre=centre)
    membership = Membership.objects.get(user=user)
    _token, secret = api_token_create(membership=membership, name="test", expires_in_days=1)
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_lead_reads_posts_with_names_staff_without(make_member, centre):
    client, headers = client_for(make_member, Role.CENTRE_LEAD, centre)
    posts = client.get("/api/v1/staffing/posts", **headers).json()
    assert len(posts) == 7
    assert {p["filled_by"] for p in posts} >= {"Vertraulicher Name"}
    client, headers = client_for(make_member, Role.CENTRE_STAFF, centre)
    posts = client.get("/api/v1/staffing/posts", **headers).json()
    assert {p["filled_by"] for p in posts} == {None}


def test_a_breaking_post_through_the_api_needs_a_justification(make_member, centre):
    client, headers = client_for(make_member, Role.CENTRE_LEAD, centre)
    body = {
        "title": "Koordination",
        "function": "coordination",
        "fte": "1",
        "funding_source": "state_integration",
        "filled_by": "Neue Kollegin",
        "starts_on": "2024-01-01",
    }
    refused = client.post("/api/v1/staffing/posts", body, content_type="application/json", **headers)
    assert refused.status_code == 400
    assert "justification" in refused.json()["errors"]
    assert StaffPost.objects.for_centre(centre).count() == 7
    body["justification"] = "Vertretung"
    created = client.post("/api/v1/staffing/posts", body, content_type="application/json", **headers)
    assert created.status_code == 201
    assert created.json()["breaks_rule"] is True


def test_staff_may_not_write_posts(make_member, centre):
    client, headers = client_for(make_member, Role.CENTRE_STAFF, centre)
    post = StaffPost.objects.for_centre(centre).first()
    response = client.patch(
        f"/api/v1/staffing/posts/{post.pk}", {"title": "X"}, content_type="application/json", **headers
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.title != "X"


def test_the_lead_ends_a_post_through_the_api_and_another_centres_post_is_not_found(make_member, centre):
    client, headers = client_for(make_member, Role.CENTRE_LEAD, centre)
    post = StaffPost.objects.for_centre(centre).filter(funding_source="state_integration").first()
    response = client.patch(
        f"/api/v1/staffing/posts/{post.pk}", {"ends_on": "2024-12-31"}, content_type="application/json", **headers
    )
    assert response.status_code == 200
    assert response.json()["ends_on"] == "2024-12-31"
    other = StaffPostFactory()
    response = client.patch(
        f"/api/v1/staffing/posts/{other.pk}", {"ends_on": "2024-12-31"}, content_type="application/json", **headers
    )
    assert response.status_code == 404


def test_compliance_for_the_centre(make_member, centre):
    StaffPostFactory(centre=centre)
    client, headers = client_for(make_member, Role.CENTRE_TEACHER, centre)
    body = client.get("/api/v1/staffing/compliance?on=2024-06-01", **headers).json()
    assert body["status"] == "breaches"
    assert body["state_fte"] == "6.00" or float(body["state_fte"]) == 6.0
    assert len(body["messages"]) == 1


def test_the_state_table_for_state_roles_only_and_without_names(make_member, centre):
    client, headers = client_for(make_member, Role.RESEARCHER)
    response = client.get("/api/v1/staffing/state?on=2024-06-01", **headers)
    assert response.status_code == 200
    assert "Vertraulicher Name" not in response.content.decode()
    row = next(r for r in response.json() if r["centre_slug"] == centre.slug)
    assert float(row["fte_by_source"]["state_integration"]) == 5.0
    assert row["status"] == "complies"
    client, headers = client_for(make_member, Role.CENTRE_LEAD, centre)
    assert client.get("/api/v1/staffing/state", **headers).status_code == 403


def test_the_rules_are_public():
    rules = Client().get("/api/v1/staffing/rules").json()
    assert [rule["valid_from"] for rule in rules] == ["2013-01-01", "2022-01-01"]
    assert {limit["region_kind"] for limit in rules[1]["limits"]} == {"city", "district", "city_region"}


def test_the_operations_are_in_the_openapi_document():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/staffing/posts", "/api/v1/staffing/compliance", "/api/v1/staffing/state"} <= set(paths)
