# mypy: disable-error-code="attr-defined"

import pytest

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.people.models import Family, Person
from ankommen.people.tests.factories import FamilyFactory, PersonFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/people/"


def test_api_search_returns_own_centre_and_logs_each_row(staff_client, staff, centre, other_centre):
    mine = PersonFactory(centre=centre, given_names="Олена", family_name="Коваленко")
    PersonFactory(centre=other_centre, given_names="Olena", family_name="Kovalenko")
    response = staff_client.post(f"{URL}search", {"q": "kovalenko"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert [item["id"] for item in response.json()["items"]] == [str(mine.pk)]
    assert list(
        AccessLogEntry.objects.filter(user=staff, action=AccessAction.SEARCH).values_list("record_id", flat=True)
    ) == [str(mine.pk)]


def test_api_list_does_not_take_names_in_the_url(staff_client, centre):
    PersonFactory(centre=centre, given_names="Olena", family_name="Kovalenko")
    PersonFactory(centre=centre, given_names="Ahmad", family_name="Haidari")
    response = staff_client.get(URL, {"q": "kovalenko"})
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_api_detail_of_another_centres_person_is_404(staff_client, other_centre):
    foreign = PersonFactory(centre=other_centre)
    response = staff_client.get(f"{URL}{foreign.pk}")
    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_api_detail_logs_the_read(staff_client, staff, centre):
    person = PersonFactory(centre=centre)
    assert staff_client.get(f"{URL}{person.pk}").json()["id"] == str(person.pk)
    assert AccessLogEntry.objects.get(user=staff).record_id == str(person.pk)


def test_api_create_and_patch(staff_client, centre):
    response = staff_client.post(
        URL, {"given_names": "Ayşe", "family_name": "Yılmaz", "nationalities": ["TR"]}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    person = Person.objects.for_centre(centre).get()
    response = staff_client.patch(f"{URL}{person.pk}", {"place": "Bonn"}, content_type="application/json")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.place == "Bonn"
    assert person.family_name == "Yılmaz"


def test_api_refuses_bad_data_with_field_errors_and_writes_nothing(staff_client, centre, other_centre):
    response = staff_client.post(
        URL, {"given_names": "A", "family_name": "B", "nationalities": ["XX"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nationalities" in response.json()["errors"]
    response = staff_client.post(URL, {"given_names": "A"}, content_type="application/json")
    assert response.status_code == 422
    foreign_family = FamilyFactory(centre=other_centre)
    response = staff_client.post(
        URL,
        {"given_names": "A", "family_name": "B", "family_id": str(foreign_family.pk)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Person.objects.for_centre(centre).exists()


def test_api_patch_of_another_centres_person_is_404_and_changes_nothing(staff_client, other_centre):
    foreign = PersonFactory(centre=other_centre, family_name="Original")
    response = staff_client.patch(f"{URL}{foreign.pk}", {"family_name": "Changed"}, content_type="application/json")
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.family_name == "Original"


def test_api_families(staff_client, centre):
    response = staff_client.post(f"{URL}families/", {"place": "Bonn"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["reference"].startswith("F-")
    listing = staff_client.get(f"{URL}families/")
    assert listing.json()["count"] == 1
    assert Family.objects.for_centre(centre).count() == 1


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER])
def test_api_state_roles_get_403_and_nothing_changes(make_member, login, centre, role):
    PersonFactory(centre=centre)
    client = login(make_member(role))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"given_names": "A", "family_name": "B"}, content_type="application/json")
    assert response.status_code == 403
    assert Person.objects.for_centre(centre).count() == 1
    assert not AccessLogEntry.objects.exists()
