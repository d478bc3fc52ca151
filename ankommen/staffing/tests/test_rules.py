"""Funding rules are versioned data: one chain without gaps or overlaps, edited by the state analysts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from ankommen.accounts.models import Role
from ankommen.core.tests.form_fields import opened_version
from ankommen.regions.models import RegionKind
from ankommen.staffing import services
from ankommen.staffing.models import FundingRule, FundingRuleLimit
from ankommen.staffing.selectors import limit_in_force, rules

pytestmark = pytest.mark.django_db

LATER = datetime.date(2022, 1, 1)


def limits(maximum: str = "7", minimum: str = "2") -> dict[str, tuple[Decimal, Decimal]]:
    return {kind: (Decimal(maximum), Decimal(minimum)) for kind in RegionKind.values}


def chain() -> list[tuple[datetime.date, datetime.date | None]]:
    return [(rule.valid_from, rule.valid_until) for rule in rules()]


def test_the_data_migration_seeds_the_build_up_rule_and_the_later_rule():
    assert chain() == [(datetime.date(2013, 1, 1), LATER - datetime.timedelta(days=1)), (LATER, None)]
    on_old = datetime.date(2016, 6, 1)
    on_new = datetime.date(2024, 6, 1)
    for kind in RegionKind.values:
        assert limit_in_force(region_kind=kind, on=on_old).max_state_fte == Decimal("3.5")
        assert limit_in_force(region_kind=kind, on=on_old).min_teacher_posts == Decimal("2")
        assert limit_in_force(region_kind=kind, on=on_new).min_teacher_posts == Decimal("2")
    assert limit_in_force(region_kind=RegionKind.CITY, on=on_new).max_state_fte == Decimal("5.5")
    assert limit_in_force(region_kind=RegionKind.DISTRICT, on=on_new).max_state_fte == Decimal("6.5")
    assert limit_in_force(region_kind=RegionKind.CITY_REGION, on=on_new).max_state_fte == Decimal("6.5")
    assert limit_in_force(region_kind=RegionKind.CITY, on=datetime.date(2012, 12, 31)) is None


def _update(rule: FundingRule, valid_from: datetime.date) -> FundingRule:
    current = {limit.region_kind: (limit.max_state_fte, limit.min_teacher_posts) for limit in rule.limits.all()}
    return services.rule_update(rule=rule, by=None, name=rule.name, valid_from=valid_from, limits=current)


def test_moving_the_later_rules_start_moves_the_end_of_the_earlier_rule():
    later = rules()[-1]
    _update(later, datetime.date(2021, 7, 1))
    assert chain() == [(datetime.date(2013, 1, 1), datetime.date(2021, 6, 30)), (datetime.date(2021, 7, 1), None)]
    _update(later, datetime.date(2023, 3, 1))
    assert chain() == [(datetime.date(2013, 1, 1), datetime.date(2023, 2, 28)), (datetime.date(2023, 3, 1), None)]
    assert limit_in_force(region_kind=RegionKind.CITY, on=datetime.date(2022, 6, 1)).max_state_fte == Decimal("3.5")


def test_a_start_before_the_earlier_rules_start_is_refused_and_nothing_changes():
    later = rules()[-1]
    with pytest.raises(ValidationError) as error:
        _update(later, datetime.date(2013, 1, 1))
    assert "valid_from" in error.value.message_dict
    assert chain()[1] == (LATER, None)


def test_a_start_after_the_next_rules_start_is_refused():
    services.rule_create(by=None, name="Neu", valid_from=datetime.date(2025, 1, 1), limits=limits())
    middle = rules()[1]
    with pytest.raises(ValidationError):
        _update(middle, datetime.date(2025, 1, 2))
    assert chain()[1] == (LATER, datetime.date(2024, 12, 31))


def test_a_new_rule_cuts_the_rule_in_force_on_its_start():
    services.rule_create(by=None, name="Ab 2026", valid_from=datetime.date(2026, 1, 1), limits=limits("8"))
    assert chain()[-2:] == [(LATER, datetime.date(2025, 12, 31)), (datetime.date(2026, 1, 1), None)]
    services.rule_create(by=None, name="Zwischenregel", valid_from=datetime.date(2024, 1, 1), limits=limits("6"))
    assert chain()[1:] == [
        (LATER, datetime.date(2023, 12, 31)),
        (datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2026, 1, 1), None),
    ]
    assert services.rule_chain_problems() == []
    assert FundingRuleLimit.objects.filter(rule__name="Zwischenregel").count() == len(RegionKind.values)


def test_a_rule_before_every_rule_ends_where_the_first_begins():
    services.rule_create(by=None, name="Vorläufer", valid_from=datetime.date(2012, 1, 1), limits=limits("2"))
    assert chain()[0] == (datetime.date(2012, 1, 1), datetime.date(2012, 12, 31))


def test_a_second_rule_on_the_same_day_is_refused():
    with pytest.raises(ValidationError):
        services.rule_create(by=None, name="Doppelt", valid_from=LATER, limits=limits())
    assert len(chain()) == 2


def test_a_rule_needs_limits_for_every_kind_of_district():
    partial = {RegionKind.CITY.value: (Decimal("5"), Decimal("2"))}
    with pytest.raises(ValidationError):
        services.rule_create(by=None, name="Halb", valid_from=datetime.date(2030, 1, 1), limits=partial)
    assert len(chain()) == 2


def _overlap_and_check() -> None:
    FundingRule.objects.create(name="Überlappt", valid_from=datetime.date(2020, 1, 1), valid_until=None)
    # The constraint is deferred to the end of the transaction; check it now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_database_refuses_overlapping_rules():
    with pytest.raises(IntegrityError), transaction.atomic():
        _overlap_and_check()


def test_chain_problems_name_gaps_and_an_ended_last_rule():
    first, later = rules()
    first.valid_until = datetime.date(2020, 1, 1)
    later.valid_until = datetime.date(2030, 1, 1)
    problems = services.rule_chain_problems([first, later])
    assert len(problems) == 2


def test_rules_page_lists_the_rules_for_the_state_and_only_analysts_may_change_them(make_member, login):
    analyst = login(make_member(Role.STATE_ANALYST))
    researcher = login(make_member(Role.RESEARCHER))
    page = analyst.get("/stellen/regeln/")
    assert page.status_code == 200
    assert "Aufbauphase" in page.content.decode()
    assert "/stellen/regeln/neu/" in page.content.decode()
    assert "/stellen/regeln/neu/" not in researcher.get("/stellen/regeln/").content.decode()
    later = rules()[-1]
    assert researcher.get(f"/stellen/regeln/{later.pk}/bearbeiten/").status_code == 403


def _rule_post(rule: FundingRule, valid_from: str) -> dict[str, str]:
    data = {"name": rule.name, "valid_from": valid_from}
    for limit in rule.limits.all():
        data[f"max_state_fte_{limit.region_kind}"] = str(limit.max_state_fte)
        data[f"min_teacher_posts_{limit.region_kind}"] = str(limit.min_teacher_posts)
    return data


def test_an_analyst_moves_the_later_rules_start_on_the_page(make_member, login):
    analyst = login(make_member(Role.STATE_ANALYST))
    later = rules()[-1]
    url = f"/stellen/regeln/{later.pk}/bearbeiten/"
    response = analyst.post(url, {**_rule_post(later, "2020-08-01"), **opened_version(analyst, url)})
    assert response.status_code == 302
    assert chain() == [(datetime.date(2013, 1, 1), datetime.date(2020, 7, 31)), (datetime.date(2020, 8, 1), None)]
    assert later.events.count() >= 2  # history of the change


def test_a_start_before_the_earlier_rule_is_refused_on_the_page_with_a_message(make_member, login):
    analyst = login(make_member(Role.STATE_ANALYST))
    later = rules()[-1]
    url = f"/stellen/regeln/{later.pk}/bearbeiten/"
    response = analyst.post(url, {**_rule_post(later, "2010-01-01"), **opened_version(analyst, url)})
    assert response.status_code == 400
    assert "Beginn der früheren Regel" in response.content.decode()
    assert chain()[1] == (LATER, None)


def test_an_analyst_adds_a_rule_on_the_page(make_member, login):
    analyst = login(make_member(Role.STATE_ANALYST))
    data = {"name": "Ab 2027", "valid_from": "2027-01-01"}
    for kind in RegionKind.values:
        data[f"max_state_fte_{kind}"] = "7.5"
        data[f"min_teacher_posts_{kind}"] = "2"
    assert analyst.post("/stellen/regeln/neu/", data).status_code == 302
    assert chain()[-1] == (datetime.date(2027, 1, 1), None)
