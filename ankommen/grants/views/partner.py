"""The partner organisation's own applications: apply, follow the decision and payments, submit the proof of use."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.core.access import log_access
from ankommen.core.concurrency import creates_once
from ankommen.core.models import AccessAction
from ankommen.grants import selectors, services
from ankommen.grants.forms import ApplicationForm, ProofForm
from ankommen.grants.models import GrantStatus, ProofStatus
from ankommen.grants.views.centre import attachment_response, letter_response
from ankommen.network.models import Organisation
from ankommen.network.partners import partner_required


@partner_required
@require_GET
def application_list(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    context = {
        "organisation": organisation,
        "grants": selectors.grants_of_organisation(organisation=organisation),
        "today": timezone.localdate(),
    }
    return render(request, "grants/partner/list.html", context)


@partner_required
@require_http_methods(["GET", "POST"])
@creates_once
def apply(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    initial = {"contact_name": request.user.display_name, "contact_email": request.user.email}  # type: ignore[union-attr]
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_apply(
                centre=organisation.centre,
                organisation=organisation,
                by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your application has been sent to the integration centre."))
            return redirect("grants:partner_application_detail", grant_id=grant.pk)
    context = {"form": form, "organisation": organisation, "heading": _("Apply for funds")}
    return render(request, "grants/form.html", context, status=400 if form.errors else 200)


@partner_required
@require_GET
def application_detail(request: HttpRequest, grant_id: int, organisation: Organisation) -> HttpResponse:
    grant = selectors.grant_of_organisation(organisation=organisation, grant_id=grant_id)
    log_access(request, [grant], action=AccessAction.VIEW)
    payments = selectors.payments_of_grant(grant=grant)
    proof = selectors.proof_of_grant(grant=grant)
    context = {
        "grant": grant,
        "organisation": organisation,
        "payments": payments,
        "paid": selectors.paid_total(payments),
        "proof": proof,
        "decided": grant.status != GrantStatus.APPLIED,
        "attachment_route": "grants:partner_proof_attachment",
        "may_submit_proof": grant.status == GrantStatus.APPROVED
        and (proof is None or proof.status == ProofStatus.QUESTIONS),
    }
    return render(request, "grants/partner/detail.html", context)


@partner_required
@require_GET
def letter(request: HttpRequest, grant_id: int, organisation: Organisation) -> HttpResponse:
    grant = selectors.grant_of_organisation(organisation=organisation, grant_id=grant_id)
    log_access(request, [grant], action=AccessAction.EXPORT)
    return letter_response(grant)


@partner_required
@require_http_methods(["GET", "POST"])
def proof_submit(request: HttpRequest, grant_id: int, organisation: Organisation) -> HttpResponse:
    grant = selectors.grant_of_organisation(organisation=organisation, grant_id=grant_id)
    proof = selectors.proof_of_grant(grant=grant)
    initial = {"report": proof.report, "spent_amount": proof.spent_amount} if proof else None
    form = ProofForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["attachment"]
        attachment = services.Attachment(name=upload.name, content=upload.read()) if upload else None
        try:
            services.proof_submit(
                grant=grant,
                by=request.user,  # type: ignore[arg-type]
                report=form.cleaned_data["report"],
                spent_amount=form.cleaned_data["spent_amount"],
                attachment=attachment,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your proof of use has been sent to the integration centre."))
            return redirect("grants:partner_application_detail", grant_id=grant.pk)
    context = {"form": form, "grant": grant, "proof": proof, "heading": _("Submit the proof of use")}
    return render(request, "grants/partner/proof.html", context, status=400 if form.errors else 200)


@partner_required
@require_GET
def proof_attachment(request: HttpRequest, grant_id: int, organisation: Organisation) -> HttpResponse:
    grant = selectors.grant_of_organisation(organisation=organisation, grant_id=grant_id)
    return attachment_response(request, grant)
