from __future__ import annotations

import datetime
from dataclasses import fields

import pytest
from django.utils import timezone

from ankommen.people.models import Consent, Family, LegalBasis, Person, Purpose
from ankommen.regions.models import Centre
from ankommen.regions.tests.factories import CentreFactory
from ankommen.reporting.selectors import (
    CentreRow,
    PublishedCount,
    adult_birth_date_cutoff,
    centre_figures,
    state_centre_table,
)

pytestmark = pytest.mark.django_db


def add_persons(centre, *, adults: int = 0, children: int = 0, family: Family | None = None) -> list[Person]:
    today = timezone.localdate()
    created = []
    for index in range(adults + children):
        birth_year = today.year - (40 if index < adults else 8)
        created.append(
            Person.objects.create(
                centre=centre,
                family=family,
                given_names=f"Test {index}",
                family_name="Beispiel",
                birth_date=datetime.date(birth_year, 3, 1),
            )
        )
    return created


def test_centre_figures_count_only_the_centres_own_records(centre, other_centre, staff):
    family = Family.objects.create(centre=centre, reference="F-1")
    add_persons(centre, adults=2, children=3, family=family)
    placed = add_persons(centre, children=1)[0]
    Consent.objects.create(
        centre=centre,
        person=placed,
        purpose=Purpose.SCHOOL_PLACEMENT,
        legal_basis=LegalBasis.CONSENT,
        given_on=timezone.localdate(),
        recorded_by=staff,
    )
    add_persons(other_centre, adults=7, children=7)
    Family.objects.create(centre=other_centre, reference="F-1")

    figures = centre_figures(centre=centre)

    assert figures.persons == 6
    assert figures.families == 1
    assert figures.children == 4
    assert figures.persons_without_school_basis == 5
    assert figures.persons_changed_recently == 6
    assert figures.families_changed_recently == 1


def test_a_withdrawn_consent_does_not_count_as_a_basis_for_school_placement(centre, staff):
    person = add_persons(centre, children=1)[0]
    Consent.objects.create(
        centre=centre,
        person=person,
        purpose=Purpose.SCHOOL_PLACEMENT,
        legal_basis=LegalBasis.CONSENT,
        given_on=timezone.localdate(),
        withdrawn_on=timezone.localdate(),
        recorded_by=staff,
    )
    assert centre_figures(centre=centre).persons_without_school_basis == 1


def test_old_changes_are_not_counted_as_recent(centre):
    person = add_persons(centre, adults=1)[0]
    Person.objects.for_centre(centre).filter(pk=person.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert centre_figures(centre=centre).persons_changed_recently == 0


def test_state_table_lists_every_centre_with_suppressed_small_counts():
    large: Centre = CentreFactory.create(name="A Zentrum", population_served=200_000)
    medium: Centre = CentreFactory.create(name="B Zentrum")
    small: Centre = CentreFactory.create(name="C Zentrum", population_served=100_000)
    empty: Centre = CentreFactory.create(name="D Zentrum")
    add_persons(large, adults=40, children=20)
    add_persons(medium, adults=20, children=10)
    add_persons(small, adults=1, children=2)

    table = state_centre_table()

    rows = {row.centre_name: row for row in table.rows}
    assert set(rows) == {large.name, medium.name, small.name, empty.name}
    assert rows[large.name].persons == PublishedCount(shown=60, status="published")
    assert rows[large.name].persons_per_10000 == pytest.approx(3.0)
    assert rows[small.name].persons == PublishedCount(shown=None, status="primary")
    assert rows[small.name].children == PublishedCount(shown=None, status="primary")
    # The rate would give the count back, so it is hidden with it.
    assert rows[small.name].persons_per_10000 is None
    assert rows[empty.name].persons == PublishedCount(shown=0, status="published")
    # The state total minus the published rows would reveal the small centre, so the next
    # smallest count is hidden too.
    assert table.persons == PublishedCount(shown=93, status="published")
    assert rows[medium.name].persons == PublishedCount(shown=None, status="secondary")
    assert rows[medium.name].children == PublishedCount(shown=None, status="secondary")
    assert rows[medium.name].persons_per_10000 is None


def test_state_table_holds_aggregates_only():
    centre = CentreFactory()
    add_persons(centre, adults=10, children=10)
    table = state_centre_table()
    assert {field.name for field in fields(CentreRow)} == {
        "centre_name",
        "district",
        "inhabitants",
        "persons",
        "children",
        "persons_per_10000",
    }
    for row in table.rows:
        assert isinstance(row.persons, PublishedCount)
        assert not any(isinstance(value, Person) for value in vars(row).values())


def test_adult_cutoff_handles_the_leap_day():
    assert adult_birth_date_cutoff(datetime.date(2024, 2, 29)) == datetime.date(2006, 2, 28)
    assert adult_birth_date_cutoff(datetime.date(2025, 6, 1)) == datetime.date(2007, 6, 1)
