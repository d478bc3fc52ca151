"""The volunteer's own portal: profile, proposals to accept or decline, assignments and hours.

A proposal shows only what a decision needs (activity, area, times, duration); the name and phone number of the
person to support appear once the volunteer has accepted, and that read is logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.core.access import log_access, role_required
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.core.languages import family_page
from ankommen.core.models import AccessAction, AccessPurpose
from ankommen.matching.volunteers import slot_pairs
from ankommen.volunteering import selectors, services
from ankommen.volunteering.forms import PART_CHOICES, DeclineForm, HoursForm, ProfileForm, WithdrawConsentForm
from ankommen.volunteering.models import AssignmentStatus, Volunteer, VolunteerStatus, Weekday

volunteer_required = role_required(Role.VOLUNTEER)


def _own_volunteer(request: HttpRequest) -> Volunteer:
    volunteer = selectors.volunteer_of(request.user)  # type: ignore[arg-type]
    membership = request.membership  # type: ignore[attr-defined]
    if volunteer is None or volunteer.centre_id != membership.centre_id:
        raise Http404
    return volunteer


def time_windows(mask: int) -> list[str]:
    parts = dict(PART_CHOICES)
    return [f"{Weekday(day).label} {parts[str(part)]}" for day, part in slot_pairs(mask)]


@family_page
@volunteer_required
@require_GET
def portal(request: HttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    assignments = list(selectors.assignments_shown_to_volunteer(volunteer=volunteer))
    accepted = [a for a in assignments if a.status in (AssignmentStatus.ACTIVE, AssignmentStatus.ENDED)]
    people = [a.request.person or a.request.family for a in accepted if a.status == AssignmentStatus.ACTIVE]
    log_access(request, [record for record in people if record is not None], action=AccessAction.VIEW)
    rows = [
        {
            "assignment": a,
            "activity": selectors.activity_label(a.request.activity),
            "windows": time_windows(a.request.availability),
            "show_contact": a.status == AssignmentStatus.ACTIVE,
        }
        for a in assignments
    ]
    context = {
        "volunteer": volunteer,
        "rows": rows,
        "activities": [selectors.activity_label(code) for code in volunteer.activities],
        "windows": time_windows(volunteer.availability),
        "decline_form": DeclineForm(),
        "hours_form": HoursForm(assignments=accepted),
        "hours": selectors.hours_of_volunteer(volunteer=volunteer),
        "withdrawn": volunteer.status == VolunteerStatus.CONSENT_WITHDRAWN,
        "family_page": True,
    }
    return render(request, "volunteering/portal/portal.html", context)


def _own_assignment(volunteer: Volunteer, assignment_id: int):  # type: ignore[no-untyped-def]
    try:
        return selectors.assignment_of_volunteer(volunteer=volunteer, assignment_id=assignment_id)
    except ObjectDoesNotExist:
        raise Http404 from None


@family_page
@volunteer_required
@require_POST
def assignment_respond(request: HttpRequest, assignment_id: int) -> HttpResponse:
    volunteer = _own_volunteer(request)
    assignment = _own_assignment(volunteer, assignment_id)
    try:
        if request.POST.get("decision") == "accept":
            services.assignment_accept(volunteer=volunteer, assignment=assignment)
            messages.success(request, _("Thank you! You have accepted the request."))
        else:
            form = DeclineForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Please give a short reason."))
                return redirect("volunteering:portal")
            services.assignment_decline(volunteer=volunteer, assignment=assignment, reason=form.cleaned_data["reason"])
            messages.success(request, _("You have declined the request."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("volunteering:portal")


@family_page
@volunteer_required
@require_POST
@creates_once
def hours_log(request: HttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    accepted = selectors.assignments_shown_to_volunteer(volunteer=volunteer).filter(
        status__in=[AssignmentStatus.ACTIVE, AssignmentStatus.ENDED]
    )
    form = HoursForm(request.POST, assignments=list(accepted))
    if form.is_valid():
        try:
            services.hours_log(
                volunteer=volunteer,
                assignment=form.assignments[form.cleaned_data["assignment"]],
                date=form.cleaned_data["date"],
                hours=form.cleaned_data["hours"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your hours are logged. The integration centre will confirm them."))
    else:
        messages.error(request, " ".join(str(m) for messages_ in form.errors.values() for m in messages_))
    return redirect("volunteering:portal")


@family_page
@volunteer_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    log_access(request, [volunteer], action=AccessAction.VIEW, purpose=AccessPurpose.SUBJECT_ACCESS)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(volunteer))
    guard = EditGuard(form, volunteer, ProfileForm.initial_for)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with guard.unchanged():
                services.volunteer_profile_update(
                    volunteer=volunteer,
                    phone=data["phone"],
                    postcode=data["postcode"],
                    radius_km=data["radius_km"],
                    max_parallel=data["max_parallel"],
                    languages=form.languages(),
                    activities=data["activities"],
                    availability=form.availability_mask(),
                )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("volunteering:portal")
    status = guard.status
    return render(request, "volunteering/portal/profile.html", {"form": form, "family_page": True}, status=status)


@family_page
@volunteer_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest) -> HttpResponse:
    """The volunteer withdraws their consent: it takes effect at once (see services.volunteer_consent_withdraw)."""
    volunteer = _own_volunteer(request)
    form = WithdrawConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_consent_withdraw(volunteer=volunteer)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You have withdrawn your consent. The integration centre has been told."))
        return redirect("volunteering:portal")
    context = {
        "form": form,
        "withdrawn": volunteer.status == VolunteerStatus.CONSENT_WITHDRAWN,
        "family_page": True,
    }
    return render(request, "volunteering/portal/consent_withdraw.html", context, status=400 if form.errors else 200)
