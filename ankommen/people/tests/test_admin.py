from __future__ import annotations

import pytest

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import UserFactory
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.people.models import Person
from ankommen.people.tests.factories import FamilyFactory, PersonFactory

CHANGELIST = "/admin/people/person/"


@pytest.fixture
def operator_client(db, login):
    return login(UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def kovalenkos(centre, other_centre):
    return (
        PersonFactory(
            centre=centre,
            given_names="Олена",
            family_name="Коваленко",
            given_names_latin="Olena",
            family_name_latin="Kovalenko",
        ),
        PersonFactory(
            centre=other_centre,
            given_names="Ірина",
            family_name="Коваленко",
            given_names_latin="Iryna",
            family_name_latin="Kovalenko",
        ),
    )


def test_operator_finds_a_person_of_one_centre_in_the_admin(operator_client, centre, kovalenkos):
    response = operator_client.get(CHANGELIST, {"centre__id__exact": centre.pk, "q": "Kovalenko"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [kovalenkos[0]]
    assert "Olena" in response.content.decode()


def test_operator_search_covers_every_centre_without_the_centre_filter(operator_client, kovalenkos):
    response = operator_client.get(CHANGELIST, {"q": "Коваленко"})
    assert set(response.context["cl"].result_list) == set(kovalenkos)


def test_admin_search_writes_one_access_log_entry_per_row_shown(operator_client, centre, kovalenkos):
    operator_client.get(CHANGELIST, {"centre__id__exact": centre.pk, "q": "Kovalenko"})
    entries = list(AccessLogEntry.objects.all())
    assert [(entry.record_id, entry.action) for entry in entries] == [(str(kovalenkos[0].pk), AccessAction.SEARCH)]


def test_admin_detail_is_read_only_and_logged(operator_client, kovalenkos):
    person = kovalenkos[0]
    response = operator_client.get(f"{CHANGELIST}{person.pk}/change/")
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(record_id=str(person.pk), action=AccessAction.VIEW).count() == 1
    response = operator_client.post(f"{CHANGELIST}{person.pk}/change/", {"given_names": "Changed"})
    assert response.status_code == 403
    assert Person.objects.dangerously_unscoped().get(pk=person.pk).given_names == "Олена"


def test_admin_cannot_add_or_delete_persons(operator_client, kovalenkos):
    assert operator_client.get(f"{CHANGELIST}add/").status_code == 403
    response = operator_client.post(f"{CHANGELIST}{kovalenkos[0].pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Person.objects.dangerously_unscoped().count() == 2


def test_centre_staff_cannot_open_the_person_admin(login, make_member, centre, kovalenkos):
    client = login(make_member(Role.CENTRE_LEAD, centre=centre))
    response = client.get(CHANGELIST, {"q": "Kovalenko"})
    assert response.status_code == 302
    assert not AccessLogEntry.objects.exists()


def test_operator_finds_a_family_by_reference(operator_client, centre):
    family = FamilyFactory(centre=centre, reference="F-2025-04711")
    FamilyFactory(centre=centre)
    response = operator_client.get("/admin/people/family/", {"q": "04711"})
    assert list(response.context["cl"].result_list) == [family]
