import pytest

from ankommen.accounts.models import Role
from ankommen.work.tests import factories


@pytest.fixture
def employer(centre):
    return factories.employer(centre)


@pytest.fixture
def employer_user(employer):
    return factories.employer_contact(employer)


@pytest.fixture
def employer_client(login, employer_user):
    return login(employer_user)


@pytest.fixture
def lead(make_member, centre):
    return make_member(Role.CENTRE_LEAD, centre=centre)
