"""Moves the rejection reason and the intake link out of the pre-registration payload into their own fields."""

from django.db import migrations


def forwards(apps, schema_editor):
    PreRegistration = apps.get_model("schooling", "PreRegistration")
    Intake = apps.get_model("schooling", "Intake")
    for preregistration in PreRegistration._base_manager.filter(payload__has_any_keys=["rejected", "accepted"]):
        payload = dict(preregistration.payload)
        rejected = payload.pop("rejected", None)
        accepted = payload.get("accepted") or {}
        if intake_ids := accepted.pop("intake_ids", None):
            Intake._base_manager.filter(pk__in=intake_ids, centre_id=preregistration.centre_id).update(
                preregistration=preregistration
            )
        if rejected:
            preregistration.decision_reason = rejected.get("reason", "")
        preregistration.payload = payload
        preregistration.save(update_fields=["payload", "decision_reason"])


def backwards(apps, schema_editor):
    PreRegistration = apps.get_model("schooling", "PreRegistration")
    Intake = apps.get_model("schooling", "Intake")
    for preregistration in PreRegistration._base_manager.all():
        payload = dict(preregistration.payload)
        if preregistration.decision_reason and preregistration.status == "rejected":
            payload["rejected"] = {"reason": preregistration.decision_reason}
        intake_ids = list(Intake._base_manager.filter(preregistration=preregistration).values_list("pk", flat=True))
        if intake_ids:
            payload["accepted"] = {**(payload.get("accepted") or {}), "intake_ids": intake_ids}
        preregistration.payload = payload
        preregistration.save(update_fields=["payload"])


class Migration(migrations.Migration):
    dependencies = [("schooling", "0003_preregistration_reason_and_intake_link")]

    operations = [migrations.RunPython(forwards, backwards)]
