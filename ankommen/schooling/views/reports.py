"""The centre's figures on seats and waiting: the shortage report and the waiting-time dashboard."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ankommen.core.exports import Table, csv_response
from ankommen.people.views.common import centre_roles_required
from ankommen.schooling import selectors
from ankommen.schooling.forms import TermForm


@centre_roles_required
@require_GET
def shortage(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    term_form = TermForm(request.GET or None)
    term = term_form.chosen_term()
    rows = selectors.shortage_report(centre=centre, term=term)
    seat_value_run, seat_values = selectors.seat_values(centre=centre, term=term)
    return render(
        request,
        "schooling/reports/shortage.html",
        {
            "term_form": term_form,
            "term": term,
            "rows": rows,
            "total_shortfall": sum(row.shortfall for row in rows),
            "without_grade": selectors.waiting_without_grade(centre=centre, grade_on=selectors.school_year_start(term)),
            "seat_value_run": seat_value_run,
            "seat_values": seat_values,
        },
    )


@centre_roles_required
@require_GET
def shortage_csv(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    term = TermForm(request.GET or None).chosen_term()
    rows = selectors.shortage_report(centre=centre, term=term)
    # Counts only: the report goes to the school authority and names no child.
    table = Table(
        title=_("Shortage of school seats"),
        columns=[
            _("Term"),
            _("Municipality key"),
            _("Area"),
            _("Grade"),
            _("Seats offered"),
            _("Children waiting"),
            _("Seats missing"),
            _("Median days waiting"),
            _("Longest wait in days"),
        ],
        rows=[
            [
                term,
                row.municipality.key if row.municipality else "",
                row.municipality.name if row.municipality else _("area unknown"),
                row.grade,
                row.seats,
                row.waiting,
                row.shortfall,
                row.median_days,
                row.longest_days,
            ]
            for row in rows
        ],
    )
    return csv_response(table, filename=f"seat-shortage-{term.replace('/', '-')}")


@centre_roles_required
@require_GET
def waiting(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    today = timezone.localdate()
    cells = selectors.waiting_by_area_and_grade(centre=centre, today=today)
    return render(
        request,
        "schooling/reports/waiting.html",
        {
            "cells": cells,
            "total_waiting": sum(cell.waiting for cell in cells),
            "total_over_limit": sum(cell.over_limit for cell in cells),
            "limit_days": settings.SCHOOLING_WAITING_ALERT_DAYS,
            "months": selectors.median_days_to_school_by_month(centre=centre, today=today),
        },
    )
