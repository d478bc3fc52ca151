# mypy: disable-error-code="attr-defined, arg-type, misc"
import datetime
import threading
import unicodedata

import pghistory
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from ankommen.core.row_level_security import centre_scope
from ankommen.people import services
from ankommen.people.models import Consent, Family, GuardianKind, GuardianRelation, LegalBasis, Person, Purpose
from ankommen.people.search import search_text_for
from ankommen.people.tests.factories import FamilyFactory, PersonFactory, PostcodeFactory

pytestmark = pytest.mark.django_db


def test_person_names_are_stored_in_nfc_with_their_search_text(centre, staff):
    decomposed = unicodedata.normalize("NFD", "Müller")
    person = services.person_create(centre=centre, by=staff, given_names=" Jürgen  Paul ", family_name=decomposed)
    person.refresh_from_db()
    assert person.family_name == "Müller" == unicodedata.normalize("NFC", decomposed)
    assert person.given_names == "Jürgen Paul"
    assert "muller" in person.search_text.split()


def test_search_text_includes_the_latin_form_of_cyrillic_names(centre, staff):
    person = services.person_create(centre=centre, by=staff, given_names="Олена", family_name="Коваленко")
    assert "kovalenko" in person.search_text
    assert "коваленко" in person.search_text


def test_person_with_another_centres_family_is_refused(centre, other_centre, staff):
    foreign_family = FamilyFactory(centre=other_centre)
    with pytest.raises(ValidationError) as error:
        services.person_create(centre=centre, by=staff, given_names="A", family_name="B", family=foreign_family)
    assert "family" in error.value.message_dict
    assert Person.objects.for_centre(centre).count() == 0


def test_updating_another_centres_person_is_refused(centre, other_centre, staff):
    person = PersonFactory(centre=other_centre, family_name="Original")
    with pytest.raises(ValidationError):
        services.person_update(centre=centre, by=staff, person=person, family_name="Changed")
    person.refresh_from_db()
    assert person.family_name == "Original"


def test_future_birth_date_and_arrival_before_birth_are_refused(centre, staff):
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        services.person_create(
            centre=centre,
            by=staff,
            given_names="A",
            family_name="B",
            birth_date=tomorrow,
        )
    assert "birth_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.person_create(
            centre=centre,
            by=staff,
            given_names="A",
            family_name="B",
            birth_date=datetime.date(2010, 1, 1),
            arrived_in_germany=datetime.date(2009, 1, 1),
        )
    assert "arrived_in_germany" in error.value.message_dict
    assert Person.objects.for_centre(centre).count() == 0


def test_unknown_codes_and_postcodes_are_refused(centre, staff):
    PostcodeFactory(code="53111")
    with pytest.raises(ValidationError) as error:
        services.person_create(
            centre=centre,
            by=staff,
            given_names="A",
            family_name="B",
            nationalities=["XX"],
            languages=["zz"],
            postcode="99999",
        )
    assert {"nationalities", "languages", "postcode"} <= set(error.value.message_dict)
    person = services.person_create(
        centre=centre,
        by=staff,
        given_names="A",
        family_name="B",
        nationalities=["UA", "UA"],
        languages=["uk", "prs"],
        postcode="53111",
    )
    assert person.nationalities == ["UA"]
    assert person.languages == ["uk", "prs"]


def test_family_references_count_up_per_centre(centre, other_centre, staff):
    first = services.family_create(centre=centre, by=staff)
    second = services.family_create(centre=centre, by=staff)
    elsewhere = services.family_create(centre=other_centre, by=staff)
    year = timezone.localdate().year
    assert first.reference == f"F-{year}-00001"
    assert second.reference == f"F-{year}-00002"
    assert elsewhere.reference == f"F-{year}-00001"


@pytest.mark.django_db(transaction=True)
def test_family_references_stay_unique_under_concurrency(centre, staff):
    references, failures = [], []

    def create() -> None:
        try:
            with centre_scope(centre.pk):  # as the centre's request names it (row-level security)
                references.append(services.family_create(centre=centre, by=staff).reference)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(set(references)) == 6


def test_guardian_relation_across_centres_is_refused(centre, other_centre, staff):
    child = PersonFactory(centre=centre)
    stranger = PersonFactory(centre=other_centre)
    with pytest.raises(ValidationError):
        services.guardian_relation_add(
            centre=centre, by=staff, child=child, guardian=stranger, kind=GuardianKind.MOTHER
        )
    assert not GuardianRelation.objects.for_centre(centre).exists()
    assert not GuardianRelation.objects.for_centre(other_centre).exists()


def test_guardian_relation_add_and_remove(centre, staff):
    child, mother = PersonFactory(centre=centre), PersonFactory(centre=centre)
    relation = services.guardian_relation_add(centre=centre, by=staff, child=child, guardian=mother, kind="mother")
    assert list(GuardianRelation.objects.for_centre(centre).filter(child=child)) == [relation]
    services.guardian_relation_remove(centre=centre, by=staff, relation=relation)
    assert not GuardianRelation.objects.for_centre(centre).exists()


def test_consent_record_and_withdraw(centre, staff):
    person = PersonFactory(centre=centre)
    consent = services.consent_record(
        centre=centre,
        by=staff,
        person=person,
        purpose=Purpose.COURSES,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.consent_record(
            centre=centre,
            by=staff,
            person=person,
            purpose=Purpose.COURSES,
            legal_basis=LegalBasis.CONSENT,
            given_on=datetime.date(2025, 2, 1),
        )
    services.consent_withdraw(centre=centre, by=staff, consent=consent, withdrawn_on=datetime.date(2025, 3, 1))
    assert Consent.objects.for_centre(centre).get().withdrawn_on == datetime.date(2025, 3, 1)
    assert consent.recorded_by == staff


def test_every_write_leaves_a_history_row_naming_the_user(centre, staff):
    person = services.person_create(centre=centre, by=staff, given_names="Amina", family_name="Haidari")
    services.person_update(centre=centre, by=staff, person=person, place="Bonn")
    events = Person.pgh_event_model.objects.filter(pgh_obj_id=person.pk).order_by("pgh_id")
    assert [event.pgh_label for event in events] == ["insert", "update"]
    assert events[1].place == "Bonn"
    assert events[1].pgh_context.metadata["user"] == staff.pk


def test_bulk_update_leaves_history_rows_in_the_same_transaction(centre):
    people = [PersonFactory(centre=centre) for _ in range(3)]
    Person.objects.for_centre(centre).update(place="Köln")
    for person in people:
        assert Person.pgh_event_model.objects.filter(pgh_obj_id=person.pk, pgh_label="update", place="Köln").exists()
    assert Family.pgh_event_model.objects.count() == 0


def test_one_statement_over_many_persons_writes_a_history_row_for_each_row_it_really_changed(centre, staff):
    # The history triggers of persons run once per statement (over its transition tables), not once per row.
    bonn = [PersonFactory(centre=centre, place="Bonn") for _ in range(3)]
    cologne = PersonFactory(centre=centre, place="Köln")
    with pghistory.context(user=staff.pk):
        Person.objects.for_centre(centre).update(place="Köln")
        Person.objects.for_centre(centre).update(place="Köln")  # changes nothing: no history
        Person.objects.for_centre(centre).filter(pk__in=[bonn[0].pk, cologne.pk]).delete()

    events = Person.pgh_event_model.objects.exclude(pgh_label="insert").order_by("pgh_id")
    assert sorted((event.pgh_label, str(event.pgh_obj_id), event.place) for event in events) == sorted(
        [("update", str(person.pk), "Köln") for person in bonn]
        + [("delete", str(bonn[0].pk), "Köln"), ("delete", str(cologne.pk), "Köln")]
    )
    assert {event.pgh_context.metadata["user"] for event in events} == {staff.pk}
    assert len({event.pgh_context_id for event in events}) == 1


def _import_values(**fields):
    values = {name: Person._meta.get_field(name).get_default() for name in services.PERSON_IMPORT_COLUMNS}
    values.update(services.person_values(fields))
    values["search_text"] = search_text_for(values["given_names"], values["family_name"])
    return values


def test_bulk_write_inserts_exactly_the_values_with_a_history_row_each(centre, other_centre, staff):
    new = [
        _import_values(given_names="Olena", family_name="Kovalenko", nationalities=["UA"], languages=["uk", "ru"]),
        _import_values(given_names="Ahmad", family_name="Rahimi", birth_date=datetime.date(2012, 3, 14)),
    ]

    services.persons_bulk_write(centre=centre, by=staff, new=new, changed=[], fields=["given_names", "family_name"])

    stored = {person.family_name: person for person in Person.objects.for_centre(centre).prefetch_related("events")}
    assert set(stored) == {"Kovalenko", "Rahimi"}
    for values in new:
        person = stored[values["family_name"]]
        assert {name: getattr(person, name) for name in services.PERSON_IMPORT_COLUMNS} == values
        assert person.family_id is None
        assert person.created_at == person.updated_at
        [event] = person.events.all()
        assert (event.pgh_label, event.family_name, event.pgh_context.metadata["user"]) == (
            "insert",
            values["family_name"],
            staff.pk,
        )
    assert not Person.objects.for_centre(other_centre).exists()


def test_bulk_write_changes_only_the_named_fields_of_the_centres_persons(centre, other_centre, staff):
    person = PersonFactory(centre=centre, given_names="Olena", family_name="Kovalenko", place="Bonn", phone="0228 1")
    changed = {**_import_values(given_names="Olena", family_name="Kovalenko", place="Köln", phone="0221 2")}
    changed["id"] = person.pk

    services.persons_bulk_write(centre=centre, by=staff, new=[], changed=[changed], fields=["place"])

    person.refresh_from_db()
    assert (person.place, person.phone) == ("Köln", "0228 1")  # the phone was not among the fields
    assert [(event.pgh_label, event.place) for event in person.events.order_by("pgh_id")][-1] == ("update", "Köln")
    assert person.events.order_by("pgh_id").last().pgh_context.metadata["user"] == staff.pk

    foreign = PersonFactory(centre=other_centre, place="Bonn")
    with pytest.raises(ValidationError):
        services.persons_bulk_write(
            centre=centre, by=staff, new=[], changed=[{**changed, "id": foreign.pk}], fields=["place"]
        )
    foreign.refresh_from_db()
    assert foreign.place == "Bonn"
