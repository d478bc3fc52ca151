"""The data migration that moved the decision reason and the intake link out of the pre-registration payload."""

from __future__ import annotations

import importlib

from django.apps import apps

from ankommen.schooling.models import Intake, PreRegistration, PreRegistrationStatus
from ankommen.schooling.tests.factories import IntakeFactory

moved = importlib.import_module("ankommen.schooling.migrations.0004_preregistration_fields_from_payload")


def test_old_payloads_become_fields_and_back(db):
    intake = IntakeFactory()
    centre = intake.centre
    accepted = PreRegistration.objects.create(
        centre=centre,
        language="uk",
        status=PreRegistrationStatus.ACCEPTED,
        payload={"children": [], "accepted": {"family_id": "f", "intake_ids": [intake.pk]}},
    )
    rejected = PreRegistration.objects.create(
        centre=centre,
        language="ar",
        status=PreRegistrationStatus.REJECTED,
        payload={"children": [], "rejected": {"reason": "Doppelt eingereicht"}},
    )

    moved.forwards(apps, None)

    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert Intake.objects.for_centre(centre).get(pk=intake.pk).preregistration == accepted
    assert accepted.payload == {"children": [], "accepted": {"family_id": "f"}}
    assert rejected.decision_reason == "Doppelt eingereicht"
    assert "rejected" not in rejected.payload

    moved.backwards(apps, None)

    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert accepted.payload["accepted"]["intake_ids"] == [intake.pk]
    assert rejected.payload["rejected"] == {"reason": "Doppelt eingereicht"}
