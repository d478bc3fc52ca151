"""The compliance function: what counts, and the messages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation

from ankommen.staffing.compliance import ComplianceStatus, compliance_check, format_fte
from ankommen.staffing.models import FundingSource

DAY = datetime.date(2024, 6, 1)


@dataclass
class Post:
    fte: Decimal
    funding_source: str
    starts_on: datetime.date = datetime.date(2020, 1, 1)
    ends_on: datetime.date | None = None


@dataclass
class Limit:
    max_state_fte: Decimal
    min_teacher_posts: Decimal


CITY = Limit(Decimal("5.5"), Decimal("2"))


def state(fte: str, **more) -> Post:
    return Post(Decimal(fte), FundingSource.STATE_INTEGRATION, **more)


def teachers(fte: str = "1", **more) -> Post:
    return Post(Decimal(fte), FundingSource.SCHOOL_MINISTRY, **more)


def test_a_centre_within_the_limits_complies():
    posts = [state("1"), state("1"), state("1"), state("0.5"), teachers(), teachers()]
    result = compliance_check(posts=posts, limit=CITY, on=DAY)
    assert result.status == ComplianceStatus.COMPLIES
    assert result.state_fte == Decimal("3.5")
    assert result.teacher_posts == Decimal("2")
    assert result.messages == []


def test_too_many_state_funded_fte_break_the_rule_with_the_figures_in_the_message():
    posts = [state("1") for _ in range(6)] + [teachers(), teachers()]
    with translation.override("en"):
        result = compliance_check(posts=posts, limit=CITY, on=DAY)
    assert result.status == ComplianceStatus.BREACHES
    assert result.messages == ["6.0 state-funded FTE exceed the maximum of 5.5."]
    assert result.excess_state_fte == Decimal("0.5")


def test_too_few_teacher_posts_break_the_rule():
    with translation.override("en"):
        result = compliance_check(posts=[state("1"), teachers()], limit=CITY, on=DAY)
    assert result.messages == ["1 teacher post, at least 2 required."]
    assert result.teacher_shortfall == Decimal("1")


def test_messages_are_german_by_default():
    with translation.override("de"):
        result = compliance_check(posts=[state("1") for _ in range(6)], limit=CITY, on=DAY)
    assert result.messages[0] == "6,0 landesgeförderte VZÄ überschreiten das Maximum von 5,5."
    assert result.messages[1] == "0 Lehrerstellen, mindestens 2 erforderlich."


def test_district_and_programme_posts_are_not_limited_and_district_teachers_do_not_count():
    posts = [
        state("1"),
        Post(Decimal("1"), FundingSource.DISTRICT),
        Post(Decimal("1"), FundingSource.DISTRICT),
        Post(Decimal("1"), FundingSource.PROGRAMME),
        teachers(),
        teachers(),
    ]
    result = compliance_check(posts=posts, limit=Limit(Decimal("1"), Decimal("2")), on=DAY)
    assert result.complies
    assert result.state_fte == Decimal("1")


def test_only_posts_running_on_the_day_count_both_ends_included():
    posts = [
        state("1", ends_on=DAY),
        state("1", starts_on=DAY),
        state("1", ends_on=DAY - datetime.timedelta(days=1)),
        state("1", starts_on=DAY + datetime.timedelta(days=1)),
    ]
    assert compliance_check(posts=posts, limit=CITY, on=DAY).state_fte == Decimal("2")


def test_without_a_rule_nothing_is_judged():
    result = compliance_check(posts=[state("1")], limit=None, on=DAY)
    assert result.status == ComplianceStatus.NO_RULE
    assert result.complies


def test_worse_compares_excess_and_shortfall():
    before = compliance_check(posts=[state("1") for _ in range(6)], limit=CITY, on=DAY)
    after = compliance_check(posts=[state("1") for _ in range(7)], limit=CITY, on=DAY)
    assert after.is_worse_than(before)
    assert not before.is_worse_than(after)


def test_fte_are_written_as_the_rule_states_them():
    with translation.override("en"):
        assert [format_fte(Decimal(v)) for v in ["1", "5.50", "0.75", "6.5"]] == ["1.0", "5.5", "0.75", "6.5"]
