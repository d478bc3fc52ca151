"""The school contact's portal: places the centre has proposed to their school, confirmed or declined there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.accounts.models import Role
from ankommen.core.access import log_access, role_required
from ankommen.core.models import AccessAction
from ankommen.people.choices import language_name
from ankommen.schooling import placement
from ankommen.schooling.forms_placement import ConfirmForm, DeclineForm

school_contact_required = role_required(Role.SCHOOL_CONTACT)


def _school(request: HttpRequest) -> Any:
    return request.membership.school  # type: ignore[attr-defined]


def _languages(proposal: Any) -> str:
    return ", ".join(language_name(code) for code in proposal.intake.child.languages)


@school_contact_required
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    school = _school(request)
    proposals = list(placement.school_placements(school=school))
    log_access(request, [proposal.intake for proposal in proposals], action=AccessAction.LIST)
    rows = [(proposal, _languages(proposal)) for proposal in proposals]
    return render(request, "schooling/school_portal/proposal_list.html", {"school": school, "rows": rows})


def _decision(request: HttpRequest, placement_id: int, *, confirm: bool) -> HttpResponse:
    school = _school(request)
    proposal = placement.school_placement_get(school=school, placement_id=placement_id)
    log_access(request, [proposal.intake], action=AccessAction.VIEW)
    form: ConfirmForm | DeclineForm = (ConfirmForm if confirm else DeclineForm)(
        request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            if confirm:
                placement.placement_confirm(
                    school=school,
                    by=request.user,  # type: ignore[arg-type]
                    placement=proposal,
                    start_date=form.cleaned_data["start_date"],
                )
            else:
                placement.placement_decline(
                    school=school,
                    by=request.user,  # type: ignore[arg-type]
                    placement=proposal,
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("The place has been confirmed.") if confirm else _("The place has been declined.")
            )
            return redirect("schooling:school_proposal_list")
    status = 400 if form.errors else 200
    context = {
        "school": school,
        "proposal": proposal,
        "languages": _languages(proposal),
        "form": form,
        "confirm": confirm,
    }
    return render(request, "schooling/school_portal/decision.html", context, status=status)


@school_contact_required
@require_http_methods(["GET", "POST"])
def proposal_confirm(request: HttpRequest, placement_id: int) -> HttpResponse:
    return _decision(request, placement_id, confirm=True)


@school_contact_required
@require_http_methods(["GET", "POST"])
def proposal_decline(request: HttpRequest, placement_id: int) -> HttpResponse:
    return _decision(request, placement_id, confirm=False)
