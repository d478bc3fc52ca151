"""Shifts at meeting points: the coordinators' plan and unfilled slots, the volunteers' board, the iCal feed."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.core.access import log_access
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.core.languages import family_page
from ankommen.core.models import AccessAction
from ankommen.core.row_level_security import centre_scope
from ankommen.volunteering import shifts
from ankommen.volunteering.forms import MeetingPointForm, ShiftForm, ShiftHoursForm
from ankommen.volunteering.models import MeetingPoint, Shift, ShiftSignup
from ankommen.volunteering.views.portal import _own_volunteer, volunteer_required
from ankommen.volunteering.views.staff import centre_roles_required


def _points(request: HttpRequest) -> list[MeetingPoint]:
    return list(MeetingPoint.objects.for_centre(request.centre))  # type: ignore[attr-defined]


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def shift_plan(request: HttpRequest) -> HttpResponse:
    """The centre's shifts: unfilled slots of the next four weeks, new meeting points and shifts."""
    centre = request.centre  # type: ignore[attr-defined]
    points = _points(request)
    point_form = MeetingPointForm(prefix="point")
    shift_form = ShiftForm(prefix="shift", points=points)
    if request.method == "POST" and "point-name" in request.POST:
        point_form = MeetingPointForm(request.POST, prefix="point")
        if point_form.is_valid():
            shifts.meeting_point_create(centre=centre, by=request.user, **point_form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, _("The meeting point is saved."))
            return redirect("volunteering:shift_plan")
    elif request.method == "POST":
        shift_form = ShiftForm(request.POST, prefix="shift", points=points)
        if shift_form.is_valid():
            data = dict(shift_form.cleaned_data)
            data["meeting_point"] = shift_form.points[data["meeting_point"]]
            try:
                shifts.shift_create(centre=centre, by=request.user, **data)  # type: ignore[arg-type]
            except ValidationError as error:
                shift_form.add_service_errors(error)
            else:
                messages.success(request, _("The shift is saved."))
                return redirect("volunteering:shift_plan")
    signups = list(
        ShiftSignup.objects.for_centre(centre)
        .filter(cancelled_at__isnull=True, date__gte=timezone.localdate())
        .select_related("volunteer__user", "shift")
        .order_by("date")[:200]
    )
    log_access(request, [signup.volunteer for signup in signups], action=AccessAction.LIST)
    context = {
        "shifts": list(Shift.objects.for_centre(centre).select_related("meeting_point").order_by("-last_date", "pk")),
        "unfilled": shifts.unfilled(centre=centre),
        "signups": signups,
        "point_form": point_form,
        "shift_form": shift_form,
        "has_points": bool(points),
    }
    status = 400 if point_form.errors or shift_form.errors else 200
    return render(request, "volunteering/staff/shift_plan.html", context, status=status)


def _shift(request: HttpRequest, shift_id: int) -> Shift:
    try:
        shift: Shift = (
            Shift.objects.for_centre(request.centre)  # type: ignore[attr-defined]
            .select_related("meeting_point")
            .get(pk=shift_id)
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    return shift


def _shift_initial(shift: Shift) -> dict[str, object]:
    return {
        "meeting_point": str(shift.meeting_point_id),
        "title": shift.title,
        "weekday": shift.weekday,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "slots": shift.slots,
        "first_date": shift.first_date,
        "last_date": shift.last_date,
    }


@centre_roles_required
@require_http_methods(["GET", "POST"])
def shift_edit(request: HttpRequest, shift_id: int) -> HttpResponse:
    """Change a shift, or delete one nobody signed up for (shift_delete)."""
    centre = request.centre  # type: ignore[attr-defined]
    shift = _shift(request, shift_id)
    form = ShiftForm(request.POST or None, prefix="shift", points=_points(request), initial=_shift_initial(shift))
    guard = EditGuard(form, shift, _shift_initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["meeting_point"] = form.points[data["meeting_point"]]
        try:
            with guard.unchanged():
                shifts.shift_update(centre=centre, by=request.user, shift=shift, **data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The shift is saved."))
            return redirect("volunteering:shift_plan")
    upcoming = (
        ShiftSignup.objects.for_centre(centre)
        .filter(shift=shift, cancelled_at__isnull=True, date__gte=timezone.localdate())
        .count()
    )
    context = {"shift": shift, "form": form, "upcoming": upcoming}
    return render(request, "volunteering/staff/shift_form.html", context, status=guard.status)


@centre_roles_required
@require_POST
def shift_delete(request: HttpRequest, shift_id: int) -> HttpResponse:
    shift = _shift(request, shift_id)
    try:
        shifts.shift_delete(centre=request.centre, by=request.user, shift=shift)  # type: ignore[attr-defined, arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("volunteering:shift_edit", shift_id=shift.pk)
    messages.success(request, _("The shift is deleted."))
    return redirect("volunteering:shift_plan")


@centre_roles_required
@require_GET
def shift_hours(request: HttpRequest, shift_id: int) -> HttpResponse:
    """The hours volunteers logged for one shift, to confirm them here."""
    shift = _shift(request, shift_id)
    entries = list(shifts.hours_of_shift(centre=request.centre, shift=shift))  # type: ignore[attr-defined]
    log_access(request, [entry.volunteer for entry in entries], action=AccessAction.LIST)
    return render(request, "volunteering/staff/shift_hours.html", {"shift": shift, "entries": entries})


@family_page
@volunteer_required
@require_POST
@creates_once
def shift_hours_log(request: HttpRequest, signup_id: int) -> HttpResponse:
    volunteer = _own_volunteer(request)
    try:
        signup = ShiftSignup.objects.for_centre(volunteer.centre).get(pk=signup_id, volunteer=volunteer)
    except ObjectDoesNotExist:
        raise Http404 from None
    form = ShiftHoursForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("volunteering:shift_board")
    try:
        shifts.shift_hours_log(volunteer=volunteer, signup=signup, hours=form.cleaned_data["hours"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your hours are logged. The integration centre will confirm them."))
    return redirect("volunteering:shift_board")


@family_page
@volunteer_required
@require_GET
def shift_board(request: HttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    context = {
        "to_log": shifts.shifts_to_log(volunteer=volunteer),
        "occurrences": shifts.occurrences(centre=volunteer.centre, volunteer=volunteer),
        "feed_token": shifts.feed_token(volunteer),
        "family_page": True,
    }
    return render(request, "volunteering/portal/shift_board.html", context)


@family_page
@volunteer_required
@require_POST
def shift_sign_up(request: HttpRequest, shift_id: int) -> HttpResponse:
    volunteer = _own_volunteer(request)
    try:
        shift = Shift.objects.for_centre(volunteer.centre).get(pk=shift_id)
        date = datetime.date.fromisoformat(request.POST.get("date", ""))
    except (ObjectDoesNotExist, ValueError):
        raise Http404 from None
    try:
        shifts.shift_sign_up(volunteer=volunteer, shift=shift, date=date)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are signed up for the shift."))
    return redirect("volunteering:shift_board")


@family_page
@volunteer_required
@require_POST
def shift_cancel(request: HttpRequest, signup_id: int) -> HttpResponse:
    volunteer = _own_volunteer(request)
    try:
        signup = ShiftSignup.objects.for_centre(volunteer.centre).get(pk=signup_id, volunteer=volunteer)
    except ObjectDoesNotExist:
        raise Http404 from None
    try:
        shifts.shift_cancel(volunteer=volunteer, signup=signup)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect("volunteering:shift_board")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The volunteer's shifts for calendar apps, which cannot log in: the signed token in the address is the key."""
    volunteer = shifts.volunteer_for_feed(token)
    if volunteer is None:
        raise Http404
    # A calendar app names no centre to the database: the signed token names the volunteer, and so the centre.
    with centre_scope(volunteer.centre_id):
        feed = shifts.ical_feed(volunteer=volunteer)
    response = HttpResponse(feed, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="schichten.ics"'
    return response
