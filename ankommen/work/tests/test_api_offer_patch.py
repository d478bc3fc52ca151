"""PATCH of an offer through the API: by its employer contact and by the centre's staff, checked like the form."""

import datetime

import pytest
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.work.models import Offer
from ankommen.work.tests import factories

pytestmark = pytest.mark.django_db


def _bearer(membership):
    _token, secret = api_token_create(membership=membership, name="test", expires_in_days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _patch(client, offer, body, headers):
    return client.patch(f"/api/v1/work/offers/{offer.pk}", body, content_type="application/json", **headers)


def test_the_employer_contact_changes_their_offer(client, staff, employer, employer_user):
    offer = factories.offer(employer, staff)
    headers = _bearer(employer_user.memberships.get(role=Role.EMPLOYER_CONTACT))
    start = timezone.localdate() + datetime.timedelta(days=90)
    response = _patch(client, offer, {"seats": 4, "start_date": start.isoformat()}, headers)
    assert response.status_code == 200, response.content
    assert response.json()["seats"] == 4
    offer.refresh_from_db()
    assert (offer.seats, offer.start_date, offer.title) == (4, start, "Ausbildung Koch/Köchin")


def test_centre_staff_change_an_offer_of_their_centre(client, make_member, centre, staff, employer):
    offer = factories.offer(employer, staff)
    membership = make_member(Role.CENTRE_STAFF, centre=centre).memberships.get(role=Role.CENTRE_STAFF)
    response = _patch(client, offer, {"title": "Ausbildung Koch/Köchin 2027"}, _bearer(membership))
    assert response.status_code == 200, response.content
    offer.refresh_from_db()
    assert offer.title == "Ausbildung Koch/Köchin 2027"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"seats": 0}, "seats", "zwischen 1 und 100"),
        ({"seats": 101}, "seats", "zwischen 1 und 100"),
        ({"start_date": "2000-01-01"}, "start_date", "Vergangenheit"),
        ({"application_deadline": "2099-01-01"}, "application_deadline", "nicht nach dem"),
        ({"hours_per_week": 60}, "hours_per_week", "48"),
        ({"occupation_uri": "http://example.org/nothing"}, "occupation_uri", "ESCO"),
        ({"seats": None}, "seats", ""),
    ],
)
def test_impossible_values_are_refused_with_a_clear_message_and_nothing_written(
    client, staff, employer, employer_user, body, field, message
):
    offer = factories.offer(employer, staff)
    before = Offer.objects.for_centre(offer.centre).filter(pk=offer.pk).values().get()
    headers = _bearer(employer_user.memberships.get(role=Role.EMPLOYER_CONTACT))
    response = _patch(client, offer, {**body, "title": "Soll nicht gespeichert werden"}, headers)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    assert message in " ".join(errors[field])
    assert Offer.objects.for_centre(offer.centre).filter(pk=offer.pk).values().get() == before


def test_another_employers_offer_answers_404(client, centre, staff, employer):
    offer = factories.offer(employer, staff)
    other = factories.employer(centre, name="Andere GmbH")
    other_user = factories.employer_contact(other)
    response = _patch(client, offer, {"seats": 5}, _bearer(other_user.memberships.get(role=Role.EMPLOYER_CONTACT)))
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.seats == 2
