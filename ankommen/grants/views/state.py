"""The state's view: programmes with their yearly budgets, allocations to the centres, and the budget table of all
54 centres. Only sums of money: no grant, organisation contact or person is shown here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.accounts.models import Role
from ankommen.grants import exports, figures, selectors, services
from ankommen.grants.forms import AllocationForm, BudgetForm, year_choices
from ankommen.grants.models import Programme
from ankommen.grants.views.common import analyst_required, chosen_year, state_roles_required


def _programme(programme_id: int) -> Programme:
    try:
        return Programme.objects.get(pk=programme_id)
    except Programme.DoesNotExist:
        raise Http404 from None


def _chosen_programme(request: HttpRequest) -> Programme | None:
    try:
        return Programme.objects.filter(pk=int(request.GET.get("programme", ""))).first()
    except ValueError:
        return None


@state_roles_required
@require_GET
def state_budget(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request)
    programme = _chosen_programme(request)
    context = {
        "table": figures.state_budget_table(year=year, programme=programme),
        "year": year,
        "years": year_choices(),
        "programmes": selectors.programmes(),
        "programme": programme,
        "exports": True,
    }
    return render(request, "grants/state/budget.html", context)


@state_roles_required
@require_GET
def state_budget_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in exports.FORMATS:
        raise Http404
    year = chosen_year(request)
    table = figures.state_budget_table(year=year, programme=_chosen_programme(request))
    suffix = f"-{table.programme.key}" if table.programme else ""
    return exports.download(
        exports.state_budget_table(table=table), file_format=file_format, filename=f"foerdermittel-nrw{suffix}-{year}"
    )


@state_roles_required
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request)
    rows = []
    for programme in selectors.programmes():
        budget, total = figures.programme_year_summary(programme=programme, year=year)
        rows.append({"programme": programme, "budget": budget, "figures": total})
    context = {"rows": rows, "year": year, "years": year_choices()}
    return render(request, "grants/state/programme_list.html", context)


@state_roles_required
@require_GET
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(programme_id)
    year = chosen_year(request)
    budget, total = figures.programme_year_summary(programme=programme, year=year)
    context = {
        "programme": programme,
        "year": year,
        "years": year_choices(),
        "budget": budget,
        "figures": total,
        "unallocated": (budget - total.allocated) if budget is not None else None,
        "budgets": selectors.budgets_of_programme(programme=programme),
        "allocations": selectors.allocations_of_programme(programme=programme, year=year),
        "may_edit": request.membership.role == Role.STATE_ANALYST,  # type: ignore[attr-defined]
    }
    return render(request, "grants/state/programme_detail.html", context)


def _back(programme: Programme, year: int) -> HttpResponse:
    return redirect(f"{reverse('grants:programme_detail', args=[programme.pk])}?year={year}")


@analyst_required
@require_http_methods(["GET", "POST"])
def budget_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(programme_id)
    form = BudgetForm(request.POST or None, initial={"year": chosen_year(request)})
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_set(programme=programme, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The budget has been saved."))
            return _back(programme, form.cleaned_data["year"])
    context = {"form": form, "programme": programme, "heading": _("Set the budget of a year")}
    return render(request, "grants/form.html", context, status=400 if form.errors else 200)


@analyst_required
@require_http_methods(["GET", "POST"])
def allocation_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(programme_id)
    form = AllocationForm(request.POST or None, initial={"year": chosen_year(request)})
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_set(programme=programme, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The allocation has been saved."))
            return _back(programme, form.cleaned_data["year"])
    context = {"form": form, "programme": programme, "heading": _("Allocate funds to a centre")}
    return render(request, "grants/form.html", context, status=400 if form.errors else 200)
