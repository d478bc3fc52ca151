"""The researchers' pages under /auswertung/: choose a period, download the extract, read the codebook.

Only researchers download the extract. The codebook holds no figures, only what the extract contains and how it is
protected: researchers and state analysts (the ministry, which commissions the evaluation and answers for what
leaves the platform) may read it. Every download of the extract is written to the access log.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from ankommen.accounts.models import Role
from ankommen.core.access import role_required
from ankommen.core.exports import csv_response, xlsx_response
from ankommen.core.models import AccessAction, AccessLogEntry, AccessPurpose
from ankommen.reporting.codebook import codebook, codebook_markdown
from ankommen.reporting.evaluation import (
    MAXIMUM_MONTHS,
    Extract,
    evaluation_extract,
    extract_table,
    extract_tables,
    month_start,
    suppression_threshold,
)

researcher_required = role_required(Role.RESEARCHER)
codebook_readers_required = role_required(Role.RESEARCHER, Role.STATE_ANALYST)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
RECORD_TYPE = "reporting.evaluation_extract"


class MonthField(forms.Field):
    def to_python(self, value: Any) -> datetime.date | None:
        text = str(value or "").strip()
        if not text:
            return None
        if not MONTH.match(text):
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return datetime.date(int(text[:4]), int(text[5:7]), 1)


class PeriodForm(forms.Form):
    first = MonthField(label=gettext_lazy("First month"))
    last = MonthField(label=gettext_lazy("Last month"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if last < first:
                raise forms.ValidationError(_("The last month lies before the first."))
            months = (last.year - first.year) * 12 + last.month - first.month + 1
            if months > MAXIMUM_MONTHS:
                raise forms.ValidationError(
                    _("An extract covers at most %(months)s months.") % {"months": MAXIMUM_MONTHS}
                )
            if first > month_start(timezone.localdate()):
                raise forms.ValidationError(_("The period lies in the future."))
        return cleaned


def default_period(today: datetime.date | None = None) -> dict[str, str]:
    """The last twelve complete months."""
    this_month = month_start(today or timezone.localdate())
    last = month_start(this_month - datetime.timedelta(days=1))
    first = last.replace(year=last.year - 1)
    first = month_start(first + datetime.timedelta(days=32))
    return {"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"}


def _period_form(request: HttpRequest) -> PeriodForm:
    data = request.GET if {"first", "last"} & set(request.GET) else default_period()
    return PeriodForm(data)


@researcher_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = _period_form(request)
    context = {
        "form": form,
        "query": f"first={form.data.get('first', '')}&last={form.data.get('last', '')}" if form.is_valid() else "",
        "threshold": suppression_threshold(),
        "maximum_months": MAXIMUM_MONTHS,
    }
    return render(request, "reporting/evaluation/index.html", context, status=200 if form.is_valid() else 400)


def _log_download(request: HttpRequest, extract: Extract, kind: str) -> None:
    # Not a read of a person (the extract holds none), but who took which extract when belongs in the same log.
    membership = request.membership  # type: ignore[attr-defined]
    AccessLogEntry.objects.create(
        user=request.user,  # type: ignore[misc]  # logged in: role_required let them in
        centre=None,
        role=membership.role,
        record_type=RECORD_TYPE,
        record_id=f"{extract.label}.k{extract.threshold}.{kind}",
        action=AccessAction.EXPORT,
        purpose=AccessPurpose.EVALUATION,
    )


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    form = _period_form(request)
    if not form.is_valid():
        context = {"form": form, "query": "", "threshold": suppression_threshold(), "maximum_months": MAXIMUM_MONTHS}
        return render(request, "reporting/evaluation/index.html", context, status=400)
    extract = evaluation_extract(first_month=form.cleaned_data["first"], last_month=form.cleaned_data["last"])
    filename = f"ankommen-auswertung-{extract.label}"
    if kind == "csv":
        response = csv_response(extract_table(extract), filename=filename)
    else:
        response = xlsx_response(extract_tables(extract), filename=filename)
    _log_download(request, extract, kind)
    return response


@researcher_required
@require_GET
def extract_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "csv")


@researcher_required
@require_GET
def extract_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")


@codebook_readers_required
@require_GET
def codebook_page(request: HttpRequest) -> HttpResponse:
    return render(request, "reporting/evaluation/codebook.html", {"book": codebook()})


@codebook_readers_required
@require_GET
def codebook_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(codebook_markdown(codebook()), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ankommen-auswertung-codebuch.md"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
