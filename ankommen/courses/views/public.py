"""The public catalogue, registration, and the participant's own page opened by the secret link in the mail.

Registration is public: teachers and other participants have no account on the platform, so they register with
name, e-mail address and school. The secret link in the mail is the participant's key to their registration.
An anonymous request names no centre to the database (docs/rls.md): the pages work in the centre of the course or
registration found by its public id or secret.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.core.concurrency import creates_once
from ankommen.core.row_level_security import centre_scope
from ankommen.courses import selectors, services
from ankommen.courses.forms import CatalogueFilterForm, FeedbackForm, RegistrationForm
from ankommen.courses.models import Course, Registration, RegistrationStatus
from ankommen.courses.pdf import certificate_pdf

REGISTERED_SESSION_KEY = "courses_registered_status"
# The digest of the secret link this browser opened last (never the secret itself).
PARTICIPATION_SESSION_KEY = "courses_participation_digest"


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    filters = selectors.CatalogueFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.CatalogueFilters(**form.cleaned_data)
    courses = selectors.catalogue(filters=filters, today=timezone.localdate())
    status = 400 if form.errors else 200
    return render(request, "courses/public/catalogue.html", {"form": form, "courses": courses}, status=status)


@require_http_methods(["GET", "POST"])
@creates_once
def course_public(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.public_course(course_id=course_id)
    with centre_scope(course.centre_id):
        return _course_public(request, course)


def _course_public(request: HttpRequest, course: Course) -> HttpResponse:
    is_open = services.registration_is_open(course, today=timezone.localdate())
    form = RegistrationForm(request.POST if request.method == "POST" else None, course=course)
    if request.method == "POST":
        if form.is_honeypot_filled:
            request.session[REGISTERED_SESSION_KEY] = RegistrationStatus.CONFIRMED
            return redirect("courses:registered", course_id=course.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration, _secret = services.registration_create(
                    course=course,
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    email=data["email"],
                    audience=data["audience"],
                    school=data["school_number"],
                    organisation=data["organisation"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                request.session[REGISTERED_SESSION_KEY] = registration.status
                return redirect("courses:registered", course_id=course.pk)
    context = {"course": course, "form": form, "is_open": is_open, "free_seats": course.free_seats}
    return render(request, "courses/public/course.html", context, status=400 if form.errors else 200)


@require_GET
def registered(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.public_course(course_id=course_id)
    status = request.session.pop(REGISTERED_SESSION_KEY, None)
    return render(request, "courses/public/registered.html", {"course": course, "status": status})


def _registration_from_session(request: HttpRequest) -> Registration:
    """The registration whose secret link this browser opened; 404 without one (or once the link was replaced)."""
    digest = request.session.get(PARTICIPATION_SESSION_KEY)
    if not isinstance(digest, str):
        raise Http404
    return selectors.registration_for_digest(digest=digest)


def _participation_context(registration: Registration) -> dict:
    today = timezone.localdate()
    course = registration.course
    return {
        "registration": registration,
        "course": course,
        "sessions": selectors.sessions_of_course(course=course),
        "certificate": selectors.certificate_for(registration=registration),
        "has_ended": services.course_has_ended(course, today=today),
    }


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def participation_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the mail: keep its digest in the session and go on to a URL without the secret.

    Like Django's PasswordResetConfirmView, so that the secret does not stay in the address bar, the history or
    the Referer of the participant's next requests. The link stays valid: opening it again later works as well.
    """
    registration = selectors.registration_for_secret(secret=token)
    request.session[PARTICIPATION_SESSION_KEY] = registration.token_digest
    response = _private(redirect("courses:participation"))
    # Only on the redirect: on the page itself "no-referrer" would make browsers send "Origin: null" with its
    # forms, which Django's CSRF check refuses. The page's own URL carries no secret.
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def participation(request: HttpRequest) -> HttpResponse:
    digest = request.session.get(PARTICIPATION_SESSION_KEY)
    if not isinstance(digest, str):
        return _private(render(request, "courses/public/participation_missing.html", status=404))
    registration = selectors.registration_for_digest(digest=digest)
    with centre_scope(registration.centre_id):
        context = _participation_context(registration)
        context["feedback_form"] = FeedbackForm() if _feedback_open(context) else None
        return _private(render(request, "courses/public/participation.html", context))


def _feedback_open(context: dict) -> bool:
    return bool(context["certificate"] and context["has_ended"] and not context["registration"].feedback_given)


@require_POST
def participation_cancel(request: HttpRequest) -> HttpResponse:
    registration = _registration_from_session(request)
    try:
        with centre_scope(registration.centre_id):
            services.registration_cancel(registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration has been cancelled. Your seat goes to the next person waiting."))
    return redirect("courses:participation")


@require_GET
def certificate(request: HttpRequest) -> HttpResponse:
    registration = _registration_from_session(request)
    with centre_scope(registration.centre_id):
        found = selectors.certificate_for(registration=registration)
        if found is None:
            raise Http404
        response = HttpResponse(certificate_pdf(certificate=found), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="teilnahmebescheinigung.pdf"'
    return _private(response)


@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    registration = _registration_from_session(request)
    with centre_scope(registration.centre_id):
        return _feedback(request, registration)


def _feedback(request: HttpRequest, registration: Registration) -> HttpResponse:
    context = _participation_context(registration)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_submit(registration=context["registration"], **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("courses:participation")
    context["feedback_form"] = form
    return _private(render(request, "courses/public/participation.html", context, status=400))
