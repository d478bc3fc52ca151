import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ankommen.core.pagination import counted_page
from ankommen.people.models import Person
from ankommen.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_page_and_its_total_come_from_one_query(centre):
    PersonFactory.create_batch(7, centre=centre)
    persons = Person.objects.for_centre(centre).order_by("family_name", "id")
    with CaptureQueriesContext(connection) as queries:
        page = counted_page(persons, "2", 3)
        names = [person.pk for person in page.object_list]
        assert page.paginator.count == 7
        assert page.paginator.num_pages == 3
        assert page.has_next()
        assert page.has_previous()
    assert len(queries) == 1
    assert names == [person.pk for person in persons[3:6]]


@pytest.mark.parametrize(("number", "expected_page"), [("x", 1), ("0", 1), ("-3", 1), ("99", 3), (None, 1)])
def test_odd_page_numbers_give_a_real_page(centre, number, expected_page):
    PersonFactory.create_batch(7, centre=centre)
    page = counted_page(Person.objects.for_centre(centre).order_by("id"), number, 3)
    assert page.number == expected_page
    assert len(page.object_list) == (1 if expected_page == 3 else 3)


def test_no_matches_is_an_empty_first_page(centre):
    page = counted_page(Person.objects.for_centre(centre).order_by("id"), "1", 3)
    assert page.paginator.count == 0
    assert list(page.object_list) == []
