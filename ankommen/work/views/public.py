"""Public pages: the offer board, and the sign-up of employers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.core.concurrency import creates_once
from ankommen.core.row_level_security import centre_scope
from ankommen.work import selectors, services
from ankommen.work.forms import BoardFilterForm, EmployerSignupForm
from ankommen.work.selectors import BoardFilters

PAGE_SIZE = 25


@require_GET
def offer_board(request: HttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    filters = BoardFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = BoardFilters(kind=data["kind"], centre=data["centre"], words=data["words"])
    page = Paginator(selectors.public_offers(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "work/public/offer_board.html", {"form": form, "page": page})


@require_GET
def offer_board_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = selectors.public_offer(offer_id=offer_id)
    return render(request, "work/public/offer_detail.html", {"offer": offer})


@require_GET
def occupation_suggest(request: HttpRequest) -> HttpResponse:
    """Options for the occupation fields' suggestion list (htmx); reference data, no person."""
    query = next((str(value) for key, value in request.GET.items() if key.startswith(("wish_", "occupation"))), "")
    occupations = selectors.occupation_suggestions(query=query[:100])
    return render(request, "work/_occupation_options.html", {"occupations": occupations})


@require_http_methods(["GET", "POST"])
@creates_once
def employer_signup(request: HttpRequest) -> HttpResponse:
    form = EmployerSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        centre = data.pop("centre")
        data.pop("accepts_terms")
        try:
            # An anonymous request names no centre to the database: the employer registers with the chosen one.
            with centre_scope(centre.pk):
                services.employer_register(centre=centre, **data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("work:employer_signup_thanks")
    status = 400 if form.errors else 200
    return render(request, "work/public/employer_signup.html", {"form": form}, status=status)


@require_GET
def employer_signup_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "work/public/employer_signup_thanks.html")
