"""The centre's grants: applications, decisions with their letter, payments, proofs of use, its budget."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.core.access import log_access
from ankommen.core.concurrency import creates_once
from ankommen.core.models import AccessAction
from ankommen.grants import exports, figures, selectors, services
from ankommen.grants.forms import (
    ApplicationForm,
    DecisionForm,
    PaymentForm,
    ProofCheckForm,
    year_choices,
)
from ankommen.grants.models import Grant, GrantStatus, ProofStatus
from ankommen.grants.pdf import decision_letter_pdf
from ankommen.grants.views.common import centre_of, centre_roles_required, chosen_year


def _status(request: HttpRequest, form: object) -> int:
    return 400 if request.method == "POST" and getattr(form, "errors", None) else 200


@centre_roles_required
@require_GET
def grant_list(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request)
    status = request.GET.get("status", "")
    status = status if status in GrantStatus.values else ""
    context = {
        "grants": selectors.grants_of_centre(centre=centre_of(request), year=year, status=status),
        "year": year,
        "years": year_choices(),
        "status": status,
        "statuses": GrantStatus.choices,
        "budget": figures.centre_budget(centre=centre_of(request), year=year),
        "today": timezone.localdate(),
    }
    return render(request, "grants/centre/list.html", context)


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def grant_create(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, centre=centre_of(request))
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_apply(centre=centre_of(request), by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The application has been recorded."))
            return redirect("grants:grant_detail", grant_id=grant.pk)
    context = {"form": form, "heading": _("Record an application")}
    return render(request, "grants/form.html", context, status=_status(request, form))


def _detail_context(grant: Grant) -> dict[str, object]:
    payments = selectors.payments_of_grant(grant=grant)
    paid = selectors.paid_total(payments)
    return {
        "grant": grant,
        "payments": payments,
        "paid": paid,
        "left_to_pay": (grant.approved_amount or 0) - paid,
        "proof": selectors.proof_of_grant(grant=grant),
        "approved": grant.status == GrantStatus.APPROVED,
        "decided": grant.status != GrantStatus.APPLIED,
        "attachment_route": "grants:proof_attachment",
    }


@centre_roles_required
@require_GET
def grant_detail(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.grant_of_centre(centre=centre_of(request), grant_id=grant_id)
    log_access(request, [grant], action=AccessAction.VIEW)  # the contact person's name and address
    context = _detail_context(grant)
    proof = context["proof"]
    context["can_pay"] = grant.status == GrantStatus.APPROVED and context["left_to_pay"] > 0  # type: ignore[operator]
    context["can_check"] = proof is not None and proof.status == ProofStatus.SUBMITTED  # type: ignore[attr-defined]
    return render(request, "grants/centre/detail.html", context)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def grant_decide(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.grant_of_centre(centre=centre_of(request), grant_id=grant_id)
    if grant.status != GrantStatus.APPLIED:
        messages.info(request, _("This application has already been decided."))
        return redirect("grants:grant_detail", grant_id=grant.pk)
    form = DecisionForm(request.POST or None, initial={"approved_amount": grant.requested_amount})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                services.grant_approve(
                    grant=grant,
                    by=request.user,  # type: ignore[arg-type]
                    approved_amount=data["approved_amount"],
                    proof_due_on=data["proof_due_on"],
                    reason=data["reason"],
                )
            else:
                services.grant_reject(grant=grant, by=request.user, reason=data["reason"])  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The decision has been saved. The letter can be downloaded."))
            return redirect("grants:grant_detail", grant_id=grant.pk)
    context = {"form": form, "grant": grant, "heading": _("Decide on the application")}
    return render(request, "grants/form.html", context, status=_status(request, form))


def letter_response(grant: Grant) -> HttpResponse:
    if grant.status == GrantStatus.APPLIED:
        raise Http404
    response = HttpResponse(decision_letter_pdf(grant=grant), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bescheid-{grant.number}.pdf"'
    return response


@centre_roles_required
@require_GET
def grant_letter(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.grant_of_centre(centre=centre_of(request), grant_id=grant_id)
    log_access(request, [grant], action=AccessAction.EXPORT)
    return letter_response(grant)


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def payment_create(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.grant_of_centre(centre=centre_of(request), grant_id=grant_id)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_record(grant=grant, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The payment has been recorded."))
            return redirect("grants:grant_detail", grant_id=grant.pk)
    context = {"form": form, "grant": grant, "heading": _("Record a payment")}
    return render(request, "grants/form.html", context, status=_status(request, form))


@centre_roles_required
@require_http_methods(["GET", "POST"])
def proof_check(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.grant_of_centre(centre=centre_of(request), grant_id=grant_id)
    proof = selectors.proof_of_grant(grant=grant)
    form = ProofCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proof_check(
                grant=grant,
                by=request.user,  # type: ignore[arg-type]
                accept=form.cleaned_data["outcome"] == "accept",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The check of the proof of use has been saved."))
            return redirect("grants:grant_detail", grant_id=grant.pk)
    context = {
        "form": form,
        "grant": grant,
        "proof": proof,
        "heading": _("Check the proof of use"),
        "attachment_route": "grants:proof_attachment",
    }
    return render(request, "grants/centre/proof_check.html", context, status=_status(request, form))


@centre_roles_required
@require_GET
def centre_budget(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request)
    lines = figures.centre_budget(centre=centre_of(request), year=year)
    context = {"lines": lines, "year": year, "years": year_choices(), "exports": True}
    return render(request, "grants/centre/budget.html", context)


@centre_roles_required
@require_GET
def centre_budget_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in exports.FORMATS:
        raise Http404
    year = chosen_year(request)
    centre = centre_of(request)
    lines = figures.centre_budget(centre=centre, year=year)
    table = exports.centre_budget_table(centre_name=centre.name, year=year, lines=lines)
    return exports.download(table, file_format=file_format, filename=f"foerdermittel-{centre.slug}-{year}")


def attachment_response(request: HttpRequest, grant: Grant) -> HttpResponse:
    attachment = selectors.attachment_of_grant(grant=grant)
    if attachment is None:
        raise Http404
    content, content_type = attachment
    log_access(request, [grant], action=AccessAction.EXPORT)
    response = HttpResponse(content, content_type=content_type)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(content_type, "bin")
    response["Content-Disposition"] = f'attachment; filename="nachweis-{grant.number}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@centre_roles_required
@require_GET
def proof_attachment(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.grant_of_centre(centre=centre_of(request), grant_id=grant_id)
    return attachment_response(request, grant)
