"""The printable attendance list and the certificate of attendance (WeasyPrint), like ankommen/schooling/pdf.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from ankommen.courses.models import Course, Registration, Session
from ankommen.courses.selectors import Certificate

STYLESHEET = Path(__file__).with_name("print.css")


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The documents need nothing from outside; refusing every URL keeps participants' names from reaching out.
    raise ValueError(f"Course documents load no external resources ({url[:40]}).")


def render_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"))
    pdf: bytes = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(stylesheets=[stylesheet])
    return pdf


def attendance_list_pdf(
    *, course: Course, sessions: list[Session], participants: list[Registration], present: dict[int, set[int]]
) -> bytes:
    """One page per session with every confirmed participant and a column to sign."""
    html = render_to_string(
        "courses/pdf/attendance_list.html",
        {"course": course, "sessions": sessions, "participants": participants, "present": present},
    )
    return render_pdf(html)


def certificate_pdf(*, certificate: Certificate) -> bytes:
    html = render_to_string(
        "courses/pdf/certificate.html",
        {
            "certificate": certificate,
            "registration": certificate.registration,
            "course": certificate.registration.course,
            "today": timezone.localdate(),
        },
    )
    return render_pdf(html)
