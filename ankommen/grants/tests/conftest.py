import pytest

from ankommen.accounts.models import Role
from ankommen.grants.tests import factories


@pytest.fixture
def lead(make_member, centre):
    return make_member(Role.CENTRE_LEAD, centre=centre)


@pytest.fixture
def funded(centre):
    """The centre with a KOMM-AN allocation of 20,000 € this year (budget 100,000 €)."""
    return factories.allocation(centre, "20000")
