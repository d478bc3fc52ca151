"""The record of processing activities (GDPR Art. 30) is generated from the data register, as a page and a PDF."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import translation

from ankommen.accounts.models import Role
from ankommen.core.register import declarations_by_model
from ankommen.core.register.record import record_of_processing
from ankommen.reporting.tests.test_annual_report import pdf_text

pytestmark = pytest.mark.django_db


def test_the_record_lists_each_activity_with_its_personal_data_and_retention(centre, make_member, login):
    client = login(make_member(Role.CENTRE_LEAD, centre=centre))

    page = client.get(reverse("register:record"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Record of processing activities" in page
    for entry in record_of_processing():
        assert str(entry.activity.name) in page
    assert "health notes" in page.lower()
    assert "3 years after the school case was closed" in page


@translation.override("en")
def test_a_new_personal_field_appears_in_the_record(monkeypatch):
    declaration = declarations_by_model()["people.Person"]
    assert "'given names'" in str([entry.rows for entry in record_of_processing()])
    trimmed = {name: category for name, category in declaration.personal.items() if name != "given_names"}
    monkeypatch.setitem(declarations_by_model(), "people.Person", replace(declaration, personal=trimmed))

    rows = [row for entry in record_of_processing() for row in entry.rows if row.name == "persons"]

    assert "'given names'" not in str(rows)
    assert "'family name'" in str(rows)


def test_the_pdf_is_a_pdf_in_german_with_every_activity(make_member, login):
    client = login(make_member(Role.STATE_ANALYST))

    response = client.get(reverse("register:record_pdf"), HTTP_ACCEPT_LANGUAGE="de")

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Verzeichnis von Verarbeitungstätigkeiten" in text
    for entry in record_of_processing():
        assert " ".join(str(entry.activity.name).split()[:2]) in text


def test_staff_cannot_read_the_record(staff_client):
    assert staff_client.get(reverse("register:record")).status_code == 403
