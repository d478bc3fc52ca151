import datetime

import pytest
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.work import figures, services
from ankommen.work.tests import factories

pytestmark = pytest.mark.django_db


def _placed(centre, staff, employer, count):
    for index in range(count):
        profile = factories.profile(centre, staff, factories.person(centre, f"Name{index}", "Test", by=staff))
        application = factories.shared_application(factories.offer(employer, staff, title=f"O{index}"), profile, staff)
        services.application_interview(application=application, by=staff, interview_at=timezone.now())
        services.application_contract(
            application=application, by=staff, contract_kind="ausbildung", contract_start=timezone.localdate()
        )


def test_state_users_get_small_counts_suppressed(centre, other_centre, staff, employer):
    _placed(centre, staff, employer, 2)
    month = timezone.localdate().replace(day=1)
    rows = [row for row in figures.state_months(months=[month]) if row.centre_id == centre.pk]
    assert rows[0].placements["ausbildung"] is None
    assert rows[0].active_candidates is None or rows[0].active_candidates >= 5
    assert rows[0].median_days_to_contract is None
    own = figures.centre_months(centre=centre, months=[month])[0]
    assert own.placements == {"ausbildung": 2}


def test_figures_count_placements_and_follow_ups_per_month(centre, staff, employer):
    _placed(centre, staff, employer, 1)
    month = timezone.localdate().replace(day=1)
    row = figures.centre_months(centre=centre, months=[month])[0]
    assert row.placements_total == 1
    assert row.active_candidates == 1  # looked for work during the month in which the contract came
    following = figures.centre_months(centre=centre, months=[figures.next_month(month)])[0]
    assert following.active_candidates == 0
    previous = figures.month_start(month - datetime.timedelta(days=1))
    assert figures.centre_months(centre=centre, months=[previous])[0].placements_total == 0


def _bearer(membership):
    _token, secret = api_token_create(membership=membership, name="t", expires_in_days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_api_gives_the_employer_only_shared_applications(client, centre, staff, employer, employer_user):
    offer = factories.offer(employer, staff)
    shared = factories.shared_application(offer, factories.profile(centre, staff), staff)
    services.application_propose(
        offer=offer,
        profile=factories.profile(centre, staff, factories.person(centre, "Not", "Shared", by=staff)),
        by=staff,
    )
    headers = _bearer(employer_user.memberships.get(role=Role.EMPLOYER_CONTACT))
    answer = client.get("/api/v1/work/applications", **headers).json()
    assert [row["id"] for row in answer] == [shared.pk]
    assert len(answer[0]["shared"]) == 2
    assert answer[0]["shared"]["Name"] == "Amina Haddad"
    assert client.get(f"/api/v1/work/offers/{offer.pk}/matches", **headers).status_code == 403


def test_the_api_refuses_an_offer_with_an_unknown_occupation(client, employer, employer_user):
    headers = _bearer(employer_user.memberships.get(role=Role.EMPLOYER_CONTACT))
    body = {
        "kind": "job",
        "title": "x",
        "occupation_uri": "http://example.org/nothing",
        "postcode": "50667",
        "place": "Köln",
        "start_date": "2030-01-01",
        "seats": 1,
        "hours_per_week": 20,
    }
    response = client.post("/api/v1/work/offers", body, content_type="application/json", **headers)
    assert response.status_code == 400
    assert "occupation_uri" in response.json()["errors"]


def test_state_users_read_suppressed_figures_and_employers_none(client, make_member, centre, staff, employer):
    _placed(centre, staff, employer, 1)
    analyst = make_member(Role.STATE_ANALYST)
    answer = client.get("/api/v1/work/figures", **_bearer(analyst.memberships.get())).json()
    mine = [row for row in answer if row["centre_id"] == centre.pk]
    assert mine
    assert all(row["placements"]["ausbildung"] in (None, 0) for row in mine)
    contact = factories.employer_contact(employer)
    headers = _bearer(contact.memberships.get())
    assert client.get("/api/v1/work/figures", **headers).status_code == 403
