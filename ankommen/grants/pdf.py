"""The decision letter (Zuwendungs- or Ablehnungsbescheid) as PDF, rendered by ankommen/core/pdf.py."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from ankommen.core import pdf as core_pdf
from ankommen.grants.models import Grant, GrantStatus

STYLESHEET = Path(__file__).with_name("letter.css")


def decision_letter_html(*, grant: Grant) -> str:
    return render_to_string(
        "grants/pdf/decision_letter.html",
        {"grant": grant, "approved": grant.status == GrantStatus.APPROVED, "today": timezone.localdate()},
    )


def decision_letter_pdf(*, grant: Grant) -> bytes:
    if grant.status == GrantStatus.APPLIED:
        raise ValueError("An application without a decision has no decision letter.")
    return core_pdf.render_pdf(decision_letter_html(grant=grant), stylesheet=STYLESHEET)
