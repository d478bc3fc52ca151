"""The record of processing activities (GDPR Art. 30(1)), generated from the data register: as a page and a PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.core.pdf import render_pdf
from ankommen.core.register import Activity, Category, Declaration, entries_by_activity
from ankommen.core.register.activities import RETENTION_RULES, RetentionRule

STYLESHEET = Path(__file__).with_name("print.css")


@dataclass
class RecordRow:
    """One kind of record of an activity: its personal fields by category and its retention."""

    name: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    retention: str = ""


@dataclass
class ActivityRecord:
    activity: Activity
    rows: list[RecordRow]
    special: bool


def retention_text(rule: RetentionRule) -> str:
    period = rule.period()
    if period is None:
        return str(rule.description)
    return f"{period} {rule.description}"


def _row(declaration: Declaration) -> RecordRow:
    model: Any = apps.get_model(declaration.model)
    row = RecordRow(name=str(model._meta.verbose_name_plural), retention=retention_text(declaration.retention))
    for category in Category:
        names = [
            str(model._meta.get_field(name).verbose_name)
            for name, declared in declaration.personal.items()
            if declared == category
        ]
        if names:
            row.fields[str(category.label)] = names
    return row


def record_of_processing() -> list[ActivityRecord]:
    return [
        ActivityRecord(
            activity=activity,
            rows=[_row(declaration) for declaration in declarations],
            special=any(Category.SPECIAL in declaration.personal.values() for declaration in declarations),
        )
        for activity, declarations in entries_by_activity().items()
    ]


def record_context() -> dict[str, Any]:
    return {
        "activities": record_of_processing(),
        "retention_rules": [(rule, retention_text(rule)) for rule in RETENTION_RULES],
        "today": timezone.localdate(),
        "measures": [
            _("Each centre sees only its own records (isolation in the application and in the database)."),
            _("Staff log in with a second factor; sessions end after inactivity."),
            _("Every read of a personal record is logged; every change leaves a history row."),
            _("Health notes are encrypted in the database; backups are readable by their owner only."),
            _("Figures for the state and the research extract suppress small numbers; no person leaves a centre."),
            _("Records are deleted after their retention period by a nightly job, history and files included."),
        ],
    }


def record_pdf() -> bytes:
    return render_pdf(render_to_string("core/register/record_pdf.html", record_context()), stylesheet=STYLESHEET)
