"""The state's view: all centres, numbers and flags, never an employee's name."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from ankommen.accounts.models import Role
from ankommen.regions.models import RegionKind
from ankommen.regions.tests.factories import CentreFactory
from ankommen.staffing import figures, services
from ankommen.staffing.compliance import ComplianceStatus
from ankommen.staffing.models import FundingSource, StaffFunction
from ankommen.staffing.tests.factories import StaffPostFactory, teacher

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 1)


@pytest.fixture
def centres():
    city = CentreFactory(region__kind=RegionKind.CITY, name="KI Stadt")
    district = CentreFactory(region__kind=RegionKind.DISTRICT, name="KI Kreis")
    for _ in range(6):
        StaffPostFactory(centre=city, filled_by="Geheimer Name")
        StaffPostFactory(centre=district, filled_by="Geheimer Name")
    teacher(city)
    teacher(district)
    teacher(district, fte=Decimal("0.5"), filled_by="", vacant_since=datetime.date(2024, 1, 1))
    StaffPostFactory(centre=district, funding_source=FundingSource.DISTRICT, fte=Decimal("0.5"))
    StaffPostFactory(
        centre=district,
        funding_source=FundingSource.PROGRAMME,
        programme_name="KOMM-AN NRW",
        function=StaffFunction.OTHER,
        fte=Decimal("0.75"),
        ends_on=datetime.date(2024, 5, 31),
    )
    services.post_create(
        centre=district,
        by=None,
        justification="Übergang",
        title="Zusätzliche Koordination",
        function=StaffFunction.COORDINATION,
        fte=Decimal("1"),
        funding_source=FundingSource.STATE_INTEGRATION,
        filled_by="Geheimer Name",
        starts_on=datetime.date(2024, 1, 1),
    )
    return city, district


def test_fte_by_source_counts_the_posts_running_on_the_day(centres):
    _city, district = centres
    assert figures.fte_by_source(centre=district, on=DAY) == {
        "state_integration": Decimal("7"),
        "school_ministry": Decimal("1.5"),
        "district": Decimal("0.5"),
        "programme": Decimal("0"),
    }
    assert figures.fte_by_source(centre=district, on=datetime.date(2024, 5, 31))["programme"] == Decimal("0.75")


def test_the_state_table_has_every_centre_with_compliance_and_flags(centres):
    CentreFactory(name="KI ohne Stellen")
    rows = {row.centre_name: row for row in figures.state_fte_table(on=DAY)}
    assert set(rows) >= {"KI Stadt", "KI Kreis", "KI ohne Stellen"}
    assert rows["KI Stadt"].compliance.status == ComplianceStatus.BREACHES
    assert rows["KI Stadt"].max_state_fte == Decimal("5.5")
    assert len(rows["KI Stadt"].compliance.messages) == 2  # 6 > 5.5, and one teacher post only
    assert rows["KI Kreis"].max_state_fte == Decimal("6.5")
    assert rows["KI Kreis"].flagged_posts == 1
    assert rows["KI Kreis"].vacant_fte == Decimal("0.5")
    assert rows["KI Kreis"].teacher_posts == Decimal("1.5")
    assert rows["KI ohne Stellen"].total_fte == Decimal("0")


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER])
def test_state_roles_see_the_table_and_a_centres_posts_without_names(make_member, login, centres, role):
    _city, district = centres
    client = login(make_member(role))
    table = client.get("/stellen/land/?on=2024-06-01")
    assert table.status_code == 200
    content = table.content.decode()
    assert "KI Kreis" in content
    assert "KI Stadt" in content
    assert "6,0 landesgeförderte VZÄ überschreiten das Maximum von 5,5" in content
    assert "Geheimer Name" not in content
    detail = client.get(f"/stellen/land/{district.slug}/?on=2024-06-01").content.decode()
    assert "Zusätzliche Koordination" in detail
    assert "Übergang" in detail  # the justification is addressed to the state
    assert "Geheimer Name" not in detail
    for fmt in ("csv", "xlsx"):
        export = client.get(f"/stellen/land/export/{fmt}/?on=2024-06-01")
        assert export.status_code == 200
        assert b"Geheimer Name" not in export.content
    assert "KI Kreis" in client.get("/stellen/land/export/csv/").content.decode("utf-8-sig")


def test_centre_roles_do_not_reach_the_state_view(make_member, login, centres):
    city, _district = centres
    for role in (Role.CENTRE_LEAD, Role.CENTRE_STAFF):
        client = login(make_member(role, centre=city))
        assert client.get("/stellen/land/").status_code == 403
        assert client.get(f"/stellen/land/{city.slug}/").status_code == 403
        assert client.get("/stellen/regeln/").status_code == 403
