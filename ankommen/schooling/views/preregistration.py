"""The family's public pre-registration, and the centre's review of what families sent."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.accounts.models import Role
from ankommen.core.access import log_access, role_required
from ankommen.core.concurrency import creates_once
from ankommen.core.languages import family_page
from ankommen.core.models import AccessAction
from ankommen.core.row_level_security import centre_scope
from ankommen.schooling import preregistration as registrations
from ankommen.schooling.forms_preregistration import (
    ChildFormSet,
    DecisionForm,
    GuardianFormSet,
    PreRegistrationForm,
    RejectForm,
    submission_payload,
)
from ankommen.schooling.models import PreRegistration

centre_roles_required = role_required(Role.CENTRE_LEAD, Role.CENTRE_STAFF, Role.CENTRE_TEACHER)
# Shown on the confirmation page: the name of the centre is public, nothing of the family is kept in the session.
CONFIRMED_CENTRE_SESSION_KEY = "preregistration_centre"


def _family_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in settings.FAMILY_LANGUAGES else settings.LANGUAGE_CODE


@family_page
@require_http_methods(["GET", "POST"])
@creates_once
def preregistration_form(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = PreRegistrationForm(data)
    guardians = GuardianFormSet(data, prefix="guardian")
    children = ChildFormSet(data, prefix="child")
    if request.method == "POST":
        if form.is_honeypot_filled:
            # A script: it sees the same confirmation as a person and learns nothing; nothing is stored.
            return redirect("schooling:preregistration_thanks")
        # Every part is validated, so that the family sees all its mistakes at once.
        valid = [form.is_valid(), guardians.is_valid(), children.is_valid()]
        if all(valid) and form.centre is not None:
            # An anonymous request names no centre to the database: the form writes for the one the family chose.
            with centre_scope(form.centre.pk):
                registrations.preregistration_submit(
                    centre=form.centre,
                    language=_family_language(),
                    payload=submission_payload(form, guardians, children),
                )
            request.session[CONFIRMED_CENTRE_SESSION_KEY] = form.centre.name
            return redirect("schooling:preregistration_thanks")
    has_errors = bool(form.errors or guardians.total_error_count() or children.total_error_count())
    context = {"form": form, "guardians": guardians, "children": children, "family_page": True}
    return render(request, "schooling/preregistration/form.html", context, status=400 if has_errors else 200)


@family_page
@require_GET
def preregistration_thanks(request: HttpRequest) -> HttpResponse:
    centre_name = request.session.pop(CONFIRMED_CENTRE_SESSION_KEY, "")
    context = {"centre_name": centre_name, "family_page": True}
    return render(request, "schooling/preregistration/thanks.html", context)


@centre_roles_required
@require_GET
def preregistration_list(request: HttpRequest) -> HttpResponse:
    preregistrations = list(registrations.preregistration_list(centre=request.centre))  # type: ignore[attr-defined]
    log_access(request, preregistrations, action=AccessAction.LIST)
    return render(request, "schooling/preregistration/list.html", {"preregistrations": preregistrations})


def _detail_context(request: HttpRequest, preregistration: PreRegistration, form: DecisionForm) -> dict[str, object]:
    return {
        "preregistration": preregistration,
        "payload": preregistration.payload,
        "form": form,
        "rows": form.rows(),
        "is_new": preregistration.status == registrations.PreRegistrationStatus.NEW,
    }


@centre_roles_required
@require_http_methods(["GET", "POST"])
def preregistration_detail(request: HttpRequest, preregistration_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    preregistration = registrations.preregistration_get(centre=centre, preregistration_id=preregistration_id)
    persons = registrations.submitted_persons(centre=centre, preregistration=preregistration)
    log_access(request, [preregistration], action=AccessAction.VIEW)
    log_access(request, [candidate for person in persons for candidate in person.candidates], action=AccessAction.LIST)
    form = DecisionForm(request.POST if request.method == "POST" else None, persons=persons)
    if request.method == "POST" and form.is_valid():
        try:
            intakes = registrations.preregistration_accept(
                centre=centre,
                by=request.user,  # type: ignore[arg-type]
                preregistration=preregistration,
                same_person=form.same_person(),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The pre-registration has been accepted: %(count)s intakes opened.") % {"count": len(intakes)},
            )
            return redirect("schooling:preregistration_list")
    status = 400 if form.errors else 200
    return render(
        request, "schooling/preregistration/detail.html", _detail_context(request, preregistration, form), status=status
    )


@centre_roles_required
@require_http_methods(["GET", "POST"])
def preregistration_reject(request: HttpRequest, preregistration_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    preregistration = registrations.preregistration_get(centre=centre, preregistration_id=preregistration_id)
    log_access(request, [preregistration], action=AccessAction.VIEW)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registrations.preregistration_reject(
                centre=centre,
                by=request.user,  # type: ignore[arg-type]
                preregistration=preregistration,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The pre-registration has been rejected."))
            return redirect("schooling:preregistration_list")
    status = 400 if form.errors else 200
    context = {"preregistration": preregistration, "form": form}
    return render(request, "schooling/preregistration/reject.html", context, status=status)
