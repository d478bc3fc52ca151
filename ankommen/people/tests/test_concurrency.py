"""Two users editing one person; one user submitting a creation twice (docs/concurrency.md)."""

# mypy: disable-error-code="attr-defined"

import pytest
from django.urls import reverse

from ankommen.core.concurrency import KEY_FIELD, VERSION_FIELD
from ankommen.core.models import IdempotencyKey
from ankommen.core.tests.form_fields import form_with
from ankommen.people.models import Family, Person
from ankommen.people.tests.factories import FamilyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _open_edit_form(client, person):
    response = client.get(reverse("people:person_edit", args=[person.pk]))
    assert response.status_code == 200
    return form_with(response.text, VERSION_FIELD)


def test_second_save_of_a_changed_person_is_refused_with_both_versions(login, make_member, centre):
    from ankommen.accounts.models import Role

    person = PersonFactory(centre=centre, given_names="Olena", family_name="Kovalenko", place="Köln")
    first, second = (login(make_member(Role.CENTRE_STAFF, centre=centre)) for _ in range(2))
    mine, theirs = _open_edit_form(first, person), _open_edit_form(second, person)

    response = first.post(reverse("people:person_edit", args=[person.pk]), {**mine, "place": "Bonn"})
    assert response.status_code == 302
    stored = Person.objects.for_centre(centre).get(pk=person.pk)
    history_rows = Person.pgh_event_model.objects.filter(pgh_obj_id=person.pk).count()

    response = second.post(
        reverse("people:person_edit", args=[person.pk]), {**theirs, "place": "Düren", "phone": "0221 123"}
    )

    assert response.status_code == 409
    # Nothing written: the row and its history are as the first user left them.
    again = Person.objects.for_centre(centre).get(pk=person.pk)
    assert (again.place, again.phone, again.updated_at) == ("Bonn", "", stored.updated_at)
    assert Person.pgh_event_model.objects.filter(pgh_obj_id=person.pk).count() == history_rows
    # Both versions, field by field, and the second user's input still in the form.
    page = response.text
    assert 'role="alert"' in page
    conflict = page[page.index("ankommen-edit-conflict") : page.index("</table>")]
    for value in ("Düren", "Bonn", "0221 123"):
        assert value in conflict
    kept = form_with(page, VERSION_FIELD)
    assert (kept["place"], kept["phone"]) == ("Düren", "0221 123")
    # Saving again, after looking, is deliberate: it overwrites.
    response = second.post(reverse("people:person_edit", args=[person.pk]), kept)
    assert response.status_code == 302
    assert Person.objects.for_centre(centre).get(pk=person.pk).place == "Düren"


def test_a_change_by_another_way_also_makes_the_form_stale(staff_client, centre):
    person = PersonFactory(centre=centre, place="Köln")
    form = _open_edit_form(staff_client, person)
    # A bulk update, which leaves updated_at alone, still changes the version.
    Person.objects.for_centre(centre).filter(pk=person.pk).update(phone="0228 1")
    response = staff_client.post(reverse("people:person_edit", args=[person.pk]), {**form, "place": "Bonn"})
    assert response.status_code == 409
    assert Person.objects.for_centre(centre).get(pk=person.pk).place == "Köln"


def test_family_edit_refuses_a_stale_save(staff_client, centre):
    family = FamilyFactory(centre=centre, place="Köln")
    url = reverse("people:family_edit", args=[family.pk])
    form = form_with(staff_client.get(url).text, VERSION_FIELD)
    assert staff_client.post(url, {**form, "place": "Bonn"}).status_code == 302
    response = staff_client.post(url, {**form, "place": "Aachen"})
    assert response.status_code == 409
    assert Family.objects.for_centre(centre).get(pk=family.pk).place == "Bonn"


def test_a_double_submitted_person_form_creates_one_person(staff_client, centre):
    form = form_with(staff_client.get(reverse("people:person_create")).text, KEY_FIELD)
    assert len(form[KEY_FIELD]) >= 32
    data = {**form, "given_names": "Olena", "family_name": "Kovalenko"}

    first = staff_client.post(reverse("people:person_create"), data)
    second = staff_client.post(reverse("people:person_create"), data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Person.objects.for_centre(centre).filter(family_name="Kovalenko").count() == 1


def test_a_refused_creation_frees_its_key_for_the_corrected_submit(staff_client, centre):
    form = form_with(staff_client.get(reverse("people:person_create")).text, KEY_FIELD)
    refused = staff_client.post(reverse("people:person_create"), {**form, "given_names": "Olena", "family_name": ""})
    assert refused.status_code == 400
    assert form_with(refused.text, KEY_FIELD)[KEY_FIELD] == form[KEY_FIELD]
    response = staff_client.post(
        reverse("people:person_create"), {**form, "given_names": "Olena", "family_name": "Kovalenko"}
    )
    assert response.status_code == 302
    assert Person.objects.for_centre(centre).count() == 1


def test_the_same_key_with_other_entries_creates_another_person(staff_client, centre):
    form = form_with(staff_client.get(reverse("people:person_create")).text, KEY_FIELD)
    staff_client.post(reverse("people:person_create"), {**form, "given_names": "Olena", "family_name": "Kovalenko"})
    staff_client.post(reverse("people:person_create"), {**form, "given_names": "Iryna", "family_name": "Kovalenko"})
    assert Person.objects.for_centre(centre).count() == 2


def test_keys_are_per_user(login, make_member, centre):
    from ankommen.accounts.models import Role

    first, second = (login(make_member(Role.CENTRE_STAFF, centre=centre)) for _ in range(2))
    form = form_with(first.get(reverse("people:family_create")).text, KEY_FIELD)
    first.post(reverse("people:family_create"), {**form, "place": "Köln"})
    second.post(reverse("people:family_create"), {**form, "place": "Köln"})
    assert Family.objects.for_centre(centre).count() == 2
    assert IdempotencyKey.objects.filter(key=form[KEY_FIELD]).count() == 2
