"""The employer's portal: their organisation, their offers, and the profiles the centre has shared with them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.core.access import log_access
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.core.models import AccessAction
from ankommen.work import selectors, services
from ankommen.work.forms import ContractForm, EmployerProfileForm, InterviewForm, NoteForm, OfferForm, ReasonForm
from ankommen.work.models import Application, Employer, Offer, Stage
from ankommen.work.services import EMPLOYER_FIELDS
from ankommen.work.views.common import employer_required


@employer_required
@require_GET
def portal(request: HttpRequest, employer: Employer) -> HttpResponse:
    applications = list(selectors.shared_applications(employer=employer))
    log_access(request, [application.profile for application in applications], action=AccessAction.LIST)
    context = {
        "employer": employer,
        "offers": selectors.offers_of_employer(employer=employer),
        "applications": applications,
    }
    return render(request, "work/employer/portal.html", context)


@employer_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, employer: Employer) -> HttpResponse:
    initial = {name: getattr(employer, name) for name in EMPLOYER_FIELDS}
    form = EmployerProfileForm(request.POST or None, initial=initial)
    guard = EditGuard(form, employer)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                services.employer_update(employer=employer, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The organisation's profile has been saved."))
            return redirect("work:portal")
    status = guard.status
    return render(request, "work/employer/organisation_form.html", {"form": form, "employer": employer}, status=status)


def _offer_form_page(request: HttpRequest, employer: Employer, offer: Offer | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if offer is not None:
        initial = {name: getattr(offer, name) for name in OfferForm.base_fields}
    form = OfferForm(request.POST or None, initial=initial)
    guard = EditGuard(form, offer) if offer is not None else None
    if request.method == "POST" and form.is_valid():
        try:
            if offer is None or guard is None:
                offer = services.offer_create(employer=employer, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            else:
                with guard.unchanged():
                    services.offer_update(offer=offer, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The offer has been saved and is on the public board."))
            return redirect("work:portal")
    status = guard.status if guard is not None else 400 if form.errors else 200
    context = {"form": form, "employer": employer, "offer": offer}
    return render(request, "work/employer/offer_form.html", context, status=status)


@employer_required
@require_http_methods(["GET", "POST"])
@creates_once
def offer_create(request: HttpRequest, employer: Employer) -> HttpResponse:
    return _offer_form_page(request, employer, None)


@employer_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, offer_id: int, employer: Employer) -> HttpResponse:
    return _offer_form_page(request, employer, selectors.offer_of_employer(employer=employer, offer_id=offer_id))


@employer_required
@require_POST
def offer_close(request: HttpRequest, offer_id: int, employer: Employer) -> HttpResponse:
    offer = selectors.offer_of_employer(employer=employer, offer_id=offer_id)
    services.offer_close(offer=offer, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The offer has been closed."))
    return redirect("work:portal")


EMPLOYER_STEPS = ("interview", "offer", "contract", "end")


def _shared_page(
    request: HttpRequest, employer: Employer, application: Application, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    log_access(request, [application.profile], action=AccessAction.VIEW)
    context = {
        "employer": employer,
        "application": application,
        "parts": selectors.shared_profile_parts(application),
        "interview_form": forms.get("interview") or InterviewForm(),
        "offer_form": forms.get("offer") or NoteForm(),
        "contract_form": forms.get("contract") or ContractForm(),
        "end_form": forms.get("end") or ReasonForm(),
        "Stage": Stage,
    }
    return render(request, "work/employer/shared_profile.html", context, status=status)


@employer_required
@require_GET
def shared_profile(request: HttpRequest, application_id: int, employer: Employer) -> HttpResponse:
    application = selectors.shared_application(employer=employer, application_id=application_id)
    return _shared_page(request, employer, application, {})


@employer_required
@require_POST
def shared_profile_step(request: HttpRequest, application_id: int, step: str, employer: Employer) -> HttpResponse:
    application = selectors.shared_application(employer=employer, application_id=application_id)
    if step not in EMPLOYER_STEPS:
        raise Http404
    by = request.user
    form: Any
    try:
        if step == "interview":
            form = InterviewForm(request.POST)
            if form.is_valid():
                services.application_interview(application=application, by=by, **form.cleaned_data)  # type: ignore[arg-type]
        elif step == "offer":
            form = NoteForm(request.POST)
            if form.is_valid():
                services.application_offer(application=application, by=by, **form.cleaned_data)  # type: ignore[arg-type]
        elif step == "contract":
            form = ContractForm(request.POST)
            if form.is_valid():
                services.application_contract(application=application, by=by, **form.cleaned_data)  # type: ignore[arg-type]
        else:
            form = ReasonForm(request.POST)
            if form.is_valid():
                services.application_end(application=application, by=by, **form.cleaned_data)  # type: ignore[arg-type]
    except ValidationError as error:
        form.add_service_errors(error)
    if form.errors:
        return _shared_page(request, employer, application, {step: form}, status=400)
    messages.success(request, _("The step has been recorded."))
    if step == "end":
        return redirect("work:portal")
    return redirect("work:shared_profile", application_id=application.pk)
