"""The public service finder for families, in the seven family languages (right to left for Arabic and Farsi).

The postcode a family types is sent by POST, so that where someone lives never stands in a URL.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.core.languages import family_page
from ankommen.network import selectors
from ankommen.network.forms import FinderForm
from ankommen.people.choices import language_name


@family_page
@require_http_methods(["GET", "POST"])
def finder(request: HttpRequest) -> HttpResponse:
    form = FinderForm(request.POST if request.method == "POST" else None)
    hits = None
    postcode_known = True
    if form.is_bound and form.is_valid():
        query = selectors.FinderQuery(**form.cleaned_data)
        postcode_known = not query.postcode or selectors.postcode_point(query.postcode) is not None
        hits = selectors.service_finder(query=query)
    context = {"form": form, "hits": hits, "postcode_known": postcode_known, "family_page": True}
    return render(request, "network/public/finder.html", context, status=400 if form.errors else 200)


@family_page
@require_GET
def organisation_public(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.public_organisation(organisation_id=organisation_id)
    context = {
        "organisation": organisation,
        "services": organisation.services.all(),
        "language_names": sorted(language_name(code) for code in organisation.languages),
        "family_page": True,
    }
    return render(request, "network/public/organisation.html", context)
