"""Counselling of a family: slots of the centre's staff and teachers, invitations, and the assessment."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import CENTRE_ROLES, Membership
from ankommen.core.crypto import decrypt_text, encrypt_text
from ankommen.regions.models import SchoolForm
from ankommen.schooling.models import (
    Assessment,
    CefrLevel,
    CounsellingAppointment,
    CounsellingSlot,
    Intake,
    IntakeStatus,
    MathsLevel,
)
from ankommen.schooling.preregistration import preregistration_for_intake

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre

# Invitations are possible before the assessment; a second invitation replaces a missed appointment.
INVITABLE_STATUSES = (IntakeStatus.REGISTERED, IntakeStatus.INVITED)
ASSESSABLE_STATUSES = (IntakeStatus.REGISTERED, IntakeStatus.INVITED, IntakeStatus.ASSESSED)
LONGEST_SLOT = datetime.timedelta(hours=4)


def counsellors_of(*, centre: Centre) -> QuerySet[User]:
    from ankommen.accounts.models import User

    members = Membership.objects.filter(centre=centre, role__in=CENTRE_ROLES, is_active=True)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by("email")


@transaction.atomic
def slot_create(
    *,
    centre: Centre,
    by: User,
    counsellor: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
) -> CounsellingSlot:
    errors: dict[str, str] = {}
    if not counsellors_of(centre=centre).filter(pk=counsellor.pk).exists():
        errors["counsellor"] = _("Only staff and teachers of this centre can hold counselling appointments.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    elif ends_at - starts_at > LONGEST_SLOT:
        errors["ends_at"] = _("An appointment lasts at most four hours.")
    if starts_at < timezone.now():
        errors["starts_at"] = _("This time lies in the past.")
    overlapping = CounsellingSlot.objects.for_centre(centre).filter(
        counsellor=counsellor, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if not errors and overlapping.exists():
        errors["starts_at"] = _("The counsellor already has an appointment at this time.")
    if errors:
        raise ValidationError(errors)
    slot = CounsellingSlot(centre=centre, counsellor=counsellor, starts_at=starts_at, ends_at=ends_at, place=place)
    slot.full_clean()
    slot.save()
    return slot


def free_slots(*, centre: Centre, after: datetime.datetime | None = None) -> QuerySet[CounsellingSlot]:
    return (
        CounsellingSlot.objects.for_centre(centre)
        .filter(starts_at__gte=after or timezone.now(), appointment__isnull=True)
        .select_related("counsellor")
        .order_by("starts_at")
    )


def upcoming_appointments(*, centre: Centre) -> QuerySet[CounsellingAppointment]:
    return (
        CounsellingAppointment.objects.for_centre(centre)
        .filter(slot__ends_at__gte=timezone.now() - datetime.timedelta(days=1))
        .select_related("slot", "slot__counsellor", "intake", "intake__child")
        .order_by("slot__starts_at")
    )


def intake_get(*, centre: Centre, intake_id: int | str) -> Intake:
    try:
        return Intake.objects.for_centre(centre).select_related("child", "child__family").get(pk=intake_id)
    except (Intake.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def appointment_get(*, centre: Centre, appointment_id: int | str) -> CounsellingAppointment:
    try:
        return (
            CounsellingAppointment.objects.for_centre(centre)
            .select_related("slot", "slot__counsellor", "intake", "intake__child", "intake__child__family")
            .get(pk=appointment_id)
        )
    except (CounsellingAppointment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def appointments_of(*, centre: Centre, intake: Intake) -> QuerySet[CounsellingAppointment]:
    return (
        CounsellingAppointment.objects.for_centre(centre)
        .filter(intake=intake)
        .select_related("slot", "slot__counsellor")
        .order_by("-slot__starts_at")
    )


def family_language(*, centre: Centre, intake: Intake) -> str:
    """The language the family chose on the pre-registration form, German when staff entered the intake."""
    preregistration = preregistration_for_intake(centre=centre, intake=intake)
    if preregistration is not None and preregistration.language in settings.FAMILY_LANGUAGES:
        return preregistration.language
    return settings.LANGUAGE_CODE


@transaction.atomic
def appointment_create(
    *,
    centre: Centre,
    by: User,
    intake: Intake,
    slot: CounsellingSlot,
    interpreter_needed: bool,
    interpreter_language: str = "",
    letter_language: str = "de",
) -> CounsellingAppointment:
    """Invite the family of an intake to a free slot; the intake becomes "invited"."""
    errors: dict[str, str] = {}
    if intake.centre_id != centre.pk or slot.centre_id != centre.pk:
        raise ValidationError(_("This record belongs to another centre."))
    intake = Intake.objects.for_centre(centre).select_for_update().get(pk=intake.pk)
    if intake.status not in INVITABLE_STATUSES:
        errors["intake"] = _("Only children not yet assessed can be invited to counselling.")
    slot = CounsellingSlot.objects.for_centre(centre).select_for_update().get(pk=slot.pk)
    if CounsellingAppointment.objects.for_centre(centre).filter(slot=slot).exists():
        errors["slot"] = _("This slot has just been taken. Please choose another one.")
    elif slot.starts_at < timezone.now():
        errors["slot"] = _("This slot lies in the past.")
    if letter_language not in settings.FAMILY_LANGUAGES:
        errors["letter_language"] = _(
            "Letters can be written in German, English, Arabic, Ukrainian, Russian, Turkish and Farsi."
        )
    if interpreter_needed and not interpreter_language:
        errors["interpreter_language"] = _("Please name the language the interpreter should speak.")
    if errors:
        raise ValidationError(errors)
    appointment = CounsellingAppointment(
        centre=centre,
        intake=intake,
        slot=slot,
        interpreter_needed=interpreter_needed,
        interpreter_language=interpreter_language if interpreter_needed else "",
        letter_language=letter_language,
    )
    with pghistory.context(user=by.pk):
        appointment.full_clean()
        appointment.save()
        if intake.status != IntakeStatus.INVITED:
            intake.status = IntakeStatus.INVITED
            intake.save(update_fields=["status", "updated_at"])
    return appointment


def assessment_of(*, centre: Centre, intake: Intake) -> Assessment | None:
    return Assessment.objects.for_centre(centre).filter(intake=intake).first()


def assessment_health_notes(*, assessment: Assessment | None) -> str:
    """The decrypted health notes: call only where a centre role may read them (the assessment page)."""
    return decrypt_text(assessment.health_notes_encrypted) if assessment is not None else ""


@transaction.atomic
def assessment_record(
    *,
    centre: Centre,
    by: User,
    intake: Intake,
    german_level: CefrLevel | str,
    maths_level: MathsLevel | str,
    recommended_grade: int,
    acceptable_school_forms: Sequence[str],
    special_needs_indicated: bool,
    notes: str = "",
    health_notes: str | None = "",
) -> Assessment:
    """Record or correct the assessment of a child; the intake then waits for a seat ("assessed").

    `health_notes=None` keeps the stored notes as they are (used when they cannot be decrypted on the page).
    """
    if intake.centre_id != centre.pk:
        raise ValidationError(_("This record belongs to another centre."))
    intake = Intake.objects.for_centre(centre).select_for_update().get(pk=intake.pk)
    if intake.status not in ASSESSABLE_STATUSES:
        raise ValidationError(_("A child who has already been proposed a school cannot be assessed again here."))
    if unknown := [form for form in acceptable_school_forms if form not in SchoolForm.values]:
        raise ValidationError({"acceptable_school_forms": _("Unknown school form: %(forms)s") % {"forms": unknown}})
    assessment = assessment_of(centre=centre, intake=intake) or Assessment(centre=centre, intake=intake)
    assessment.assessed_by = by
    assessment.german_level = german_level
    assessment.maths_level = maths_level
    assessment.recommended_grade = recommended_grade
    assessment.acceptable_school_forms = list(dict.fromkeys(acceptable_school_forms))
    assessment.special_needs_indicated = special_needs_indicated
    assessment.notes = notes.strip()
    if health_notes is not None:
        assessment.health_notes_encrypted = encrypt_text(health_notes.strip())
    with pghistory.context(user=by.pk):
        assessment.full_clean()
        assessment.save()
        if intake.status != IntakeStatus.ASSESSED:
            intake.status = IntakeStatus.ASSESSED
            intake.save(update_fields=["status", "updated_at"])
    return assessment
