# mypy: disable-error-code="attr-defined"

import datetime

import pytest

from ankommen.people import services
from ankommen.people.selectors import AgeGroup, PersonFilters, person_list

pytestmark = pytest.mark.django_db


def _names(persons):
    return {person.family_name for person in persons}


@pytest.fixture
def people(centre, other_centre, staff):
    make = services.person_create
    return {
        "kovalenko": make(
            centre=centre,
            by=staff,
            given_names="Олена",
            family_name="Коваленко",
            nationalities=["UA"],
            languages=["uk"],
            birth_date=datetime.date(2014, 3, 1),
            arrived_in_germany=datetime.date(2022, 3, 10),
        ),
        "yilmaz": make(
            centre=centre,
            by=staff,
            given_names="Ayşe",
            family_name="Yılmaz",
            nationalities=["TR"],
            birth_date=datetime.date(1985, 1, 1),
            arrived_in_germany=datetime.date(2019, 6, 1),
        ),
        "mueller": make(
            centre=centre, by=staff, given_names="Jürgen", family_name="Müller", place="Bonn", gender="male"
        ),
        "foreign": make(centre=other_centre, by=staff, given_names="Olena", family_name="Kovalenko"),
    }


def test_search_transliterates_cyrillic_names(centre, people):
    assert _names(person_list(centre=centre, query="Kovalenko")) == {"Коваленко"}
    assert _names(person_list(centre=centre, query="коваленко")) == {"Коваленко"}


def test_search_ignores_accents_and_case(centre, people):
    assert _names(person_list(centre=centre, query="yilmaz")) == {"Yılmaz"}
    assert _names(person_list(centre=centre, query="MULLER")) == {"Müller"}
    assert _names(person_list(centre=centre, query="ayse yilm")) == {"Yılmaz"}


def test_every_word_must_match(centre, people):
    assert _names(person_list(centre=centre, query="Ayşe Müller")) == set()


def test_address_words_are_found_by_german_full_text_search(centre, people):
    assert _names(person_list(centre=centre, query="Jürgen Bonn")) == {"Müller"}


def test_other_centres_persons_never_appear(centre, other_centre, people):
    assert _names(person_list(centre=centre, query="Olena")) == {"Коваленко"}
    assert people["foreign"].pk not in {p.pk for p in person_list(centre=centre)}


def test_filters(centre, people):
    assert _names(person_list(centre=centre, filters=PersonFilters(nationality="TR"))) == {"Yılmaz"}
    assert _names(person_list(centre=centre, filters=PersonFilters(language="uk"))) == {"Коваленко"}
    assert _names(person_list(centre=centre, filters=PersonFilters(age_group=AgeGroup.CHILD))) == {"Коваленко"}
    assert _names(person_list(centre=centre, filters=PersonFilters(age_group=AgeGroup.ADULT))) == {"Yılmaz"}
    assert _names(person_list(centre=centre, filters=PersonFilters(arrival_year=2019))) == {"Yılmaz"}
    assert _names(person_list(centre=centre, filters=PersonFilters(gender="male"))) == {"Müller"}


def test_best_match_comes_first(centre, staff, people):
    services.person_create(centre=centre, by=staff, given_names="Anna", family_name="Kovalenkova-Schmidt")
    assert next(iter(person_list(centre=centre, query="Kovalenko"))).family_name == "Коваленко"


def test_likely_duplicates_find_the_same_child_in_another_spelling_and_only_in_the_centre(centre, other_centre):
    from ankommen.people.selectors import likely_duplicates
    from ankommen.people.tests.factories import PersonFactory

    born = datetime.date(2015, 4, 2)
    same = PersonFactory(centre=centre, given_names="Олена", family_name="Коваленко", birth_date=born)
    PersonFactory(centre=centre, given_names="Olena", family_name="Kovalenko", birth_date=datetime.date(2010, 1, 1))
    PersonFactory(centre=other_centre, given_names="Olena", family_name="Kovalenko", birth_date=born)
    PersonFactory(centre=centre, given_names="Ahmad", family_name="Haidari", birth_date=born)
    found = likely_duplicates(centre=centre, given_names="Olena", family_name="Kovalenko", birth_date=born)
    assert found == [same]
