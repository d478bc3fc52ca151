"""What reporting stores itself: the few figures the system cannot know, targets, status thresholds, and the
reports and extracts prepared by a job.

Every other indicator is computed from the modules' rows (`ankommen/reporting/indicators.py`), never typed in.
"""

from __future__ import annotations

import uuid

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import TimeStampedModel
from ankommen.core.scoping import CentreOwnedModel

# Far above anything a centre reaches in a month; a typo with extra digits is refused.
MONTHLY_COUNT_LIMIT = 100_000


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ManualFigure(CentreOwnedModel, TimeStampedModel):
    """One centre's figures of one month that no module records. Changes keep their history."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    counselling_contacts = models.PositiveIntegerField(
        _("counselling contacts without a case"), validators=[MaxValueValidator(MONTHLY_COUNT_LIMIT)]
    )
    events_held = models.PositiveIntegerField(_("events held"), validators=[MaxValueValidator(MONTHLY_COUNT_LIMIT)])
    event_participants = models.PositiveIntegerField(
        _("participants at events"), validators=[MaxValueValidator(MONTHLY_COUNT_LIMIT)]
    )
    schools_advised = models.PositiveIntegerField(
        _("schools advised on intercultural school development"),
        validators=[MaxValueValidator(MONTHLY_COUNT_LIMIT)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("manual figure")
        verbose_name_plural = _("manual figures")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "month"], name="one_manual_figure_per_centre_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="manual_figure_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class IndicatorTarget(CentreOwnedModel, TimeStampedModel):
    """A centre's own monthly target for one indicator, set by the centre lead."""

    indicator = models.CharField(_("indicator"), max_length=40)
    value = models.DecimalField(_("monthly target"), max_digits=10, decimal_places=1)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by")
    )

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(fields=["centre", "indicator"], name="one_target_per_centre_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class Measure(models.TextChoices):
    PER_10000 = "per_10000", _("per 10,000 inhabitants")
    VALUE = "value", _("value")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class StatusThreshold(TimeStampedModel):
    """The state's traffic light for one indicator, the same for every centre, edited by state analysts.

    With `higher_is_better` indicators a centre is on track from `on_track_from` and needs attention below
    `attention_below`; with the others (days waiting) on track up to `on_track_from` and needs attention above
    `attention_below`. Between the two it is "watch".
    """

    indicator = models.CharField(_("indicator"), max_length=40, unique=True)
    measure = models.CharField(_("measured as"), max_length=16, choices=Measure.choices, default=Measure.PER_10000)
    on_track_from = models.DecimalField(_("on track from"), max_digits=10, decimal_places=2)
    attention_below = models.DecimalField(_("needs attention beyond"), max_digits=10, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by")
    )

    class Meta:
        verbose_name = _("status threshold")
        verbose_name_plural = _("status thresholds")
        ordering = ["indicator"]

    def __str__(self) -> str:
        return self.indicator


class PreparedFileKind(models.TextChoices):
    CENTRE_ANNUAL_REPORT = "centre_annual_report", _("annual report of the centre (PDF)")
    STATE_ANNUAL_REPORT = "state_annual_report", _("annual report of the state (PDF)")
    EVALUATION_EXTRACT_CSV = "evaluation_extract_csv", _("evaluation extract (CSV)")
    EVALUATION_EXTRACT_XLSX = "evaluation_extract_xlsx", _("evaluation extract (XLSX)")


class PreparedFileStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being prepared")
    READY = "ready", _("ready to download")
    FAILED = "failed", _("failed")


ACTIVE_PREPARED_FILE_STATUSES = (PreparedFileStatus.QUEUED, PreparedFileStatus.RUNNING)


class PreparedFile(models.Model):
    """A report or extract that takes too long for a web request, prepared by a job for the one user who asked.

    It holds aggregates only (a centre's own figures, or the state's suppressed ones), never a person. It is given
    only to the user who asked for it, in the role (and centre) they asked in, and deleted after
    `PREPARED_FILE_DAYS` days.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=PreparedFileKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=PreparedFileStatus.choices, default=PreparedFileStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    role = models.CharField(_("role"), max_length=32)
    centre = models.ForeignKey(
        "regions.Centre", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("centre")
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    content = models.BinaryField(_("content"), null=True, editable=False)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("prepared file")
        verbose_name_plural = _("prepared files")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"], name="prepared_file_user_recent")]

    def __str__(self) -> str:
        return self.title
