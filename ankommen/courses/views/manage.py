"""The organising centre's pages: courses, sessions, participants, attendance, feedback results.

Participants' names are personal data of the organising centre only: every page showing them reads through the
centre's scope and writes the access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.core.access import log_access
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.core.models import AccessAction
from ankommen.courses import selectors, services
from ankommen.courses.forms import CourseForm, SessionForm, SessionRemoveForm
from ankommen.courses.models import Course, RegistrationStatus
from ankommen.courses.pdf import attendance_list_pdf
from ankommen.people.views.common import centre_roles_required


def _centre(request: HttpRequest) -> Any:
    return request.centre  # type: ignore[attr-defined]


@centre_roles_required
@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    courses = selectors.courses_of_centre(centre=_centre(request))
    return render(request, "courses/manage/course_list.html", {"courses": courses})


def _course_initial(course: Course) -> dict[str, Any]:
    return {
        "title": course.title,
        "description": course.description,
        "topic": course.topic_id,
        "audiences": [audience.pk for audience in course.audiences.all()],
        "seats": course.seats,
        "credit_hours": course.credit_hours,
        "is_statewide": course.is_statewide,
        "is_published": course.is_published,
        "contact_email": course.contact_email,
    }


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def course_create(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(centre=_centre(request), by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The course has been saved. Add its sessions now."))
            return redirect("courses:session_create", course_id=course.pk)
    return render(request, "courses/manage/course_form.html", {"form": form}, status=400 if form.errors else 200)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_of_centre(centre=_centre(request), course_id=course_id)
    form = CourseForm(request.POST or None, initial=_course_initial(course))
    guard = EditGuard(form, course, _course_initial)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                services.course_update(course=course, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The course has been saved."))
            return redirect("courses:course_detail", course_id=course.pk)
    context = {"form": form, "course": course}
    return render(request, "courses/manage/course_form.html", context, status=guard.status)


@centre_roles_required
@require_GET
def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_of_centre(centre=_centre(request), course_id=course_id)
    registrations = selectors.registrations_of_course(course=course)
    log_access(request, registrations, action=AccessAction.LIST)
    context = {
        "course": course,
        "sessions": selectors.sessions_of_course(course=course),
        "confirmed": [r for r in registrations if r.status == RegistrationStatus.CONFIRMED],
        "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
        "cancelled": [r for r in registrations if r.status == RegistrationStatus.CANCELLED],
    }
    return render(request, "courses/manage/course_detail.html", context)


@centre_roles_required
@require_POST
def course_delete(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_of_centre(centre=_centre(request), course_id=course_id)
    try:
        services.course_delete(course=course, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("courses:course_detail", course_id=course.pk)
    messages.success(request, _("The course has been deleted."))
    return redirect("courses:course_list")


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def session_create(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_of_centre(centre=_centre(request), course_id=course_id)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_add(course=course, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The session has been added."))
            return redirect("courses:course_detail", course_id=course.pk)
    context = {"form": form, "course": course, "sessions": selectors.sessions_of_course(course=course)}
    return render(request, "courses/manage/session_form.html", context, status=400 if form.errors else 200)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def session_remove(request: HttpRequest, session_id: int) -> HttpResponse:
    """Remove a session of a course: a confirmation page, then the POST. Refused once attendance was recorded."""
    session = selectors.session_of_centre(centre=_centre(request), session_id=session_id)
    course = session.course
    form = SessionRemoveForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            informed = services.session_remove(session=session, by=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The session has been removed; %(count)s registered people are being informed by e-mail.")
                % {"count": len(informed)},
            )
        return redirect("courses:course_detail", course_id=course.pk)
    context = {"session": session, "course": course, "form": form}
    return render(request, "courses/manage/session_remove.html", context, status=400 if form.errors else 200)


@centre_roles_required
@require_POST
def registration_cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = selectors.registration_of_centre(centre=_centre(request), registration_id=registration_id)
    try:
        moved_up = services.registration_cancel(registration=registration, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The registration has been cancelled."))
        if moved_up:
            messages.info(request, _("%(count)d people moved up from the waiting list.") % {"count": len(moved_up)})
    return redirect("courses:course_detail", course_id=registration.course_id)


@centre_roles_required
@require_GET
def attendance_list(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_of_centre(centre=_centre(request), course_id=course_id)
    participants = selectors.registrations_of_course(course=course, status=RegistrationStatus.CONFIRMED)
    log_access(request, participants, action=AccessAction.EXPORT)
    participants.sort(key=lambda r: (r.family_name.casefold(), r.given_name.casefold()))
    sessions = selectors.sessions_of_course(course=course)
    pdf = attendance_list_pdf(course=course, sessions=sessions, participants=participants, present={})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="anwesenheitsliste.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@centre_roles_required
@require_http_methods(["GET", "POST"])
def attendance_check(request: HttpRequest, session_id: int) -> HttpResponse:
    """Check-off on a tablet: one large button per participant; works without JavaScript, htmx swaps the row."""
    session = selectors.session_of_centre(centre=_centre(request), session_id=session_id)
    if request.method == "POST":
        registration = selectors.registration_of_centre(
            centre=_centre(request), registration_id=_int(request.POST.get("registration"))
        )
        try:
            services.attendance_set(
                registration=registration,
                session=session,
                is_present=request.POST.get("present") == "1",
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(f"{request.path}#participant-{registration.pk}")
    participants = selectors.registrations_of_course(course=session.course, status=RegistrationStatus.CONFIRMED)
    participants.sort(key=lambda r: (r.family_name.casefold(), r.given_name.casefold()))
    log_access(request, participants, action=AccessAction.LIST)
    present = selectors.attendance_of_session(session=session)
    rows = [(registration, present.get(registration.pk, False)) for registration in participants]
    context = {
        "session": session,
        "course": session.course,
        "rows": rows,
        "present_count": sum(1 for _registration, is_present in rows if is_present),
    }
    return render(request, "courses/manage/attendance_check.html", context)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


@centre_roles_required
@require_GET
def feedback_results(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_of_centre(centre=_centre(request), course_id=course_id)
    summary = selectors.feedback_summary(course=course)
    return render(request, "courses/manage/feedback_results.html", {"course": course, "summary": summary})
