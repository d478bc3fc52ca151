"""The grants API: the state's allocations, the centre's grants and payments, the partner's own applications."""

from decimal import Decimal

import pytest
from django.test import Client

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.core.models import AccessLogEntry
from ankommen.grants.models import Grant, Payment
from ankommen.grants.tests import factories
from ankommen.network.tests.factories import partner_contact

pytestmark = pytest.mark.django_db
YEAR = factories.THIS_YEAR


def _client(user, role):
    membership = user.memberships.get(role=role)
    _token, secret = api_token_create(membership=membership, name="test", expires_in_days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_analyst_allocates_through_the_api_and_the_budget_caps_it(centre):
    factories.budget("500")
    client = _client(factories.analyst(), Role.STATE_ANALYST)
    body = {"programme_id": factories.komm_an().pk, "year": YEAR, "centre_id": centre.pk, "amount": "600"}
    refused = client.post("/api/v1/grants/allocations", body, content_type="application/json")
    assert refused.status_code == 400
    assert "amount" in refused.json()["errors"]
    body["amount"] = "500"
    assert client.post("/api/v1/grants/allocations", body, content_type="application/json").status_code == 200
    table = client.get(f"/api/v1/grants/state-budget?year={YEAR}").json()
    assert Decimal(table["total"]["allocated"]) == Decimal("500")


def test_centre_pays_through_the_api_up_to_the_approved_amount(centre, staff, funded):
    grant = factories.approved(centre, staff, amount="1000")
    client = _client(staff, Role.CENTRE_STAFF)
    url = f"/api/v1/grants/grants/{grant.pk}/payments"
    assert client.post(url, {"amount": "600"}, content_type="application/json").status_code == 201
    refused = client.post(url, {"amount": "400.01"}, content_type="application/json")
    assert refused.status_code == 400
    assert Payment.objects.for_centre(centre).count() == 1
    detail = client.get(f"/api/v1/grants/grants/{grant.pk}").json()
    assert detail["contact_name"] == "Maria Beispiel"
    assert AccessLogEntry.objects.filter(record_type="grants.grant", action="api").exists()


def test_partner_applies_and_lists_only_its_own(centre, staff, funded):
    mine, theirs = factories.organisation(centre), factories.organisation(centre)
    user = partner_contact(mine)
    factories.approved(centre, staff, organisation_=theirs)
    client = _client(user, Role.PARTNER_CONTACT)
    body = {
        "programme_id": factories.komm_an().pk,
        "year": YEAR,
        "title": "Nähcafé",
        "description": "Treffpunkt",
        "requested_amount": "800",
        "contact_name": "Erika Muster",
        "contact_email": "erika@example.org",
    }
    created = client.post("/api/v1/grants/my-applications", body, content_type="application/json")
    assert created.status_code == 201
    listed = client.get("/api/v1/grants/my-applications").json()
    assert [g["id"] for g in listed] == [created.json()["id"]]
    assert Grant.objects.for_centre(centre).get(pk=created.json()["id"]).organisation == mine
    # The partner reaches no centre endpoint.
    assert client.get("/api/v1/grants/grants").status_code == 403


def test_partner_submits_the_proof_of_its_own_grant_only(centre, staff, funded):
    mine, theirs = factories.organisation(centre), factories.organisation(centre)
    client = _client(partner_contact(mine), Role.PARTNER_CONTACT)
    own = factories.approved(centre, staff, organisation_=mine, due_in_days=30)
    other = factories.approved(centre, staff, organisation_=theirs)
    body = {"report": "Bericht", "spent_amount": "100"}
    assert (
        client.post(
            f"/api/v1/grants/my-applications/{other.pk}/proof", body, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/grants/my-applications/{own.pk}/proof", body, content_type="application/json").status_code
        == 201
    )
