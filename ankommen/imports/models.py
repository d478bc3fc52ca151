"""Bulk imports of a centre's records from a CSV or XLSX file: checked first, then written all at once.

An `ImportRun` holds the uploaded file (encrypted, as it carries personal data) only while it is needed: until it
is written, found faulty, or left unwritten for `UPLOAD_HOURS` hours (see services.imports_expire). What stays
afterwards is the outcome: counts and the errors per row, which name row numbers and columns, never a value of a
person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ankommen.core.scoping import CentreOwnedModel


class ImportKind(models.TextChoices):
    PERSONS = "persons", _("persons")
    SEATS = "seats", _("school seats")
    ORGANISATIONS = "organisations", _("organisations")
    VOLUNTEERS = "volunteers", _("volunteers")


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to be checked")
    CHECKING = "checking", _("being checked")
    READY = "ready", _("checked, ready to import")
    INVALID = "invalid", _("has errors")
    COMMIT_QUEUED = "commit_queued", _("waiting to be imported")
    COMMITTING = "committing", _("being imported")
    COMMITTED = "committed", _("imported")
    FAILED = "failed", _("not imported")
    EXPIRED = "expired", _("expired without import")


# A job is (or will be) working on the run: the page polls.
ACTIVE_IMPORT_STATUSES = (
    ImportStatus.QUEUED,
    ImportStatus.CHECKING,
    ImportStatus.COMMIT_QUEUED,
    ImportStatus.COMMITTING,
)


class ImportRun(CentreOwnedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file_format = models.CharField(_("format"), max_length=8, choices=ImportFormat.choices)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    # The language of the page it was uploaded on: the errors per row are written in it.
    language = models.CharField(_("language"), max_length=8)
    # The uploaded file, encrypted with the field-encryption key; emptied once it is no longer needed.
    content_encrypted = models.BinaryField(_("file (encrypted)"), null=True, editable=False)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_new = models.PositiveIntegerField(_("new"), default=0)
    rows_changed = models.PositiveIntegerField(_("changed"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # [{"row": 2, "column": "Geburtsdatum", "message": "…"}]; row 0 is the file as a whole. At most MAX_ERRORS kept.
    errors = models.JSONField(_("errors per row"), default=list)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["centre", "created_by", "-created_at"], name="import_run_user_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_IMPORT_STATUSES

    @property
    def changes_something(self) -> bool:
        return self.rows_new + self.rows_changed > 0

    @property
    def percent_done(self) -> int:
        return min(100, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0
