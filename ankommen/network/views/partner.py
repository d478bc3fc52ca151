"""The partner portal: an organisation of the network directory keeps its own public entry up to date.

Staff of the centre invite a person of the organisation from the organisation's page; the partner sees and
changes only their own organisation (see `ankommen.network.partners`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.core.access import get_object_for_centre
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.network import selectors, services
from ankommen.network.forms import PartnerEntryForm, PartnerInviteForm, ServiceForm
from ankommen.network.models import Organisation, PartnerContact, Service
from ankommen.network.partners import partner_required
from ankommen.network.services import PARTNER_FIELDS
from ankommen.people.views.common import centre_roles_required


def _centre(request: HttpRequest) -> Any:
    return request.centre  # type: ignore[attr-defined]


# --- staff: access to the portal ----------------------------------------------------------------------------------


@centre_roles_required
@require_POST
def partner_invite(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.organisation_of_centre(centre=_centre(request), organisation_id=organisation_id)
    form = PartnerInviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("network:organisation_detail", organisation_id=organisation.pk)
    try:
        services.partner_invite(
            organisation=organisation,
            by=request.user,  # type: ignore[arg-type]
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The partner portal is open for this person; they have been sent an e-mail."))
    return redirect("network:organisation_detail", organisation_id=organisation.pk)


@centre_roles_required
@require_POST
def partner_deactivate(request: HttpRequest, organisation_id: int, contact_id: int) -> HttpResponse:
    organisation = selectors.organisation_of_centre(centre=_centre(request), organisation_id=organisation_id)
    contact = get_object_for_centre(
        PartnerContact.objects.all(), _centre(request), pk=contact_id, organisation=organisation
    )
    services.partner_deactivate(contact=contact, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("The access to the partner portal has been ended."))
    return redirect("network:organisation_detail", organisation_id=organisation.pk)


# --- the partner ----------------------------------------------------------------------------------------------------


@partner_required
@require_GET
def partner_home(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    context = {
        "organisation": organisation,
        "services": selectors.services_of_organisation(organisation=organisation),
        "area": organisation.area_served.order_by("name"),
    }
    return render(request, "network/partner/home.html", context)


@partner_required
@require_http_methods(["GET", "POST"])
def partner_entry_edit(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    initial = {name: getattr(organisation, name) for name in PARTNER_FIELDS}
    form = PartnerEntryForm(request.POST or None, initial=initial)
    guard = EditGuard(form, organisation)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                services.partner_entry_update(organisation=organisation, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your organisation's entry has been saved."))
            return redirect("network:partner_home")
    context = {"form": form, "organisation": organisation, "heading": _("Change our entry")}
    return render(request, "network/partner/form.html", context, status=guard.status)


def _own_service(request: HttpRequest, organisation: Organisation, service_id: int) -> Service:
    return get_object_for_centre(Service.objects.all(), organisation.centre, pk=service_id, organisation=organisation)


@partner_required
@require_http_methods(["GET", "POST"])
@creates_once
def partner_service_create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_add(organisation=organisation, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The service has been saved."))
            return redirect("network:partner_home")
    context = {"form": form, "organisation": organisation, "heading": _("Add a service")}
    return render(request, "network/partner/form.html", context, status=400 if form.errors else 200)


@partner_required
@require_http_methods(["GET", "POST"])
def partner_service_edit(request: HttpRequest, organisation: Organisation, service_id: int) -> HttpResponse:
    service = _own_service(request, organisation, service_id)
    initial: dict[str, Any] = {
        "category": service.category,
        "name": service.name,
        "description": service.description,
        "languages": service.languages,
    }
    form = ServiceForm(request.POST or None, initial=initial)
    guard = EditGuard(form, service)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                services.service_update(service=service, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The service has been saved."))
            return redirect("network:partner_home")
    context = {"form": form, "organisation": organisation, "service": service, "heading": _("Change the service")}
    return render(request, "network/partner/form.html", context, status=guard.status)


@partner_required
@require_POST
def partner_service_remove(request: HttpRequest, organisation: Organisation, service_id: int) -> HttpResponse:
    service = _own_service(request, organisation, service_id)
    try:
        services.service_remove(service=service, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The service has been removed from the directory."))
    return redirect("network:partner_home")
