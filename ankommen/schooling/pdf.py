"""Letters to families as PDF (WeasyPrint): German first, then the same letter in the family's language.

Each language block is rendered with that language active, so dates, month names and the text direction follow
it; Arabic and Farsi blocks run right to left. The Noto fonts (Debian's fonts-noto-core) cover Latin, Cyrillic
and Arabic script.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from ankommen.core import pdf as core_pdf
from ankommen.core.context_processors import text_direction
from ankommen.people.choices import language_name
from ankommen.people.models import GuardianRelation

if TYPE_CHECKING:
    from ankommen.regions.models import Centre
    from ankommen.schooling.models import CounsellingAppointment


# Kept apart from the templates: the page templates carry no styles (the CSP forbids inline ones).
LETTER_STYLESHEET = Path(__file__).with_name("letter.css")


@dataclass(frozen=True)
class LetterBlock:
    language: str
    direction: str
    html: SafeString


def letter_languages(letter_language: str) -> list[str]:
    languages = ["de"]
    if letter_language != "de" and letter_language in settings.FAMILY_LANGUAGES:
        languages.append(letter_language)
    return languages


def _block(template: str, language: str, context: dict[str, Any]) -> LetterBlock:
    with translation.override(language):
        html = render_to_string(template, context)
    return LetterBlock(language=language, direction=text_direction(language), html=mark_safe(html))  # noqa: S308 — rendered by the template engine, escaped there


def invitation_letter_html(*, centre: Centre, appointment: CounsellingAppointment) -> str:
    intake = appointment.intake
    child = intake.child
    guardians = [
        relation.guardian
        for relation in GuardianRelation.objects.for_centre(centre).filter(child=child).select_related("guardian")
    ]
    family = child.family
    slot = appointment.slot
    context_base: dict[str, Any] = {
        "centre": centre,
        "child": child,
        "guardians": guardians,
        "family": family,
        "starts_at": timezone.localtime(slot.starts_at),
        "ends_at": timezone.localtime(slot.ends_at),
        "place": slot.place,
        "counsellor": getattr(slot.counsellor, "display_name", "") or slot.counsellor.email,
        "interpreter_needed": appointment.interpreter_needed,
        "today": timezone.localdate(),
    }
    blocks = []
    for language in letter_languages(appointment.letter_language):
        with translation.override(language):
            interpreter_language = (
                language_name(appointment.interpreter_language) if appointment.interpreter_language else ""
            )
        context = {**context_base, "interpreter_language": interpreter_language}
        blocks.append(_block("schooling/letters/_invitation_body.html", language, context))
    return render_to_string(
        "schooling/letters/letter.html", {"blocks": blocks, "centre": centre, "family": family, "guardians": guardians}
    )


def render_pdf(html: str) -> bytes:
    return core_pdf.render_pdf(html, stylesheet=LETTER_STYLESHEET)


def invitation_letter_pdf(*, centre: Centre, appointment: CounsellingAppointment) -> bytes:
    return render_pdf(invitation_letter_html(centre=centre, appointment=appointment))
