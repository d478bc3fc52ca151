"""The state's view of the centres' staffing: numbers, rules and flags, never the name of an employee.

State analysts and researchers see the table of all centres and each centre's posts without names; only the state
analysts change the funding rules.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.accounts.models import Role
from ankommen.core.access import role_required
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.core.exports import csv_response, xlsx_response
from ankommen.core.row_level_security import centre_scope
from ankommen.regions.models import Centre
from ankommen.staffing import exports, figures, selectors, services
from ankommen.staffing.forms import FundingRuleForm, OnDayForm
from ankommen.staffing.models import FundingRule, FundingSource
from ankommen.staffing.views.posts import day_of

STATE_READERS = (Role.STATE_ANALYST, Role.RESEARCHER)
state_roles_required = role_required(*STATE_READERS)
analyst_required = role_required(Role.STATE_ANALYST)


@state_roles_required
@require_GET
def state_table(request: HttpRequest) -> HttpResponse:
    on = day_of(request)
    rows = figures.state_fte_table(on=on)
    context = {
        "rows": rows,
        "on": on,
        "day_form": OnDayForm(initial={"on": on}),
        "breaching": sum(1 for row in rows if not row.compliance.complies),
        "flagged": sum(row.flagged_posts for row in rows),
        "sources": FundingSource.choices,
    }
    return render(request, "staffing/state/table.html", context)


@state_roles_required
@require_GET
def state_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    on = day_of(request)
    table = exports.state_table(figures.state_fte_table(on=on))
    filename = f"stellen-land-{on.isoformat()}"
    return csv_response(table, filename=filename) if fmt == "csv" else xlsx_response([table], filename=filename)


@state_roles_required
@require_GET
def state_centre(request: HttpRequest, slug: str) -> HttpResponse:
    centre = get_object_or_404(Centre.objects.select_related("region"), slug=slug)
    on = day_of(request)
    # A state user's request names no centre to the database: this page reads the one centre it shows.
    with centre_scope(centre.pk):
        # Numbers and flags of one centre; the names of the employees are left out of the query itself.
        posts = list(selectors.posts_of_centre(centre=centre).defer("filled_by"))
        compliance, limit = selectors.centre_compliance(centre=centre, on=on)
    context = {
        "centre": centre,
        "current": [post for post in posts if post.is_active_on(on)],
        "other": [post for post in posts if not post.is_active_on(on)],
        "compliance": compliance,
        "limit": limit,
        "on": on,
        "day_form": OnDayForm(initial={"on": on}),
        "flagged": [post for post in posts if post.breaks_rule and post.starts_on <= on],
    }
    return render(request, "staffing/state/centre.html", context)


@state_roles_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    context = {
        "rules": selectors.rules(),
        "may_edit": request.membership.role == Role.STATE_ANALYST,  # type: ignore[attr-defined]
        "problems": services.rule_chain_problems(),
    }
    return render(request, "staffing/rules/list.html", context)


@analyst_required
@require_http_methods(["GET", "POST"])
@creates_once
def rule_create(request: HttpRequest) -> HttpResponse:
    form = FundingRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_create(
                by=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                valid_from=form.cleaned_data["valid_from"],
                limits=form.limits(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The funding rule has been saved."))
            return redirect("staffing:rule_list")
    return render(request, "staffing/rules/form.html", {"form": form}, status=400 if form.errors else 200)


@analyst_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(FundingRule.objects.prefetch_related("limits"), pk=rule_id)
    form = FundingRuleForm(request.POST or None, initial=FundingRuleForm.initial_of(rule))
    guard = EditGuard(form, rule, FundingRuleForm.initial_of)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                services.rule_update(
                    rule=rule,
                    by=request.user,  # type: ignore[arg-type]
                    name=form.cleaned_data["name"],
                    valid_from=form.cleaned_data["valid_from"],
                    limits=form.limits(),
                )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The funding rule has been saved."))
            return redirect("staffing:rule_list")
    context = {"form": form, "rule": rule}
    return render(request, "staffing/rules/form.html", context, status=guard.status)
