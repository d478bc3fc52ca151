"""Writes of the staffing module: staff posts (with the justification a rule-breaking entry needs) and the funding
rule's versions (one chain without gaps or overlaps). Each runs in one transaction and leaves history rows."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ankommen.regions.models import RegionKind
from ankommen.staffing.compliance import compliance_check
from ankommen.staffing.models import FundingRule, FundingRuleLimit, StaffPost
from ankommen.staffing.selectors import limit_on, limits_of_kind

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre

ONE_DAY = datetime.timedelta(days=1)
POST_FIELDS = (
    "title",
    "function",
    "fte",
    "funding_source",
    "programme_name",
    "filled_by",
    "vacant_since",
    "starts_on",
    "ends_on",
)


# --- staff posts ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    start: datetime.date
    end: datetime.date | None  # None: open-ended

    def holds(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _window_of(*posts: StaffPost) -> _Window:
    ends = [p.ends_on for p in posts]
    return _Window(start=min(p.starts_on for p in posts), end=None if None in ends else max(ends))  # type: ignore[type-var]


@dataclass(frozen=True)
class RuleCheck:
    # The days (one per stretch that stays the same) on which the write makes the breach worse, with the messages.
    worse: list[tuple[datetime.date, list[str]]]
    # Whether the centre breaks the rule on some day of the window after the write, worse or not.
    breaks_after: bool


def rule_check(*, centre: Centre, before: list[StaffPost], after: list[StaffPost], window: _Window) -> RuleCheck:
    """Compare the centre's posts `before` and `after` a write on every day in `window` where something changes. A
    write that leaves a breach as it was (an unrelated post, a correction of a name) makes nothing worse."""
    limits = limits_of_kind(region_kind=centre.region.kind)
    days = {window.start}
    for post in [*before, *after]:
        days.add(post.starts_on)
        if post.ends_on is not None:
            days.add(post.ends_on + ONE_DAY)
    days.update(limit.rule.valid_from for limit in limits)
    worse: list[tuple[datetime.date, list[str]]] = []
    breaks_after = False
    for day in sorted(d for d in days if window.holds(d)):
        limit = limit_on(limits, day)
        then = compliance_check(posts=after, limit=limit, on=day)
        breaks_after = breaks_after or not then.complies
        is_worse = then.is_worse_than(compliance_check(posts=before, limit=limit, on=day))
        if is_worse and (not worse or worse[-1][1] != then.messages):
            worse.append((day, then.messages))
    return RuleCheck(worse=worse, breaks_after=breaks_after)


def breach_text(breaches: list[tuple[datetime.date, list[str]]]) -> str:
    return " ".join(
        _("From %(day)s: %(messages)s") % {"day": date_format(day, "SHORT_DATE_FORMAT"), "messages": " ".join(messages)}
        for day, messages in breaches[:3]
    )


def _save_post(*, post: StaffPost, previous: StaffPost | None, by: User | None, justification: str) -> StaffPost:
    post.title = post.title.strip()
    post.filled_by = post.filled_by.strip()
    post.programme_name = post.programme_name.strip()
    post.full_clean(exclude=["justification", "breaks_rule", "rule_breach"])
    others = list(StaffPost.objects.for_centre(post.centre).exclude(pk=post.pk))
    before = [*others, previous] if previous is not None else others
    window = _window_of(post, previous) if previous is not None else _window_of(post)
    check = rule_check(centre=post.centre, before=before, after=[*others, post], window=window)
    justification = justification.strip()
    if check.worse:
        if not justification:
            message = _("This entry breaks the funding rule in force. %(breach)s Give a justification to save it.") % {
                "breach": breach_text(check.worse)
            }
            raise ValidationError({"justification": ValidationError(message, code="justification_required")})
        post.breaks_rule, post.rule_breach, post.justification = True, breach_text(check.worse), justification
    elif post.breaks_rule and check.breaks_after:
        # A flagged entry stays flagged while the breach it was saved with lasts; its justification may be updated.
        post.justification = justification or post.justification
    else:
        post.breaks_rule, post.rule_breach, post.justification = False, "", ""
    post.full_clean()
    with pghistory.context(user=by.pk if by else None):
        post.save()
    return post


@transaction.atomic
def post_create(*, centre: Centre, by: User | None, justification: str = "", **fields: Any) -> StaffPost:
    """A new post. `by` is None only for demo data and imports. Raises ValidationError with code
    "justification_required" on the field `justification` when the post breaks the rule and none was given."""
    if unknown := set(fields) - set(POST_FIELDS):
        raise TypeError(f"Unknown staff post fields: {sorted(unknown)}")
    fields.setdefault("programme_name", "")
    fields.setdefault("filled_by", "")
    _lock_centre(centre)
    return _save_post(post=StaffPost(centre=centre, **fields), previous=None, by=by, justification=justification)


@transaction.atomic
def post_update(*, post: StaffPost, by: User | None, justification: str = "", **fields: Any) -> StaffPost:
    _lock_centre(post.centre)
    previous = StaffPost.objects.for_centre(post.centre).get(pk=post.pk)
    post = StaffPost.objects.for_centre(post.centre).get(pk=post.pk)
    for name, value in fields.items():
        if name not in POST_FIELDS:
            raise TypeError(f"Unknown staff post field: {name}")
        setattr(post, name, "" if value is None and name in {"programme_name", "filled_by"} else value)
    return _save_post(post=post, previous=previous, by=by, justification=justification)


def post_end(*, post: StaffPost, by: User | None, ends_on: datetime.date, justification: str = "") -> StaffPost:
    if post.ends_on is not None and ends_on > post.ends_on:
        raise ValidationError({"ends_on": [_("The post ends earlier already; change the post to extend it.")]})
    return post_update(post=post, by=by, justification=justification, ends_on=ends_on)


def _lock_centre(centre: Centre) -> None:
    """Two leads of one centre saving at once could each stay within the maximum and together exceed it."""
    from ankommen.regions.models import Centre

    Centre.objects.select_for_update().filter(pk=centre.pk).first()


# --- funding rules -------------------------------------------------------------------------------------------------


LimitValues = Mapping[str, tuple[Decimal, Decimal]]  # region kind → (maximum state-funded FTE, minimum teacher posts)


def _check_limits(limits: LimitValues) -> None:
    if missing := set(RegionKind.values) - set(limits):
        raise ValidationError(
            _("Give the limits for every kind of district (missing: %s).") % ", ".join(sorted(missing))
        )
    for maximum, minimum in limits.values():
        if maximum < 0 or minimum < 0:
            raise ValidationError(_("Limits cannot be negative."))


def _write_limits(rule: FundingRule, limits: LimitValues) -> None:
    for kind, (maximum, minimum) in limits.items():
        limit = FundingRuleLimit.objects.filter(rule=rule, region_kind=kind).first() or FundingRuleLimit(
            rule=rule, region_kind=kind
        )
        limit.max_state_fte, limit.min_teacher_posts = maximum, minimum
        limit.full_clean()
        limit.save()


def rule_chain_problems(rules: Iterable[FundingRule] | None = None) -> list[str]:
    """What is wrong with the chain of versions: gaps, overlaps, an end before the last version. Empty when sound."""
    chain = sorted(rules if rules is not None else FundingRule.objects.all(), key=lambda r: r.valid_from)
    problems = []
    for earlier, later in itertools.pairwise(chain):
        if earlier.valid_until is None or earlier.valid_until + ONE_DAY != later.valid_from:
            problems.append(
                _("%(earlier)s must end the day before %(later)s starts.") % {"earlier": earlier, "later": later}
            )
    if chain and chain[-1].valid_until is not None:
        problems.append(_("The latest rule (%s) must stay open-ended.") % chain[-1])
    return problems


def _assert_chain() -> None:
    if problems := rule_chain_problems():
        raise ValidationError(problems)


@transaction.atomic
def rule_create(*, by: User | None, name: str, valid_from: datetime.date, limits: LimitValues) -> FundingRule:
    """A new version from `valid_from`: the version in force then ends the day before; the new one lasts until that
    version's end (or the first version's start, if it starts before every version)."""
    _check_limits(limits)
    chain = list(FundingRule.objects.select_for_update().order_by("valid_from"))
    if any(rule.valid_from == valid_from for rule in chain):
        raise ValidationError({"valid_from": [_("A rule starts on this day already: change that rule instead.")]})
    current = next((rule for rule in chain if rule.is_in_force_on(valid_from)), None)
    with pghistory.context(user=by.pk if by else None):
        if current is not None:
            until = current.valid_until
            current.valid_until = valid_from - ONE_DAY
            current.save(update_fields=["valid_until", "updated_at"])
        else:
            until = chain[0].valid_from - ONE_DAY if chain else None
        rule = FundingRule(name=name.strip(), valid_from=valid_from, valid_until=until)
        rule.full_clean(exclude=["valid_until"], validate_constraints=False)
        rule.save()
        _write_limits(rule, limits)
        _assert_chain()
    return rule


@transaction.atomic
def rule_update(
    *, rule: FundingRule, by: User | None, name: str, valid_from: datetime.date, limits: LimitValues
) -> FundingRule:
    """Change a version. A new start moves the end of the version before it, so that the chain stays whole."""
    _check_limits(limits)
    chain = list(FundingRule.objects.select_for_update().order_by("valid_from"))
    rule = next(r for r in chain if r.pk == rule.pk)
    position = chain.index(rule)
    earlier = chain[position - 1] if position > 0 else None
    if earlier is not None and valid_from <= earlier.valid_from:
        raise ValidationError(
            {
                "valid_from": [
                    _("The start must lie after the start of the earlier rule (%(day)s).")
                    % {"day": date_format(earlier.valid_from, "SHORT_DATE_FORMAT")}
                ]
            }
        )
    if rule.valid_until is not None and valid_from > rule.valid_until:
        raise ValidationError(
            {
                "valid_from": [
                    _("The start must lie before the start of the next rule (%(day)s).")
                    % {"day": date_format(rule.valid_until + ONE_DAY, "SHORT_DATE_FORMAT")}
                ]
            }
        )
    with pghistory.context(user=by.pk if by else None):
        rule.name, rule.valid_from = name.strip(), valid_from
        rule.full_clean(validate_constraints=False)  # the deferred overlap check runs at commit
        rule.save()
        if earlier is not None and earlier.valid_until != valid_from - ONE_DAY:
            earlier.valid_until = valid_from - ONE_DAY
            earlier.save(update_fields=["valid_until", "updated_at"])
        _write_limits(rule, limits)
        _assert_chain()
    return rule
