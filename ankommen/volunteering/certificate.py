"""The certificate of engagement (PDF): name, period, activities and confirmed hours."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import timezone, translation

from ankommen.core.pdf import render_pdf
from ankommen.volunteering import selectors

if TYPE_CHECKING:
    from ankommen.regions.models import Centre
    from ankommen.volunteering.models import Volunteer

STYLESHEET = Path(__file__).with_name("certificate.css")


def engagement_certificate_html(*, centre: Centre, volunteer: Volunteer) -> str:
    with translation.override("de"):
        summary = selectors.engagement_summary(centre=centre, volunteer=volunteer)
        return render_to_string(
            "volunteering/certificate.html",
            {"centre": centre, "volunteer": volunteer, "summary": summary, "today": timezone.localdate()},
        )


def engagement_certificate_pdf(*, centre: Centre, volunteer: Volunteer) -> bytes:
    return render_pdf(engagement_certificate_html(centre=centre, volunteer=volunteer), stylesheet=STYLESHEET)
