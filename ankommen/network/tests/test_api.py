import pytest

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.network.models import Organisation
from ankommen.network.tests.factories import OrganisationFactory, ServiceFactory
from ankommen.regions.models import Postcode

pytestmark = pytest.mark.django_db


def test_public_finder_by_post_nearest_first(client, centre):
    Postcode.objects.update_or_create(
        code="50667", defaults={"places": "Köln", "region": centre.region, "latitude": 50.9385, "longitude": 6.9561}
    )
    far = OrganisationFactory(centre=centre, name="Fern", latitude=51.2, longitude=7.2, languages=["ar"])
    near = OrganisationFactory(centre=centre, name="Nah", latitude=50.94, longitude=6.96, languages=["ar"])
    ServiceFactory(organisation=far)
    ServiceFactory(organisation=near)
    response = client.post(
        "/api/v1/network/finder", {"language": "ar", "postcode": "50667"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert [hit["organisation"] for hit in response.json()] == ["Nah", "Fern"]
    assert response.json()[0]["distance_km"] < response.json()[1]["distance_km"]


def test_staff_add_an_organisation_and_a_bad_one_writes_nothing(client, centre):
    Postcode.objects.update_or_create(
        code="50667", defaults={"places": "Köln", "region": centre.region, "latitude": 50.9385, "longitude": 6.9561}
    )
    membership = MembershipFactory(user=UserFactory(), role=Role.CENTRE_STAFF, centre=centre)
    _token, secret = api_token_create(membership=membership, name="t", expires_in_days=1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    body = {"name": "Diakonie", "kind": "welfare_association", "postcode": "50667", "place": "Köln"}
    response = client.post("/api/v1/network/organisations", body, content_type="application/json", **headers)
    assert response.status_code == 400
    assert "welfare_association" in response.json()["errors"]
    body["welfare_association"] = "diakonie"
    response = client.post("/api/v1/network/organisations", body, content_type="application/json", **headers)
    assert response.status_code == 201
    assert response.json()["latitude"] == 50.9385
    assert Organisation.objects.for_centre(centre).count() == 1
