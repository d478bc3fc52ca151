from __future__ import annotations

import unicodedata
from datetime import date
from io import StringIO
from typing import cast

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ankommen.accounts.models import Membership, Role, User
from ankommen.core.models import AccessLogEntry
from ankommen.people.demo.generator import REFERENCE_DATE, SCHOOL_AGE, Address, centre_families, share_by_weight
from ankommen.people.demo.loader import demo_data_load
from ankommen.people.demo.names import ORIGINS, Name, feminine_form
from ankommen.people.demo.users import DEMO_PASSWORD, centre_recorders, demo_users_ensure
from ankommen.people.models import Consent, Family, GuardianRelation, Person, Purpose
from ankommen.people.search import search_text_for
from ankommen.regions.models import Centre, Postcode, SchoolForm
from ankommen.regions.tests.factories import CentreFactory, MunicipalityFactory, SchoolFactory

PER_CENTRE = 40


def _age(birth: date | None) -> int:
    assert birth is not None
    return REFERENCE_DATE.year - birth.year - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (birth.month, birth.day))


def _is_latin(text: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch).startswith("LATIN") for ch in text)


@pytest.fixture
def demo_centres(db) -> list[Centre]:
    koeln = cast(Centre, CentreFactory(slug="koeln", name="Kommunales Integrationszentrum Köln"))
    municipality = MunicipalityFactory(centre=koeln, name="Köln, Stadt", postcode="50667")
    Postcode.objects.create(code="50667", places="Köln", region=koeln.region, latitude=50.9, longitude=6.9)
    Postcode.objects.create(code="50668", places="Köln", region=koeln.region, latitude=50.9, longitude=6.9)
    # A big customer's postcode: no family lives there.
    Postcode.objects.create(code="50600", places="Versicherung AG", region=koeln.region, latitude=50.9, longitude=6.9)
    SchoolFactory(municipality=municipality, form=SchoolForm.GESAMTSCHULE, name="Gesamtschule Test")
    dortmund = cast(Centre, CentreFactory(slug="dortmund", name="Kommunales Integrationszentrum Dortmund"))
    MunicipalityFactory(centre=dortmund, name="Dortmund, Stadt", postcode="44135")
    Postcode.objects.create(code="44135", places="Dortmund", region=dortmund.region, latitude=51.5, longitude=7.4)
    return [koeln, dortmund]


def _seed(**options: object) -> str:
    out = StringIO()
    # The modules' demo data has tests of its own; these tests wipe and reseed the persons.
    call_command("seed_demo", stdout=out, **{"per_centre": PER_CENTRE, "people_only": True, **options})
    return out.getvalue()


def _persons() -> list[Person]:
    return list(Person.objects.dangerously_unscoped().order_by("id"))


def _wipe() -> None:
    Consent.objects.dangerously_unscoped().delete()
    GuardianRelation.objects.dangerously_unscoped().delete()
    Person.objects.dangerously_unscoped().delete()
    Family.objects.dangerously_unscoped().delete()


def test_seed_gives_the_same_people_on_every_run(demo_centres):
    _seed()
    first = [(p.id, p.given_names, p.family_name, p.birth_date, p.postcode) for p in _persons()]
    _wipe()
    _seed()
    second = [(p.id, p.given_names, p.family_name, p.birth_date, p.postcode) for p in _persons()]
    assert len(first) == PER_CENTRE * len(demo_centres)
    assert first == second


def test_another_seed_gives_other_people(demo_centres):
    _seed()
    first = {(p.given_names, p.family_name) for p in _persons()}
    _wipe()
    _seed(seed=7)
    assert {(p.given_names, p.family_name) for p in _persons()} != first


def test_every_person_has_the_search_text_the_services_write(demo_centres):
    _seed()
    for person in _persons():
        assert person.search_text
        assert person.search_text == search_text_for(
            person.given_names, person.family_name, person.given_names_latin, person.family_name_latin
        )


def test_names_in_other_scripts_come_with_a_latin_form(demo_centres):
    _seed(per_centre=300)
    persons = _persons()
    in_script = [p for p in persons if not _is_latin(p.given_names + p.family_name)]
    assert len(in_script) > len(persons) // 3
    for person in in_script:
        assert person.given_names_latin
        assert person.family_name_latin
        assert _is_latin(person.given_names_latin + person.family_name_latin)


def test_guardians_are_adults_and_older_than_their_children(demo_centres):
    _seed(per_centre=200)
    relations = list(GuardianRelation.objects.dangerously_unscoped().select_related("child", "guardian"))
    assert relations
    for relation in relations:
        assert _age(relation.guardian.birth_date) >= 18
        assert _age(relation.child.birth_date) <= 18
        assert _age(relation.guardian.birth_date) - _age(relation.child.birth_date) >= 18
        assert relation.child.family_id == relation.guardian.family_id
        assert relation.centre_id == relation.child.centre_id


def test_most_children_are_of_school_age_and_school_consents_fit_their_age(demo_centres):
    _seed(per_centre=200)
    children = {relation.child for relation in GuardianRelation.objects.dangerously_unscoped().select_related("child")}
    school_age = [child for child in children if _age(child.birth_date) in SCHOOL_AGE]
    assert len(school_age) > len(children) / 2
    consents = list(
        Consent.objects.dangerously_unscoped().filter(purpose=Purpose.SCHOOL_PLACEMENT).select_related("person")
    )
    assert consents
    for consent in consents:
        assert _age(consent.person.birth_date) in SCHOOL_AGE
        assert consent.given_on <= REFERENCE_DATE


def test_consents_are_recorded_by_staff_of_the_same_centre(demo_centres):
    _seed()
    for consent in Consent.objects.dangerously_unscoped():
        assert Membership.objects.filter(
            user_id=consent.recorded_by_id, centre_id=consent.centre_id, role=Role.CENTRE_STAFF
        ).exists()


def test_addresses_use_real_postcodes_of_the_centre_only(demo_centres):
    _seed()
    koeln, dortmund = demo_centres
    assert {p.postcode for p in Person.objects.for_centre(koeln)} <= {"50667", "50668"}
    assert {p.postcode for p in Person.objects.for_centre(dortmund)} == {"44135"}
    assert {f.place for f in Family.objects.for_centre(dortmund)} == {"Dortmund"}


def test_if_empty_does_nothing_when_persons_exist(demo_centres):
    _seed()
    before = _persons()
    output = _seed(if_empty=True)
    assert "exist already" in output
    assert _persons() == before


def test_seeding_twice_without_if_empty_is_refused_and_changes_nothing(demo_centres):
    _seed()
    before = _persons()
    with pytest.raises(CommandError, match="exist already"):
        _seed()
    assert _persons() == before


def test_seed_without_centres_fails_with_a_clear_message(db):
    with pytest.raises(CommandError, match="load_reference_data"):
        _seed()
    assert not User.objects.exists()


def test_demo_users_exist_for_every_role_with_the_demo_password(demo_centres):
    _seed()
    demo_memberships = Membership.objects.filter(user__email__endswith="@demo.ankommen.nrw")
    assert set(demo_memberships.values_list("role", flat=True)) == set(Role.values)
    lead = User.objects.get(email="lead.koeln@demo.ankommen.nrw")
    assert lead.check_password(DEMO_PASSWORD)
    assert lead.password.startswith("argon2")
    school_contact = demo_memberships.get(role=Role.SCHOOL_CONTACT)
    assert school_contact.school is not None
    assert school_contact.school.name == "Gesamtschule Test"


def test_demo_users_are_created_once(demo_centres):
    demo_users_ensure(centres=demo_centres)
    users, memberships = User.objects.count(), Membership.objects.count()
    demo_users_ensure(centres=demo_centres)
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)


def test_print_demo_logins_lists_every_role_and_the_second_factor_note(demo_centres):
    demo_users_ensure(centres=demo_centres)
    out = StringIO()
    call_command("print_demo_logins", stdout=out)
    text = out.getvalue()
    assert "lead.koeln@demo.ankommen.nrw" in text
    assert "analyst@demo.ankommen.nrw" in text
    assert DEMO_PASSWORD in text
    assert "ANKOMMEN_REQUIRE_SECOND_FACTOR" in text


def test_bulk_load_writes_no_history_events_and_keeps_indexes_and_triggers(demo_centres):
    demo_users_ensure(centres=demo_centres)
    summary = demo_data_load(
        centres=demo_centres, persons=[30, 30], recorders=centre_recorders(demo_centres), seed=1, bulk=True
    )
    assert summary.persons == 60
    assert not Person.pgh_event_model.objects.exists()  # type: ignore[attr-defined]
    # The triggers are back on afterwards: a later change leaves its history row.
    person = Person.objects.for_centre(demo_centres[0]).first()
    assert person is not None
    Person.objects.for_centre(demo_centres[0]).filter(pk=person.pk).update(phone="0221 000000")
    assert Person.pgh_event_model.objects.filter(pgh_obj_id=person.pk, pgh_label="update").exists()  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [Person._meta.db_table])
        assert {"person_search_trgm", "person_centre_name"} <= {row[0] for row in cursor.fetchall()}
    assert not AccessLogEntry.objects.exists()


def test_small_load_keeps_a_created_history_entry_per_person(demo_centres):
    _seed()
    assert Person.pgh_event_model.objects.filter(pgh_label="insert").count() == len(_persons())  # type: ignore[attr-defined]


def test_families_fill_the_centre_exactly():
    families = list(centre_families(seed=3, centre_slug="x", persons=501, addresses=[Address("50667", "Köln")]))
    assert sum(len(family.persons) for family in families) == 501
    assert len({family.reference for family in families}) == len(families)


def test_share_by_weight_adds_up_exactly():
    assert sum(share_by_weight(1_000_000, [1_087_353, 252_769, 134_332])) == 1_000_000


def test_slavic_family_names_have_their_feminine_form():
    assert feminine_form(Name("Ковальський", "Kovalskyi")) == Name("Ковальська", "Kovalska")
    assert feminine_form(Name("Иванов", "Ivanov")) == Name("Иванова", "Ivanova")
    assert feminine_form(Name("Шевченко", "Shevchenko")) == Name("Шевченко", "Shevchenko")


def test_every_origin_has_thirty_names_of_each_kind():
    for origin in ORIGINS:
        assert min(len(origin.male), len(origin.female), len(origin.family)) >= 30, origin.country
