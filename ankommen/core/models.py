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


class IdempotencyKey(models.Model):
    """One create request (form submit or API POST) by a user, so that its repetition does not create again.

    Inserted in the transaction of the creation itself; the unique constraint makes a simultaneous second request
    wait for the first. Removed after a day (`core.idempotency_keys_remove_expired`). The API's answer is kept
    encrypted, as it may hold personal data.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=100)
    scope = models.CharField(_("request"), max_length=300)
    request_digest = models.CharField(_("request digest"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), null=True)
    location = models.CharField(_("location"), max_length=500, blank=True)
    body = models.BinaryField(_("answer"), default=b"")
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user", nulls_distinct=False)
        ]

    def __str__(self) -> str:
        return self.scope
