"""The printable attendance list and the certificate of attendance (WeasyPrint), rendered by ankommen/core/pdf.py."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from ankommen.core import pdf as core_pdf
from ankommen.courses.models import Course, Registration, Session
from ankommen.courses.selectors import Certificate

STYLESHEET = Path(__file__).with_name("print.css")


def render_pdf(html: str) -> bytes:
    return core_pdf.render_pdf(html, stylesheet=STYLESHEET)


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
