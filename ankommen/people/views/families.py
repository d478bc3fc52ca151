from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.core.access import log_access
from ankommen.core.concurrency import CreateOnce, EditGuard
from ankommen.core.models import AccessAction
from ankommen.people import selectors, services
from ankommen.people.forms import FAMILY_FORM_FIELDS, FamilyForm
from ankommen.people.views.common import centre_roles_required


@centre_roles_required
@require_http_methods(["GET", "POST"])
def family_create(request: HttpRequest) -> HttpResponse:
    form = FamilyForm(request.POST or None)
    once = CreateOnce(request, form)

    def create() -> HttpResponse:
        try:
            family = services.family_create(centre=request.centre, by=request.user, **form.cleaned_data)  # type: ignore[attr-defined, arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
            return render(request, "people/family_form.html", {"form": form, "family": None}, status=400)
        messages.success(request, _("The family has been created."))
        return redirect("people:family_detail", family_id=family.pk)

    if request.method == "POST" and form.is_valid():
        return once.run(create)
    status = 400 if form.errors else 200
    return render(request, "people/family_form.html", {"form": form, "family": None}, status=status)


@centre_roles_required
@require_GET
def family_detail(request: HttpRequest, family_id: str) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    family = selectors.family_get(centre=centre, family_id=family_id)
    members = list(selectors.family_members(centre=centre, family=family))
    log_access(request, [family], action=AccessAction.VIEW)
    log_access(request, members, action=AccessAction.LIST)
    return render(request, "people/family_detail.html", {"family": family, "members": members})


@centre_roles_required
@require_http_methods(["GET", "POST"])
def family_edit(request: HttpRequest, family_id: str) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    family = selectors.family_get(centre=centre, family_id=family_id)
    log_access(request, [family], action=AccessAction.VIEW)
    initial = {name: getattr(family, name) for name in FAMILY_FORM_FIELDS}
    form = FamilyForm(request.POST or None, initial=initial)
    guard = EditGuard(form, family)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                services.family_update(centre=centre, by=request.user, family=family, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
            family.refresh_from_db()
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:family_detail", family_id=family.pk)
    status = guard.status
    return render(request, "people/family_form.html", {"form": form, "family": family}, status=status)
