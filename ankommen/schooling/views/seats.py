"""Seats for newcomers: kept by each school's contact, seen by the centre per area and grade."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.accounts.models import Role
from ankommen.core.access import role_required
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.people.history import history_entries
from ankommen.people.views.common import centre_roles_required
from ankommen.schooling import selectors, services
from ankommen.schooling.forms import SeatCountForm, SeatOfferForm, TermForm

school_contact_required = role_required(Role.SCHOOL_CONTACT)
HISTORY_LIMIT = 200


def _school(request: HttpRequest) -> Any:
    return request.membership.school  # type: ignore[attr-defined]


def _seat_list_url(term: str) -> str:
    return f"{reverse('schooling:seat_list')}?term={term}"


@school_contact_required
@require_GET
def seat_list(request: HttpRequest) -> HttpResponse:
    school = _school(request)
    term_form = TermForm(request.GET or None)
    term = term_form.chosen_term()
    offers = selectors.seat_offers_of_school(school=school, term=term)
    return render(
        request,
        "schooling/seats/seat_list.html",
        {"school": school, "term_form": term_form, "term": term, "offers": offers},
    )


@school_contact_required
@require_http_methods(["GET", "POST"])
@creates_once
def seat_create(request: HttpRequest) -> HttpResponse:
    school = _school(request)
    form = SeatOfferForm(request.POST or None, initial={"term": request.GET.get("term")})
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_offer_set(school=school, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The seats have been saved."))
            return redirect(_seat_list_url(form.cleaned_data["term"]))
    status = 400 if form.errors else 200
    return render(request, "schooling/seats/seat_form.html", {"form": form, "school": school}, status=status)


@school_contact_required
@require_http_methods(["GET", "POST"])
def seat_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    school = _school(request)
    offer = selectors.seat_offer_of_school(school=school, offer_id=offer_id)
    form = SeatCountForm(request.POST or None, initial={"seats": offer.seats})
    guard = EditGuard(form, offer)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                services.seat_offer_set(
                    school=school,
                    by=request.user,  # type: ignore[arg-type]
                    term=offer.term,
                    grade=offer.grade,
                    kind=offer.kind,
                    seats=form.cleaned_data["seats"],
                )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The seats have been saved."))
            return redirect(_seat_list_url(offer.term))
    status = guard.status
    return render(
        request, "schooling/seats/seat_form.html", {"form": form, "school": school, "offer": offer}, status=status
    )


@school_contact_required
@require_GET
def seat_history(request: HttpRequest) -> HttpResponse:
    school = _school(request)
    events = selectors.seat_offer_events_of_school(school=school)[:HISTORY_LIMIT]
    entries = history_entries(events)
    return render(request, "schooling/seats/seat_history.html", {"school": school, "entries": entries})


@centre_roles_required
@require_GET
def capacity(request: HttpRequest) -> HttpResponse:
    term_form = TermForm(request.GET or None)
    term = term_form.chosen_term()
    rows = selectors.capacity_by_area(centre=request.centre, term=term)  # type: ignore[attr-defined]
    return render(
        request,
        "schooling/seats/capacity.html",
        {"term_form": term_form, "term": term, "rows": rows, "total": sum(row.total for row in rows)},
    )
