"""The centre's directory of organisations, their services and contact persons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.core.access import log_access
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.core.models import AccessAction
from ankommen.network import selectors, services
from ankommen.network.forms import ContactForm, OrganisationForm, PartnerInviteForm, ServiceForm
from ankommen.network.models import Organisation, OrganisationKind
from ankommen.people.views.common import centre_roles_required


def _centre(request: HttpRequest) -> Any:
    return request.centre  # type: ignore[attr-defined]


@centre_roles_required
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in OrganisationKind.values else ""
    organisations = selectors.organisations_of_centre(centre=_centre(request), kind=kind)
    context = {"organisations": organisations, "kinds": OrganisationKind.choices, "kind": kind}
    return render(request, "network/organisations/list.html", context)


def _initial(organisation: Organisation) -> dict[str, Any]:
    fields = [
        "name",
        "kind",
        "welfare_association",
        "description",
        "street",
        "postcode",
        "place",
        "phone",
        "email",
        "website",
        "opening_hours",
        "languages",
        "is_listed",
    ]
    initial = {name: getattr(organisation, name) for name in fields}
    initial["area_served"] = [m.pk for m in organisation.area_served.all()]
    return initial


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, centre=_centre(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(centre=_centre(request), by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The organisation has been saved."))
            return redirect("network:organisation_detail", organisation_id=organisation.pk)
    return render(request, "network/organisations/form.html", {"form": form}, status=400 if form.errors else 200)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.organisation_of_centre(centre=_centre(request), organisation_id=organisation_id)
    form = OrganisationForm(request.POST or None, centre=_centre(request), initial=_initial(organisation))
    guard = EditGuard(form, organisation, _initial)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                services.organisation_update(organisation=organisation, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The organisation has been saved."))
            return redirect("network:organisation_detail", organisation_id=organisation.pk)
    context = {"form": form, "organisation": organisation}
    return render(request, "network/organisations/form.html", context, status=guard.status)


@centre_roles_required
@require_GET
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.organisation_of_centre(centre=_centre(request), organisation_id=organisation_id)
    contacts = selectors.contacts_of_organisation(organisation=organisation)
    log_access(request, contacts, action=AccessAction.LIST)
    context = {
        "organisation": organisation,
        "services": selectors.services_of_organisation(organisation=organisation),
        "contacts": contacts,
        "area": organisation.area_served.order_by("name"),
        "partners": selectors.partners_of_organisation(organisation=organisation),
        "invite_form": PartnerInviteForm(),
    }
    return render(request, "network/organisations/detail.html", context)


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def service_create(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.organisation_of_centre(centre=_centre(request), organisation_id=organisation_id)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_add(organisation=organisation, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The service has been saved."))
            return redirect("network:organisation_detail", organisation_id=organisation.pk)
    context = {"form": form, "organisation": organisation, "heading": _("Add a service")}
    return render(request, "network/organisations/part_form.html", context, status=400 if form.errors else 200)


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def contact_create(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.organisation_of_centre(centre=_centre(request), organisation_id=organisation_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_add(organisation=organisation, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The contact person has been saved."))
            return redirect("network:organisation_detail", organisation_id=organisation.pk)
    context = {"form": form, "organisation": organisation, "heading": _("Add a contact person")}
    return render(request, "network/organisations/part_form.html", context, status=400 if form.errors else 200)
