"""Placement runs for the centre: start, watch, review, release or discard; then letters and the first school day."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.core.access import log_access
from ankommen.core.models import AccessAction
from ankommen.people.views.common import centre_roles_required
from ankommen.schooling import placement
from ankommen.schooling.forms_placement import FirstSchoolDayForm, RunStartForm
from ankommen.schooling.placement import ACTIVE_RUN_STATUSES


@centre_roles_required
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    context = {"runs": list(placement.placement_runs(centre=centre)[:20]), "form": RunStartForm()}
    return render(request, "schooling/placement/run_list.html", context)


@centre_roles_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    form = RunStartForm(request.POST)
    if form.is_valid():
        try:
            run = placement.placement_run_start(centre=centre, by=request.user, term=form.cleaned_data["term"])  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The placement run has been started."))
            return redirect("schooling:placement_run_detail", run_id=run.pk)
    context = {"runs": list(placement.placement_runs(centre=centre)[:20]), "form": form}
    return render(request, "schooling/placement/run_list.html", context, status=400)


@centre_roles_required
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    run = placement.placement_run_get(centre=centre, run_id=run_id)
    proposals = list(placement.placements_of_run(centre=centre, run=run))
    log_access(request, [proposal.intake for proposal in proposals], action=AccessAction.LIST)
    school_names = placement.school_names_of(proposals)
    rows = [(proposal, placement.explanation_lines(proposal, school_names)) for proposal in proposals]
    context = {
        "run": run,
        "rows": rows,
        "summary": placement.run_summary(run),
        "is_active": run.status in ACTIVE_RUN_STATUSES,
    }
    return render(request, "schooling/placement/run_detail.html", context)


@centre_roles_required
@require_GET
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    run = placement.placement_run_get(centre=centre, run_id=run_id)
    is_active = run.status in ACTIVE_RUN_STATUSES
    response = render(request, "schooling/placement/run_detail.html#progress", {"run": run, "is_active": is_active})
    if not is_active and request.htmx:  # type: ignore[attr-defined]
        # The run has finished: the whole page reloads to show its result.
        response["HX-Refresh"] = "true"
    return response


def _decide(request: HttpRequest, run_id: int, *, release: bool) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    run = placement.placement_run_get(centre=centre, run_id=run_id)
    service = placement.placement_run_release if release else placement.placement_run_discard
    try:
        service(centre=centre, by=request.user, run=run)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The proposals have been sent to the schools.") if release else _("The run has been discarded.")
        )
    return redirect("schooling:placement_run_detail", run_id=run.pk)


@centre_roles_required
@require_POST
def run_release(request: HttpRequest, run_id: int) -> HttpResponse:
    return _decide(request, run_id, release=True)


@centre_roles_required
@require_POST
def run_discard(request: HttpRequest, run_id: int) -> HttpResponse:
    return _decide(request, run_id, release=False)


@centre_roles_required
@require_GET
def confirmed_list(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    placements = list(placement.confirmed_placements(centre=centre))
    log_access(request, [confirmed.intake for confirmed in placements], action=AccessAction.LIST)
    return render(request, "schooling/placement/confirmed_list.html", {"placements": placements})


@centre_roles_required
@require_GET
def placement_letter(request: HttpRequest, placement_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    confirmed = placement.confirmed_placement_get(centre=centre, placement_id=placement_id)
    log_access(request, [confirmed.intake], action=AccessAction.EXPORT)
    pdf = placement.placement_letter_pdf(centre=centre, placement=confirmed)
    response = HttpResponse(pdf, content_type="application/pdf")
    # The file name carries the record's number only, never the child's name.
    response["Content-Disposition"] = f'attachment; filename="schulplatz-{confirmed.pk}.pdf"'
    return response


@centre_roles_required
@require_http_methods(["GET", "POST"])
def first_school_day(request: HttpRequest, intake_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    intake = placement.intake_get(centre=centre, intake_id=intake_id)
    log_access(request, [intake], action=AccessAction.VIEW)
    form = FirstSchoolDayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            placement.intake_first_school_day_record(
                centre=centre,
                by=request.user,  # type: ignore[arg-type]
                intake=intake,
                first_school_day=form.cleaned_data["first_school_day"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The first school day has been recorded; the case is closed."))
            return redirect("schooling:placement_confirmed_list")
    status = 400 if form.errors else 200
    return render(request, "schooling/placement/first_school_day.html", {"form": form, "intake": intake}, status=status)
