"""Staff posts of a centre and the state's funding rules they are measured against.

A post is a position (Stelle) with its funding source, not a person: the name of whoever fills it is the one personal
field (an employee's data, seen by the centre lead only, reads logged). Funding rules are versioned data kept by the
state analysts: one chain of rules over time without gaps or overlaps, each with its limits per kind of district.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Deferrable, Func, Q
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import TimeStampedModel
from ankommen.core.scoping import CentreOwnedModel
from ankommen.regions.models import RegionKind

MAX_FTE_PER_POST = Decimal("1.00")


class StaffFunction(models.TextChoices):
    LEAD = "lead", _("lead")
    COORDINATION = "coordination", _("coordination")
    TEACHER = "teacher", _("teacher")
    ADMINISTRATION = "administration", _("administration")
    OTHER = "other", _("other")


class FundingSource(models.TextChoices):
    STATE_INTEGRATION = "state_integration", _("state integration funds")
    SCHOOL_MINISTRY = "school_ministry", _("school-ministry teacher post")
    DISTRICT = "district", _("the district's own budget")
    PROGRAMME = "programme", _("programme")


def fte_validators() -> list[Any]:
    return [
        MinValueValidator(Decimal("0.01"), _("A post has more than 0 FTE.")),
        MaxValueValidator(MAX_FTE_PER_POST, _("A post has at most 1.0 FTE; split larger shares into several posts.")),
    ]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class StaffPost(CentreOwnedModel, TimeStampedModel):
    title = models.CharField(_("title"), max_length=160)
    function = models.CharField(_("function"), max_length=16, choices=StaffFunction.choices)
    fte = models.DecimalField(
        _("FTE"),
        max_digits=3,
        decimal_places=2,
        validators=fte_validators(),
        help_text=_("Full-time equivalent of this post: more than 0, at most 1.0."),
    )
    funding_source = models.CharField(_("funding source"), max_length=24, choices=FundingSource.choices)
    programme_name = models.CharField(
        _("programme"), max_length=160, blank=True, help_text=_("Only for posts paid from a programme.")
    )
    # Personal data of an employee: category staff data, purpose staff planning and the state's funding,
    # legal basis employment (Art. 6(1)(b), 88 GDPR), kept while the post exists.
    filled_by = models.CharField(_("filled by"), max_length=160, blank=True)
    vacant_since = models.DateField(_("vacant since"), null=True, blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    justification = models.TextField(
        _("justification for breaking the funding rule"),
        blank=True,
        max_length=2000,
        help_text=_("The state sees this text. Do not write names of persons."),
    )
    # Set when the entry was saved although it breaks the rule in force; rule_breach keeps the messages of then.
    breaks_rule = models.BooleanField(_("breaks the funding rule"), default=False)
    rule_breach = models.TextField(_("broken rule"), blank=True)

    class Meta:
        verbose_name = _("staff post")
        verbose_name_plural = _("staff posts")
        ordering = ["function", "title", "pk"]
        indexes = [models.Index(fields=["centre", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                name="staffpost_fte_between_0_and_1", condition=Q(fte__gt=0) & Q(fte__lte=MAX_FTE_PER_POST)
            ),
            models.CheckConstraint(
                name="staffpost_end_after_start",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
            models.CheckConstraint(
                name="staffpost_flag_has_justification", condition=Q(breaks_rule=False) | ~Q(justification="")
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = [_("The end cannot lie before the start.")]
        if self.funding_source == FundingSource.PROGRAMME and not self.programme_name.strip():
            errors["programme_name"] = [_("Name the programme that pays this post.")]
        if self.funding_source != FundingSource.PROGRAMME and self.programme_name.strip():
            errors["programme_name"] = [_("Only posts paid from a programme name a programme.")]
        if self.funding_source == FundingSource.SCHOOL_MINISTRY and self.function != StaffFunction.TEACHER:
            errors["function"] = [_("A school-ministry post is a teacher post: choose the function teacher.")]
        if self.filled_by.strip() and self.vacant_since:
            errors["vacant_since"] = [_("A filled post is not vacant: leave either the name or the date empty.")]
        if not self.filled_by.strip() and not self.vacant_since:
            errors["vacant_since"] = [_("Name who fills the post, or say since when it is vacant.")]
        if self.vacant_since and self.starts_on and self.vacant_since < self.starts_on:
            errors["vacant_since"] = [_("A post cannot be vacant before it starts.")]
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    @property
    def is_vacant(self) -> bool:
        return not self.filled_by


class DateRange(Func):
    function = "daterange"
    output_field = DateRangeField()


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class FundingRule(TimeStampedModel):
    """One version of the state's funding rule. The versions form one chain: each ends the day before the next
    starts, the last has no end. Only the start is edited; the end follows from the next version's start."""

    name = models.CharField(_("name"), max_length=160)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("funding rule")
        verbose_name_plural = _("funding rules")
        ordering = ["valid_from"]
        constraints = [
            models.CheckConstraint(
                name="fundingrule_until_after_from",
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
            ),
            # Deferred: moving a start changes two versions, and the order of the two updates must not matter.
            ExclusionConstraint(
                name="fundingrule_no_overlap",
                expressions=[
                    (
                        DateRange(
                            "valid_from", "valid_until", RangeBoundary(inclusive_lower=True, inclusive_upper=True)
                        ),
                        RangeOperators.OVERLAPS,
                    )
                ],
                deferrable=Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class FundingRuleLimit(models.Model):
    """The limits of one rule version for one kind of district: a rule has one row per kind."""

    rule = models.ForeignKey(FundingRule, on_delete=models.CASCADE, related_name="limits", verbose_name=_("rule"))
    region_kind = models.CharField(_("kind of district"), max_length=16, choices=RegionKind.choices)
    max_state_fte = models.DecimalField(
        _("maximum state-funded FTE"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), _("The maximum cannot be negative."))],
    )
    min_teacher_posts = models.DecimalField(
        _("minimum teacher posts"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), _("The minimum cannot be negative."))],
    )

    class Meta:
        verbose_name = _("limit of a funding rule")
        verbose_name_plural = _("limits of funding rules")
        ordering = ["rule__valid_from", "region_kind"]
        constraints = [models.UniqueConstraint(fields=["rule", "region_kind"], name="fundingrulelimit_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.rule} · {self.get_region_kind_display()}"
