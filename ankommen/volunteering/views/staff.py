"""The coordinators' pages: volunteers, verification, clearance, requests, suggestions, batch proposal, hours."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.core.access import log_access, role_required
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.core.models import AccessAction
from ankommen.volunteering import batch as batch_service
from ankommen.volunteering import selectors, services
from ankommen.volunteering.certificate import engagement_certificate_pdf
from ankommen.volunteering.forms import ClearanceForm, CloseForm, ProfileForm, SupportRequestForm, VerifyForm
from ankommen.volunteering.models import (
    ACTIVE_BATCH_RUN_STATUSES,
    BatchRun,
    RequestStatus,
    Volunteer,
    VolunteerStatus,
)

# Volunteers per page of the staff list.
PAGE_SIZE = 50

centre_roles_required = role_required(Role.CENTRE_LEAD, Role.CENTRE_STAFF, Role.CENTRE_TEACHER)


def _get(getter: Callable[..., Any], **kwargs: Any) -> Any:
    """The record of the user's centre, or 404: another centre's record does not exist for them."""
    try:
        return getter(**kwargs)
    except (ObjectDoesNotExist, ValueError):
        raise Http404 from None


@centre_roles_required
@require_GET
def volunteer_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in VolunteerStatus.values:
        status = ""
    volunteers = selectors.volunteer_list(centre=request.centre, status=status)  # type: ignore[attr-defined]
    # A page at a time: a large centre has thousands, and each one listed is a read in the access log.
    page = Paginator(volunteers, PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(request, page.object_list, action=AccessAction.LIST)
    context = {"page": page, "volunteers": page.object_list, "status": status, "statuses": VolunteerStatus.choices}
    return render(request, "volunteering/staff/volunteer_list.html", context)


def _volunteer(request: HttpRequest, volunteer_id: int) -> Volunteer:
    volunteer = _get(selectors.volunteer_get, centre=request.centre, volunteer_id=volunteer_id)  # type: ignore[attr-defined]
    log_access(request, [volunteer], action=AccessAction.VIEW)
    return volunteer  # type: ignore[return-value]


@centre_roles_required
@require_GET
def volunteer_detail(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = _volunteer(request, volunteer_id)
    centre = request.centre  # type: ignore[attr-defined]
    context = {
        "volunteer": volunteer,
        "inspections": selectors.inspections_of(centre=centre, volunteer=volunteer),
        "assignments": selectors.assignments_of_volunteer(volunteer=volunteer),
        "activities": [selectors.activity_label(code) for code in volunteer.activities],
        "verify_form": VerifyForm(),
        "clearance_form": ClearanceForm(initial={"inspected_on": timezone.localdate()}),
        "can_verify": volunteer.status == VolunteerStatus.AWAITING_VERIFICATION,
        "clearance_valid": volunteer.clearance_valid_until is not None
        and volunteer.clearance_valid_until >= timezone.localdate(),
    }
    return render(request, "volunteering/staff/volunteer_detail.html", context)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def volunteer_edit(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    """Staff change a volunteer's profile (after a phone call, say): the same rules as the volunteer's own page."""
    volunteer = _volunteer(request, volunteer_id)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(volunteer))
    guard = EditGuard(form, volunteer, ProfileForm.initial_for)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with guard.unchanged():
                services.volunteer_profile_update(
                    volunteer=volunteer,
                    by=request.user,  # type: ignore[arg-type]
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
            messages.success(request, _("The volunteer's profile is saved."))
            return redirect("volunteering:volunteer_detail", volunteer_id=volunteer.pk)
    status = guard.status
    context = {"volunteer": volunteer, "form": form}
    return render(request, "volunteering/staff/volunteer_form.html", context, status=status)


@centre_roles_required
@require_POST
def volunteer_verify(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = _volunteer(request, volunteer_id)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please confirm that you have seen an identity document."))
        return redirect("volunteering:volunteer_detail", volunteer_id=volunteer.pk)
    try:
        services.volunteer_verify(centre=request.centre, by=request.user, volunteer=volunteer)  # type: ignore[attr-defined, arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The volunteer's identity is verified."))
    return redirect("volunteering:volunteer_detail", volunteer_id=volunteer.pk)


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def clearance_record(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = _volunteer(request, volunteer_id)
    form = ClearanceForm(request.POST or None, initial={"inspected_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.clearance_record(
                centre=request.centre,  # type: ignore[attr-defined]
                by=request.user,  # type: ignore[arg-type]
                volunteer=volunteer,
                issued_on=form.cleaned_data["issued_on"],
                inspected_on=form.cleaned_data["inspected_on"],
                no_relevant_entry=form.cleaned_data["no_relevant_entry"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The inspection of the clearance certificate is recorded."))
            return redirect("volunteering:volunteer_detail", volunteer_id=volunteer.pk)
    status = 400 if form.errors else 200
    context = {"volunteer": volunteer, "form": form}
    return render(request, "volunteering/staff/clearance_form.html", context, status=status)


@centre_roles_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    requests = list(selectors.request_list(centre=request.centre, status=status).select_related("person", "family"))  # type: ignore[attr-defined]
    log_access(request, requests, action=AccessAction.LIST)
    context = {
        "requests": requests,
        "status": status,
        "statuses": RequestStatus.choices,
        "counts": selectors.proposal_counts(centre=request.centre),  # type: ignore[attr-defined]
    }
    return render(request, "volunteering/staff/request_list.html", context)


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def request_create(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    form = SupportRequestForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.support_request_create(
                centre=centre,
                by=request.user,  # type: ignore[arg-type]
                person=form.chosen_person(),
                partner_organisation=data["partner_organisation"],
                activity=data["activity"],
                languages=form.languages(),
                availability=form.availability_mask(),
                postcode=data["postcode"],
                involves_minors=data["involves_minors"],
                expected_duration=data["expected_duration"],
                description=data["description"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The request is open."))
            return redirect("volunteering:request_detail", request_id=created.pk)
    status = 400 if form.errors else 200
    return render(request, "volunteering/staff/request_form.html", {"form": form}, status=status)


@centre_roles_required
@require_GET
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    support = _get(selectors.request_get, centre=centre, request_id=request_id)
    log_access(request, [support], action=AccessAction.VIEW)
    suggestions = (
        selectors.suggestions_for(centre=centre, request=support) if support.status == RequestStatus.OPEN else []  # type: ignore[attr-defined, arg-type]
    )
    log_access(request, [row.volunteer for row in suggestions], action=AccessAction.LIST)
    context = {
        "support": support,
        "activity": selectors.activity_label(support.activity),  # type: ignore[attr-defined]
        "suggestions": suggestions,
        "assignments": selectors.assignments_of_request(centre=centre, request=support),  # type: ignore[arg-type]
        "steps": selectors.steps_of(centre=centre, request=support),  # type: ignore[arg-type]
        "close_form": CloseForm(),
        "is_open": support.status == RequestStatus.OPEN,  # type: ignore[attr-defined]
        "is_closed": support.status == RequestStatus.CLOSED,  # type: ignore[attr-defined]
    }
    return render(request, "volunteering/staff/request_detail.html", context)


@centre_roles_required
@require_POST
def request_propose(request: HttpRequest, request_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    support = _get(selectors.request_get, centre=centre, request_id=request_id)
    try:
        volunteer = selectors.volunteer_get(centre=centre, volunteer_id=int(request.POST.get("volunteer", "")))
    except (ValueError, Volunteer.DoesNotExist):
        raise Http404 from None
    breakdown = selectors.matching.suggest_for_volunteer(
        selectors.volunteer_pool(centre=centre),
        selectors.need_of(support),
        volunteer.pk,  # type: ignore[arg-type]
    )
    try:
        services.assignment_propose(
            centre=centre,
            by=request.user,  # type: ignore[arg-type]
            request=support,  # type: ignore[arg-type]
            volunteer=volunteer,
            score={**(breakdown[0] if breakdown else {}), "method": "single"},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request has been proposed to the volunteer."))
    return redirect("volunteering:request_detail", request_id=support.pk)


@centre_roles_required
@require_POST
def request_close(request: HttpRequest, request_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    support = _get(selectors.request_get, centre=centre, request_id=request_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.support_request_close(
                centre=centre,
                by=request.user,  # type: ignore[arg-type]
                request=support,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The request is closed."))
    else:
        messages.error(request, _("Please choose a reason."))
    return redirect("volunteering:request_detail", request_id=support.pk)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def batch(request: HttpRequest) -> HttpResponse:
    """The batch proposals of the centre; a POST queues a new one (a background job computes it)."""
    centre = request.centre  # type: ignore[attr-defined]
    if request.method == "POST":
        try:
            run = batch_service.batch_run_start(centre=centre, by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("volunteering:batch")
        messages.success(request, _("The batch proposal has been started."))
        return redirect("volunteering:batch_run_detail", run_id=run.pk)
    context = {
        "runs": list(batch_service.batch_runs(centre=centre)[:20]),
        "open_requests": selectors.request_list(centre=centre, status=RequestStatus.OPEN).count(),
    }
    return render(request, "volunteering/staff/batch.html", context)


def _batch_run(request: HttpRequest, run_id: int) -> BatchRun:
    run: BatchRun = _get(batch_service.batch_run_get, centre=request.centre, run_id=run_id)  # type: ignore[attr-defined]
    return run


@centre_roles_required
@require_GET
def batch_run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _batch_run(request, run_id)
    context = {"run": run, "is_active": run.status in ACTIVE_BATCH_RUN_STATUSES, "summary": run.summary}
    return render(request, "volunteering/staff/batch_run.html", context)


@centre_roles_required
@require_GET
def batch_run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _batch_run(request, run_id)
    is_active = run.status in ACTIVE_BATCH_RUN_STATUSES
    response = render(request, "volunteering/staff/batch_run.html#progress", {"run": run, "is_active": is_active})
    if not is_active and request.htmx:  # type: ignore[attr-defined]
        # The job has finished: the whole page reloads to show its result.
        response["HX-Refresh"] = "true"
    return response


@centre_roles_required
@require_POST
def batch_run_apply(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _batch_run(request, run_id)
    try:
        run = batch_service.batch_run_apply(centre=request.centre, by=request.user, run=run)  # type: ignore[attr-defined, arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(count)d requests have been proposed to volunteers.") % {"count": run.summary.get("applied", 0)},
        )
    return redirect("volunteering:batch_run_detail", run_id=run.pk)


@centre_roles_required
@require_GET
def hours_list(request: HttpRequest) -> HttpResponse:
    entries = list(selectors.hours_to_confirm(centre=request.centre))  # type: ignore[attr-defined]
    log_access(request, entries, action=AccessAction.LIST)
    return render(request, "volunteering/staff/hours_list.html", {"entries": entries})


@centre_roles_required
@require_POST
def hours_decide(request: HttpRequest, entry_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    entry = _get(selectors.hours_entry_get, centre=centre, entry_id=entry_id)
    try:
        services.hours_decide(
            centre=centre,
            by=request.user,  # type: ignore[arg-type]
            entry=entry,
            confirm=request.POST.get("decision") == "confirm",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The hours are decided."))
    if request.POST.get("back") == "shift" and entry.shift_signup_id:
        return redirect("volunteering:shift_hours", shift_id=entry.shift_signup.shift_id)
    return redirect("volunteering:hours_list")


@centre_roles_required
@require_GET
def engagement_certificate(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    volunteer = _volunteer(request, volunteer_id)
    pdf = engagement_certificate_pdf(centre=request.centre, volunteer=volunteer)  # type: ignore[attr-defined]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="engagement-{volunteer.pk}.pdf"'
    return response
