# mypy: disable-error-code="attr-defined"

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.core.tests.form_fields import opened_version
from ankommen.people.models import Person
from ankommen.people.tests.factories import FamilyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _log(user, action=None):
    entries = AccessLogEntry.objects.filter(user=user)
    return entries.filter(action=action) if action else entries


def test_list_logs_one_access_per_person_shown(staff_client, staff, centre):
    for _ in range(3):
        PersonFactory(centre=centre)
    response = staff_client.get(reverse("people:person_list"))
    assert response.status_code == 200
    assert _log(staff, AccessAction.LIST).count() == 3


def test_search_finds_and_logs_hits(staff_client, staff, centre):
    hit = PersonFactory(centre=centre, given_names="Олена", family_name="Коваленко")
    PersonFactory(centre=centre, family_name="Schmidt")
    response = staff_client.post(reverse("people:person_list"), {"q": "kovalenko"})
    assert "Коваленко" in response.text
    assert "Schmidt" not in response.text
    assert list(_log(staff, AccessAction.SEARCH).values_list("record_id", flat=True)) == [str(hit.pk)]


def test_htmx_search_answers_with_the_results_partial(staff_client, centre):
    PersonFactory(centre=centre, family_name="Haidari")
    response = staff_client.get(reverse("people:person_list"), {"q": "haid"}, HTTP_HX_REQUEST="true")
    assert "Haidari" in response.text
    assert "<html" not in response.text


def test_detail_shows_the_person_and_logs_the_view(staff_client, staff, centre):
    person = PersonFactory(centre=centre, family_name="Haidari")
    response = staff_client.get(reverse("people:person_detail", args=[person.pk]))
    assert response.status_code == 200
    assert "Haidari" in response.text
    assert _log(staff, AccessAction.VIEW).get().record_id == str(person.pk)


def test_staff_creates_a_person(staff_client, centre):
    response = staff_client.post(
        reverse("people:person_create"),
        {
            "given_names": "Olena",
            "family_name": "Коваленко",
            "gender": "female",
            "residence_status": "unknown",
            "nationalities": ["UA"],
            "languages": ["uk"],
            "birth_date": "2012-04-01",
        },
    )
    person = Person.objects.for_centre(centre).get()
    assert response.status_code == 302
    assert person.nationalities == ["UA"]
    assert "kovalenko" in person.search_text


def test_bad_input_shows_the_form_again_with_german_messages(staff_client, centre):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = staff_client.post(
        reverse("people:person_create"),
        {
            "given_names": "",
            "family_name": "X",
            "gender": "female",
            "residence_status": "unknown",
            "birth_date": future,
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Person.objects.for_centre(centre).exists()


def test_arrival_before_birth_is_refused_by_the_form(staff_client, centre):
    response = staff_client.post(
        reverse("people:person_create"),
        {
            "given_names": "A",
            "family_name": "B",
            "gender": "female",
            "residence_status": "unknown",
            "birth_date": "2015-01-01",
            "arrived_in_germany": "2014-01-01",
        },
    )
    assert response.status_code == 400
    assert 'id="id_arrived_in_germany-error"' in response.text
    assert not Person.objects.for_centre(centre).exists()


def test_staff_edits_a_person_and_the_history_shows_it(staff_client, staff, centre):
    person = PersonFactory(centre=centre, family_name="Haidari", place="")
    url = reverse("people:person_edit", args=[person.pk])
    response = staff_client.post(
        url,
        {
            **{k: v or "" for k, v in {"given_names": person.given_names, "family_name": "Haidary"}.items()},
            "gender": "unspecified",
            "residence_status": "unknown",
            "place": "Bonn",
            **opened_version(staff_client, url),
        },
    )
    assert response.status_code == 302
    history = staff_client.get(reverse("people:person_history", args=[person.pk]))
    assert "Haidari → Haidary" in history.text
    assert str(staff) in history.text


def test_staff_cannot_open_or_edit_another_centres_person(make_member, login, centre, other_centre):
    person = PersonFactory(centre=other_centre, family_name="Original")
    client = login(make_member(Role.CENTRE_STAFF, centre=centre))
    for name in ("person_detail", "person_edit", "person_history", "consent_record", "guardian_add"):
        assert client.get(reverse(f"people:{name}", args=[person.pk])).status_code == 404
    response = client.post(
        reverse("people:person_edit", args=[person.pk]),
        {"given_names": "X", "family_name": "Changed", "gender": "female", "residence_status": "unknown"},
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.family_name == "Original"
    assert not AccessLogEntry.objects.filter(record_id=str(person.pk)).exists()


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER])
def test_state_and_research_roles_never_reach_a_person(make_member, login, centre, role):
    person = PersonFactory(centre=centre, family_name="Original")
    client = login(make_member(role))
    assert client.get(reverse("people:person_list")).status_code == 403
    assert client.get(reverse("people:person_detail", args=[person.pk])).status_code == 403
    response = client.post(
        reverse("people:person_edit", args=[person.pk]),
        {"given_names": "X", "family_name": "Changed", "gender": "female", "residence_status": "unknown"},
    )
    assert response.status_code == 403
    assert client.post(reverse("people:person_create"), {"given_names": "X", "family_name": "Y"}).status_code == 403
    person.refresh_from_db()
    assert person.family_name == "Original"
    assert Person.objects.for_centre(centre).count() == 1
    assert not AccessLogEntry.objects.exists()


def test_family_create_detail_and_edit(staff_client, centre):
    response = staff_client.post(reverse("people:family_create"), {"place": "Bonn"})
    assert response.status_code == 302
    family = FamilyFactory._meta.model.objects.for_centre(centre).get()
    assert family.reference.startswith("F-")
    assert staff_client.get(reverse("people:family_detail", args=[family.pk])).status_code == 200
    url = reverse("people:family_edit", args=[family.pk])
    assert staff_client.post(url, {"place": "Köln", **opened_version(staff_client, url)}).status_code == 302
    family.refresh_from_db()
    assert family.place == "Köln"


def test_consent_record_and_withdraw_through_the_pages(staff_client, centre):
    person = PersonFactory(centre=centre)
    response = staff_client.post(
        reverse("people:consent_record", args=[person.pk]),
        {"purpose": "courses", "legal_basis": "consent", "given_on": "2025-01-01"},
    )
    assert response.status_code == 302
    consent = person.consents.model.objects.for_centre(centre).get()
    response = staff_client.post(
        reverse("people:consent_withdraw", args=[person.pk, consent.pk]), {"withdrawn_on": "2025-02-01"}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == datetime.date(2025, 2, 1)


def test_guardian_add_and_remove_through_the_pages(staff_client, centre):
    family = FamilyFactory(centre=centre)
    child = PersonFactory(centre=centre, family=family)
    mother = PersonFactory(centre=centre, family=family)
    response = staff_client.post(
        reverse("people:guardian_add", args=[child.pk]),
        {"guardian": str(mother.pk), "kind": "mother", "has_custody": "on"},
    )
    assert response.status_code == 302
    relation_model = Person.guardians.rel.related_model
    relation = relation_model.objects.for_centre(centre).get()
    assert relation.guardian == mother
    response = staff_client.post(reverse("people:guardian_remove", args=[child.pk, relation.pk]))
    assert response.status_code == 302
    assert not relation_model.objects.for_centre(centre).exists()
