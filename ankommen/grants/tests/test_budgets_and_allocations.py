"""The state sets budgets and allocates them; the sum of a year's allocations never exceeds the budget."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ankommen.grants import services
from ankommen.grants.models import Allocation, Programme, ProgrammeBudget
from ankommen.grants.tests import factories
from ankommen.regions.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db
YEAR = factories.THIS_YEAR


def test_komm_an_is_there_from_the_data_migration():
    programme = Programme.objects.get(key="komm-an-nrw")
    assert programme.name == "KOMM-AN NRW"
    assert programme.is_active


def test_allocations_up_to_the_budget_are_accepted_and_one_more_euro_is_refused(centre, other_centre):
    factories.budget("50000")
    programme = factories.komm_an()
    by = factories.analyst()
    services.allocation_set(programme=programme, year=YEAR, centre=centre, amount=Decimal("30000"), by=by)
    services.allocation_set(programme=programme, year=YEAR, centre=other_centre, amount=Decimal("20000"), by=by)
    third = CentreFactory()
    with pytest.raises(ValidationError) as refused:
        services.allocation_set(programme=programme, year=YEAR, centre=third, amount=Decimal("1"), by=by)
    assert "über die Haushaltsmittel" in str(refused.value)
    assert not Allocation.objects.for_centre(third).exists()


def test_changing_an_allocation_counts_the_others_only(centre, other_centre):
    factories.budget("50000")
    programme = factories.komm_an()
    by = factories.analyst()
    services.allocation_set(programme=programme, year=YEAR, centre=centre, amount=Decimal("30000"), by=by)
    services.allocation_set(programme=programme, year=YEAR, centre=other_centre, amount=Decimal("20000"), by=by)
    changed = services.allocation_set(programme=programme, year=YEAR, centre=centre, amount=Decimal("25000"), by=by)
    assert changed.amount == Decimal("25000.00")
    assert Allocation.objects.for_centre(centre).count() == 1


def test_an_allocation_needs_a_budget_of_that_year(centre):
    with pytest.raises(ValidationError) as refused:
        services.allocation_set(
            programme=factories.komm_an(), year=YEAR, centre=centre, amount=Decimal("10"), by=factories.analyst()
        )
    assert "noch keine Haushaltsmittel" in str(refused.value)


def test_a_budget_cannot_fall_below_what_is_allocated(centre):
    factories.allocation(centre, "40000", budget_amount="50000")
    with pytest.raises(ValidationError) as refused:
        factories.budget("39999.99")
    assert "schon zugewiesen" in str(refused.value)
    assert ProgrammeBudget.objects.get(year=YEAR).amount == Decimal("50000.00")


def test_an_allocation_cannot_fall_below_what_the_centre_has_granted(centre, staff):
    factories.allocation(centre, "20000")
    factories.approved(centre, staff, amount="8000", requested="8000")
    with pytest.raises(ValidationError) as refused:
        factories.allocation(centre, "7999")
    assert "schon 8.000,00 € bewilligt" in str(refused.value)


def test_amounts_with_fractions_of_cents_and_far_years_are_refused(centre):
    with pytest.raises(ValidationError):
        factories.budget("100.001")
    with pytest.raises(ValidationError):
        factories.budget("100", year=YEAR + 40)
