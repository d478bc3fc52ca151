from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AccessAction(models.TextChoices):
    VIEW = "view", _("viewed")
    LIST = "list", _("listed")
    SEARCH = "search", _("found by search")
    EXPORT = "export", _("exported")
    API = "api", _("read through the API")


class AccessPurpose(models.TextChoices):
    CASE_WORK = "case_work", _("case work")
    SUPERVISION = "supervision", _("supervision")
    SUBJECT_ACCESS = "subject_access", _("subject access request")
    EVALUATION = "evaluation", _("scientific evaluation")


class AccessLogEntry(models.Model):
    """One read of one personal record. Rows are written by the application and never changed."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("user"))
    centre = models.ForeignKey(
        "regions.Centre", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("centre")
    )
    role = models.CharField(_("role"), max_length=32)
    record_type = models.CharField(_("record type"), max_length=64)
    record_id = models.CharField(_("record"), max_length=64, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=AccessAction.choices)
    purpose = models.CharField(_("purpose"), max_length=32, choices=AccessPurpose.choices)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["centre", "-at"])]
        triggers = [
            pgtrigger.Protect(name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id} {self.action}"
