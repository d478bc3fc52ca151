import pytest

from ankommen.core.scoping import UnscopedQueryError
from ankommen.people.models import Person


@pytest.mark.django_db
def test_centre_owned_rows_cannot_be_read_without_a_centre():
    with pytest.raises(UnscopedQueryError):
        list(Person.objects.all())
    with pytest.raises(UnscopedQueryError):
        Person.objects.filter(family_name="Test").count()
    with pytest.raises(UnscopedQueryError):
        Person.objects.update(place="x")


@pytest.mark.django_db
def test_scoped_query_returns_only_the_centres_rows(centre, other_centre):
    mine = Person.objects.create(centre=centre, given_names="Olena", family_name="Kovalenko")
    Person.objects.create(centre=other_centre, given_names="Ahmad", family_name="Haidari")
    assert list(Person.objects.for_centre(centre)) == [mine]
    assert Person.objects.for_centre(centre).filter(family_name="Haidari").count() == 0


@pytest.mark.django_db
def test_full_clean_checks_unique_constraints_across_centres_without_opening_the_scope(centre):
    from django.core.exceptions import ValidationError

    from ankommen.people.models import Family

    Family.objects.create(centre=centre, reference="F-2026-00001")
    duplicate = Family(centre=centre, reference="F-2026-00001")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    # The check is over, and the scope is closed again.
    with pytest.raises(UnscopedQueryError):
        list(Family.objects.all())
