"""The researchers' pages under /auswertung/: choose a period, download the extract, read the codebook.

Only researchers take the extract: they ask for a period and format, a job prepares the file
(`ankommen/reporting/prepared_files.py`), and its download is written to the access log
(`views/prepared.py`). The codebook holds no figures, only what the extract contains and how it is protected:
researchers and state analysts (the ministry, which commissions the evaluation and answers for what leaves the
platform) may read it.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ankommen.accounts.models import Role
from ankommen.core.access import role_required
from ankommen.reporting.codebook import codebook, codebook_markdown
from ankommen.reporting.evaluation import MAXIMUM_MONTHS, month_start, suppression_threshold
from ankommen.reporting.models import PreparedFileKind
from ankommen.reporting.prepared_files import prepared_file_request, prepared_files_of

researcher_required = role_required(Role.RESEARCHER)
codebook_readers_required = role_required(Role.RESEARCHER, Role.STATE_ANALYST)
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


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


def _index_context(request: HttpRequest, form: PeriodForm) -> dict[str, Any]:
    return {
        "form": form,
        "period": form.data if form.is_valid() else None,
        "threshold": suppression_threshold(),
        "maximum_months": MAXIMUM_MONTHS,
        "prepared_files": list(
            prepared_files_of(user=request.user, membership=request.membership)[:10]  # type: ignore[arg-type, attr-defined]
        ),
    }


@researcher_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = _period_form(request)
    return render(
        request,
        "reporting/evaluation/index.html",
        _index_context(request, form),
        status=200 if form.is_valid() else 400,
    )


def _prepare(request: HttpRequest, kind: PreparedFileKind) -> HttpResponse:
    """Queue the extract (the exact suppression of every month's tables can take long) and show its status page."""
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return render(request, "reporting/evaluation/index.html", _index_context(request, form), status=400)
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    file = prepared_file_request(
        kind=kind,
        by=request.user,  # type: ignore[arg-type]
        membership=request.membership,  # type: ignore[attr-defined]
        parameters={
            "first": first.isoformat(),
            "last": last.isoformat(),
            "threshold": suppression_threshold(),
            "language": get_language(),
        },
        title=_("Evaluation extract %(first)s to %(last)s") % {"first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"},
    )
    return redirect("reporting:prepared_file_detail", file_id=file.pk)


@researcher_required
@require_POST
def extract_csv(request: HttpRequest) -> HttpResponse:
    return _prepare(request, PreparedFileKind.EVALUATION_EXTRACT_CSV)


@researcher_required
@require_POST
def extract_xlsx(request: HttpRequest) -> HttpResponse:
    return _prepare(request, PreparedFileKind.EVALUATION_EXTRACT_XLSX)


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
