# mypy: disable-error-code="attr-defined, arg-type"

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.people.models import GuardianKind
from ankommen.people.services import guardian_relation_add
from ankommen.people.tests.factories import FamilyFactory, PersonFactory
from ankommen.regions.tests.factories import CentreFactory
from ankommen.schooling import counselling
from ankommen.schooling.pdf import invitation_letter_html
from ankommen.schooling.tests.factories import IntakeFactory
from ankommen.schooling.tests.test_counselling import CounsellingSlotFactory

pytestmark = pytest.mark.django_db

TITLE = "Invitation to a school counselling meeting"
BRING = "Please bring with you:"


@pytest.fixture
def appointment_in(centre, staff):
    def make(letter_language: str, interpreter_language: str = ""):
        family = FamilyFactory(centre=centre, street="Domstraße 1", postcode="", place="Köln")
        child = PersonFactory(centre=centre, family=family, given_names="Марія", family_name="Коваленко")
        mother = PersonFactory(centre=centre, family=family, given_names="Олена", family_name="Коваленко")
        guardian_relation_add(centre=centre, by=staff, child=child, guardian=mother, kind=GuardianKind.MOTHER)
        intake = IntakeFactory(child=child)
        day = timezone.localdate() + datetime.timedelta(days=4)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
        slot = CounsellingSlotFactory(centre=centre, counsellor=staff, starts_at=start, place="Marktplatz 1, Raum 2")
        return counselling.appointment_create(
            centre=centre,
            by=staff,
            intake=intake,
            slot=slot,
            interpreter_needed=bool(interpreter_language),
            interpreter_language=interpreter_language,
            letter_language=letter_language,
        )

    return make


def translated(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


@pytest.mark.parametrize("language", ["ar", "uk", "ru", "tr", "fa", "en"])
def test_the_letter_html_has_german_and_the_family_language_with_its_direction(centre, appointment_in, language):
    appointment = appointment_in(language, interpreter_language="uk")
    html = invitation_letter_html(centre=centre, appointment=appointment)
    assert translated("de", TITLE) in html
    assert translated(language, TITLE) in html
    assert translated(language, TITLE) != translated("de", TITLE)
    direction = "rtl" if language in {"ar", "fa"} else "ltr"
    assert f'<section class="letter-block" lang="{language}" dir="{direction}">' in html
    assert '<section class="letter-block" lang="de" dir="ltr">' in html
    assert "Marktplatz 1, Raum 2" in html
    assert "09:30" in html


def test_a_german_letter_has_one_block(centre, appointment_in):
    html = invitation_letter_html(centre=centre, appointment=appointment_in("de"))
    assert html.count('class="letter-block"') == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("language", ["uk", "ar"])
def test_the_letter_pdf_downloads_with_both_languages(staff_client, staff, centre, appointment_in, language, tmp_path):
    appointment = appointment_in(language)
    response = staff_client.get(reverse("schooling:invitation_letter", args=[appointment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Коваленко" not in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "letter.pdf"
    path.write_bytes(response.content)
    pdftotext = shutil.which("pdftotext") or "pdftotext"
    command = [pdftotext, "-enc", "UTF-8", str(path), "-"]
    text = subprocess.run(command, capture_output=True, check=True).stdout  # noqa: S603 — our own file, fixed arguments
    text = " ".join(text.decode().split())
    assert translated("de", TITLE) in text
    if language == "uk":
        assert translated("uk", TITLE) in text
        assert "Коваленко" in text
    else:
        # pdftotext gives Arabic words in visual order; single words are reliable, whole sentences are not.
        assert "التحيات" in text
    assert AccessLogEntry.objects.filter(
        user=staff, action=AccessAction.EXPORT, record_id=str(appointment.intake.child_id)
    ).exists()


def test_another_centres_staff_cannot_download_the_letter(login, make_member, appointment_in):
    appointment = appointment_in("uk")
    stranger = login(make_member(Role.CENTRE_STAFF, centre=CentreFactory()))
    assert stranger.get(reverse("schooling:invitation_letter", args=[appointment.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORT).exists()


def test_state_roles_cannot_download_the_letter(login, make_member, appointment_in):
    appointment = appointment_in("uk")
    client = login(make_member(Role.STATE_ANALYST))
    assert client.get(reverse("schooling:invitation_letter", args=[appointment.pk])).status_code == 403
    assert not AccessLogEntry.objects.filter(action=AccessAction.EXPORT).exists()
