"""Counselling: slots, invitations with their letter, and the assessment of a child."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.core.access import log_access
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.core.crypto import DecryptionError
from ankommen.core.models import AccessAction
from ankommen.schooling import counselling
from ankommen.schooling.forms_counselling import AssessmentForm, InvitationForm, SlotForm
from ankommen.schooling.models import Assessment
from ankommen.schooling.pdf import invitation_letter_pdf
from ankommen.schooling.views.preregistration import centre_roles_required


@centre_roles_required
@require_GET
def slot_list(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    appointments = list(counselling.upcoming_appointments(centre=centre))
    log_access(request, [appointment.intake.child for appointment in appointments], action=AccessAction.LIST)
    context = {"slots": list(counselling.free_slots(centre=centre)), "appointments": appointments}
    return render(request, "schooling/counselling/slot_list.html", context)


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def slot_create(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    form = SlotForm(request.POST or None, centre=centre, initial={"counsellor": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            counselling.slot_create(centre=centre, by=request.user, **form.service_arguments())  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The appointment slot has been created."))
            return redirect("schooling:slot_list")
    status = 400 if form.errors else 200
    return render(request, "schooling/counselling/slot_form.html", {"form": form}, status=status)


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def invitation_create(request: HttpRequest, intake_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    intake = counselling.intake_get(centre=centre, intake_id=intake_id)
    log_access(request, [intake.child], action=AccessAction.VIEW)
    initial = {"letter_language": counselling.family_language(centre=centre, intake=intake)}
    form = InvitationForm(request.POST or None, centre=centre, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = counselling.appointment_create(
                centre=centre,
                by=request.user,  # type: ignore[arg-type]
                intake=intake,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The family has been invited. Please send them the letter."))
            return redirect("schooling:invitation_sent", appointment_id=appointment.pk)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "intake": intake,
        "appointments": counselling.appointments_of(centre=centre, intake=intake),
    }
    return render(request, "schooling/counselling/invitation_form.html", context, status=status)


@centre_roles_required
@require_GET
def invitation_sent(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = counselling.appointment_get(centre=request.centre, appointment_id=appointment_id)  # type: ignore[attr-defined]
    log_access(request, [appointment.intake.child], action=AccessAction.VIEW)
    return render(request, "schooling/counselling/invitation_sent.html", {"appointment": appointment})


@centre_roles_required
@require_GET
def invitation_letter(request: HttpRequest, appointment_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    appointment = counselling.appointment_get(centre=centre, appointment_id=appointment_id)
    pdf = invitation_letter_pdf(centre=centre, appointment=appointment)
    log_access(request, [appointment.intake.child], action=AccessAction.EXPORT)
    response = HttpResponse(pdf, content_type="application/pdf")
    # The file name carries the appointment's number only, never the family's name.
    response["Content-Disposition"] = f'attachment; filename="einladung-{appointment.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _assessment_values(assessment: Assessment) -> dict[str, object]:
    """The form's values; health notes None when written with another key (kept unless staff write new ones)."""
    try:
        health_notes: str | None = counselling.assessment_health_notes(assessment=assessment)
    except DecryptionError:
        health_notes = None
    return {
        "german_level": assessment.german_level,
        "maths_level": assessment.maths_level,
        "recommended_grade": assessment.recommended_grade,
        "acceptable_school_forms": assessment.acceptable_school_forms,
        "special_needs_indicated": assessment.special_needs_indicated,
        "notes": assessment.notes,
        "health_notes": health_notes,
    }


@centre_roles_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, intake_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    intake = counselling.intake_get(centre=centre, intake_id=intake_id)
    assessment = counselling.assessment_of(centre=centre, intake=intake)
    log_access(request, [intake.child, *([assessment] if assessment else [])], action=AccessAction.VIEW)
    initial: dict[str, object] = {}
    notes_unreadable = False
    if assessment is not None:
        initial = _assessment_values(assessment)
        notes_unreadable = initial["health_notes"] is None
        if notes_unreadable:
            initial["health_notes"] = ""
    form = AssessmentForm(request.POST or None, initial=initial)
    # The first assessment of an intake is created here; from then on the page edits it.
    guard = EditGuard(form, assessment, _assessment_values) if assessment is not None else None
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            if notes_unreadable and not data["health_notes"]:
                data["health_notes"] = None
            with guard.unchanged() if guard is not None else transaction.atomic():
                counselling.assessment_record(centre=centre, by=request.user, intake=intake, **data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The assessment has been saved."))
            return redirect("schooling:assessment_edit", intake_id=intake.pk)
    status = guard.status if guard is not None else 400 if form.errors else 200
    context = {"form": form, "intake": intake, "assessment": assessment, "notes_unreadable": notes_unreadable}
    response = render(request, "schooling/counselling/assessment_form.html", context, status=status)
    # The page may show decrypted health notes: no browser or proxy keeps a copy.
    response["Cache-Control"] = "no-store"
    return response
