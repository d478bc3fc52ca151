"""The start page tells a centre whether its staff posts comply with the funding rule in force, and the state how
many centres do not."""

from __future__ import annotations

import pytest

from ankommen.accounts.models import Role
from ankommen.regions.models import RegionKind
from ankommen.regions.tests.factories import CentreFactory
from ankommen.staffing.tests.factories import StaffPostFactory, teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def breaching():
    """A city's centre with 6 state-funded FTE (at most 5.5) and one teacher post (at least 2)."""
    centre = CentreFactory(region__kind=RegionKind.CITY, name="KI Stadt")
    for _ in range(6):
        StaffPostFactory(centre=centre)
    teacher(centre)
    return centre


@pytest.fixture
def complying():
    centre = CentreFactory(region__kind=RegionKind.DISTRICT, name="KI Kreis")
    StaffPostFactory(centre=centre)
    teacher(centre)
    teacher(centre)
    return centre


@pytest.mark.parametrize("role", [Role.CENTRE_LEAD, Role.CENTRE_STAFF, Role.CENTRE_TEACHER])
def test_a_breaching_centre_reads_the_broken_rule_on_its_start_page(make_member, login, breaching, role):
    content = login(make_member(role, centre=breaching)).get("/").content.decode()
    assert "Stellen und Förderregel" in content
    assert "verstoßen gegen die am" in content
    assert "6,0 landesgeförderte VZÄ überschreiten das Maximum von 5,5" in content
    assert 'href="/stellen/"' in content


def test_a_complying_centre_reads_that_it_complies(make_member, login, complying):
    content = login(make_member(Role.CENTRE_LEAD, centre=complying)).get("/").content.decode()
    assert "Die Stellen entsprechen der am" in content
    assert "kern-alert--danger" not in content


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER])
def test_the_state_reads_how_many_centres_break_the_rule(make_member, login, breaching, complying, role):
    content = login(make_member(role)).get("/").content.decode()
    assert "1 von 2 Zentren verstößt gegen die am" in content
    assert 'href="/stellen/land/"' in content


def test_the_state_reads_that_every_centre_complies(make_member, login, complying):
    content = login(make_member(Role.STATE_ANALYST)).get("/").content.decode()
    assert "Jedes Zentrum hält die am" in content
