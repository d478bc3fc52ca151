# mypy: disable-error-code="attr-defined"

import datetime
import json
import shutil
import subprocess

import pghistory.models
import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.crypto import encrypt_text
from ankommen.core.models import AccessAction, AccessLogEntry, AccessPurpose
from ankommen.network.services import referral_create
from ankommen.network.tests.factories import OrganisationFactory, ServiceFactory
from ankommen.people import services
from ankommen.people.models import Consent, Family, LegalBasis, Person, Purpose
from ankommen.people.subject_access import EXCLUDED, SECTIONS
from ankommen.people.tests.factories import FamilyFactory, PersonFactory
from ankommen.schooling.tests.factories import AssessmentFactory, IntakeFactory
from ankommen.volunteering.tests.factories import open_request
from ankommen.work.tests import factories as work_factories

pytestmark = pytest.mark.django_db

MARKERS = {
    "person": "Zorabelle",
    "phone": "+49 221 9876543",
    "consent": "Einwilligungsnotiz7731",
    "assessment": "Beobachtung5521",
    "health": "Gesundheitsnotiz4410",
    "experience": "Berufserfahrung3390",
    "support": "Hausaufgabenhilfe2207",
    "referral": "Vermittlungsnotiz1108",
    "changed": "Umgezogen6612",
}


def _linked_models() -> set[type[models.Model]]:
    """Every model reachable from Person and its Family through relations pointing at them, at any depth."""
    seen: set[type[models.Model]] = {Person, Family}
    queue: list[type[models.Model]] = [Person, Family]
    while queue:
        model = queue.pop()
        for relation in model._meta.get_fields(include_hidden=True):
            if not relation.auto_created or relation.concrete or relation.related_model is None:
                continue
            related = relation.related_model
            if related not in seen:
                seen.add(related)
                queue.append(related)
    return seen


def test_every_model_linked_to_a_person_is_exported_or_excluded_with_a_reason():
    exported = {section.model for section in SECTIONS}
    linked = _linked_models()
    labels = {model._meta.label for model in linked}
    # The walk reaches the indirect links too (a placement hangs on the intake, not on the person).
    assert {"schooling.Placement", "work.ApplicationStep", "volunteering.HoursEntry"} <= labels
    uncovered = []
    for model in linked:
        if issubclass(model, pghistory.models.Event):
            # The history of an exported model is exported with it.
            tracked = model.pgh_tracked_model._meta.label
            if tracked not in exported and tracked not in EXCLUDED:
                uncovered.append(model._meta.label)
        elif model._meta.label not in exported and model._meta.label not in EXCLUDED:
            uncovered.append(model._meta.label)
    assert uncovered == []
    assert all(reason.strip() for reason in EXCLUDED.values())
    assert exported.isdisjoint(EXCLUDED)
    for label in exported | set(EXCLUDED):
        apps.get_model(label)  # a name that no longer exists fails here


@pytest.fixture
def lead(make_member, centre):
    return make_member(Role.CENTRE_LEAD, centre=centre)


@pytest.fixture
def planted(centre, staff):
    family = FamilyFactory(centre=centre)
    person = PersonFactory(centre=centre, family=family, given_names=MARKERS["person"], phone=MARKERS["phone"])
    Consent.objects.create(
        centre=centre,
        person=person,
        purpose=Purpose.REFERRAL,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2026, 1, 5),
        recorded_by=staff,
        note=MARKERS["consent"],
    )
    intake = IntakeFactory(child=person)
    AssessmentFactory(
        intake=intake, notes=MARKERS["assessment"], health_notes_encrypted=encrypt_text(MARKERS["health"])
    )
    Consent.objects.create(
        centre=centre,
        person=person,
        purpose=Purpose.EMPLOYMENT,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2026, 1, 5),
        recorded_by=staff,
    )
    work_factories.profile(centre, staff, subject=person, experience=MARKERS["experience"])
    Consent.objects.create(
        centre=centre,
        person=person,
        purpose=Purpose.VOLUNTEER_SUPPORT,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2026, 1, 5),
        recorded_by=staff,
    )
    open_request(centre, staff, person=person, description=MARKERS["support"])
    service = ServiceFactory(organisation=OrganisationFactory(centre=centre))
    referral_create(
        centre=centre,
        by=staff,
        person=person,
        service=service,
        referred_on=timezone.localdate(),
        note=MARKERS["referral"],
    )
    services.person_update(centre=centre, by=staff, person=person, place=MARKERS["changed"])
    return person


def test_the_lead_downloads_the_complete_data_as_json(login, lead, staff, staff_client, planted):
    staff_client.get(reverse("people:person_detail", args=[planted.pk]))
    response = login(lead).post(reverse("people:subject_access_export", args=[planted.pk]), {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"].split(", ")
    assert MARKERS["person"] not in response["Content-Disposition"]
    data = json.loads(response.content)
    text = response.content.decode()
    for marker in MARKERS.values():
        assert marker in text, marker
    assert data["person_id"] == str(planted.pk)
    assert data["records"]["schooling.assessment"][0]["health_notes"] == MARKERS["health"]
    assert {"people.person", "work.candidateprofile", "network.referral", "volunteering.supportrequest"} <= {
        event["record_type"] for event in data["history"]
    }
    changed = [e for e in data["history"] if e["record_type"] == "people.person" and e["event"] == "update"]
    assert changed[-1]["data"]["place"] == MARKERS["changed"]
    assert changed[-1]["by_user"] == staff.pk
    reads = [e for e in data["access_log"] if e["record_type"] == "people.person"]
    assert [(e["user_id"], e["action"]) for e in reads] == [(staff.pk, AccessAction.VIEW)]


def test_each_export_is_logged_with_its_purpose(login, lead, planted):
    login(lead).post(reverse("people:subject_access_export", args=[planted.pk]), {"format": "json"})
    entries = AccessLogEntry.objects.filter(user=lead)
    assert entries.filter(record_type="people.person", record_id=str(planted.pk)).get().action == AccessAction.EXPORT
    assert set(entries.values_list("purpose", flat=True)) == {AccessPurpose.SUBJECT_ACCESS}
    assert {"schooling.intake", "work.candidateprofile", "network.referral"} <= set(
        entries.values_list("record_type", flat=True)
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_shows_the_planted_values(login, lead, planted):
    response = login(lead).post(reverse("people:subject_access_export", args=[planted.pk]), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [shutil.which("pdftotext") or "pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    for marker in MARKERS.values():
        assert marker in text, marker


def test_staff_cannot_export_and_nothing_is_logged(staff_client, staff, planted):
    response = staff_client.post(reverse("people:subject_access_export", args=[planted.pk]), {"format": "json"})
    assert response.status_code == 403
    assert not AccessLogEntry.objects.filter(user=staff, action=AccessAction.EXPORT).exists()


def test_a_get_exports_nothing(login, lead, planted):
    response = login(lead).get(reverse("people:subject_access_export", args=[planted.pk]))
    assert response.status_code == 405
    assert not AccessLogEntry.objects.filter(user=lead).exists()


def test_the_person_page_offers_the_export_to_the_lead_only(login, lead, staff_client, planted):
    url = reverse("people:subject_access_export", args=[planted.pk])
    assert url in login(lead).get(reverse("people:person_detail", args=[planted.pk])).text
    assert url not in staff_client.get(reverse("people:person_detail", args=[planted.pk])).text


def test_another_centres_lead_gets_404(login, make_member, other_centre, planted):
    stranger = make_member(Role.CENTRE_LEAD, centre=other_centre)
    response = login(stranger).post(reverse("people:subject_access_export", args=[planted.pk]), {"format": "pdf"})
    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(user=stranger).exists()


def test_an_unknown_format_is_refused(login, lead, planted):
    response = login(lead).post(reverse("people:subject_access_export", args=[planted.pk]), {"format": "xml"})
    assert response.status_code == 400
    assert not AccessLogEntry.objects.filter(user=lead).exists()
