"""Cooperation agreements, the network drawn as a graph, and network meetings with decisions and tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.core.access import log_access
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.core.models import AccessAction
from ankommen.core.pdf import render_pdf
from ankommen.network import selectors, services
from ankommen.network.forms import CooperationForm, DecisionForm, MeetingForm, MeetingMinutesForm, MeetingPersonForm
from ankommen.network.graph import network_graph
from ankommen.network.models import Organisation
from ankommen.people.views.common import centre_roles_required

STYLESHEET = Path(__file__).resolve().parent.parent / "print.css"


def _centre(request: HttpRequest) -> Any:
    return request.centre  # type: ignore[attr-defined]


def _organisations(request: HttpRequest) -> Any:
    return Organisation.objects.for_centre(_centre(request)).order_by("name")


@centre_roles_required
@require_http_methods(["GET", "POST"])
def cooperation_list(request: HttpRequest) -> HttpResponse:
    form = CooperationForm(request.POST or None, organisations=_organisations(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cooperation_create(centre=_centre(request), by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The cooperation has been saved."))
            return redirect("network:cooperation_list")
    cooperations = selectors.cooperations_of_centre(centre=_centre(request))
    context = {"form": form, "cooperations": cooperations}
    return render(request, "network/cooperation/list.html", context, status=400 if form.errors else 200)


@centre_roles_required
@require_GET
def network_view(request: HttpRequest) -> HttpResponse:
    """Who cooperates with whom today: the graph, and the same facts as a table beside it."""
    cooperations = selectors.cooperations_of_centre(centre=_centre(request), on=timezone.localdate())
    graph = network_graph(centre_name=_centre(request).name, cooperations=cooperations)
    rows = list(zip(graph.edges, cooperations, strict=True))
    return render(request, "network/cooperation/graph.html", {"graph": graph, "rows": rows})


@centre_roles_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, organisations=_organisations(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(centre=_centre(request), by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect("network:meeting_detail", meeting_id=meeting.pk)
    context = {
        "form": form,
        "meetings": selectors.meetings_of_centre(centre=_centre(request)),
        "open_tasks": selectors.open_tasks_of_centre(centre=_centre(request)),
        "today": timezone.localdate(),
    }
    return render(request, "network/meetings/list.html", context, status=400 if form.errors else 200)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_of_centre(centre=_centre(request), meeting_id=meeting_id)
    form = DecisionForm(request.POST or None, organisations=_organisations(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(meeting=meeting, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("network:meeting_detail", meeting_id=meeting.pk)
    persons = selectors.persons_of_meeting(meeting=meeting)
    log_access(request, persons, action=AccessAction.LIST)
    context = {
        "meeting": meeting,
        "decisions": selectors.decisions_of_meeting(meeting=meeting),
        "persons": persons,
        "person_form": _person_form(request, None),
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "network/meetings/detail.html", context, status=400 if form.errors else 200)


def _person_form(request: HttpRequest, data: Any) -> MeetingPersonForm:
    return MeetingPersonForm(
        data,
        contacts=selectors.contacts_of_centre(centre=_centre(request)),
        organisations=_organisations(request),
        prefix="person",
    )


@centre_roles_required
@require_POST
@creates_once
def meeting_person_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_of_centre(centre=_centre(request), meeting_id=meeting_id)
    form = _person_form(request, request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("network:meeting_detail", meeting_id=meeting.pk)
    try:
        services.meeting_person_add(meeting=meeting, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The participant has been added."))
    return redirect("network:meeting_detail", meeting_id=meeting.pk)


@centre_roles_required
@require_POST
def meeting_person_remove(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.meeting_person_of_centre(centre=_centre(request), person_id=person_id)
    meeting_id = person.meeting_id
    services.meeting_person_remove(person=person, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The participant has been removed."))
    return redirect("network:meeting_detail", meeting_id=meeting_id)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_of_centre(centre=_centre(request), meeting_id=meeting_id)
    initial = {"agenda": meeting.agenda, "minutes": meeting.minutes}
    form = MeetingMinutesForm(request.POST or None, initial=initial)
    guard = EditGuard(form, meeting)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                services.meeting_update(meeting=meeting, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The minutes have been saved."))
            return redirect("network:meeting_detail", meeting_id=meeting.pk)
    context = {"form": form, "meeting": meeting}
    return render(request, "network/meetings/edit.html", context, status=guard.status)


@centre_roles_required
@require_GET
def meeting_minutes_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The minutes as a PDF: participating organisations and persons, agenda, minutes, decisions and tasks."""
    meeting = selectors.meeting_of_centre(centre=_centre(request), meeting_id=meeting_id)
    persons = selectors.persons_of_meeting(meeting=meeting)
    log_access(request, persons, action=AccessAction.EXPORT)
    html = render_to_string(
        "network/meetings/minutes_pdf.html",
        {"meeting": meeting, "persons": persons, "decisions": selectors.decisions_of_meeting(meeting=meeting)},
    )
    response = HttpResponse(render_pdf(html, stylesheet=STYLESHEET), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protokoll-{meeting.date:%Y-%m-%d}.pdf"'
    return response


@centre_roles_required
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_of_centre(centre=_centre(request), task_id=task_id)
    services.task_mark_done(task=task, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The task is marked as done."))
    return redirect("network:meeting_detail", meeting_id=task.decision.meeting_id)
