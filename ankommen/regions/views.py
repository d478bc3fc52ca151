"""The public directory: centres and schools, open to everyone without login."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ankommen.regions import selectors
from ankommen.regions.forms import CentreFilterForm, SchoolSearchForm

SCHOOLS_PER_PAGE = 25


@require_GET
def centre_list(request: HttpRequest) -> HttpResponse:
    form = CentreFilterForm(request.GET)
    groups = selectors.centres_by_administrative_region(query=form.cleaned_data["q"]) if form.is_valid() else []
    context = {"form": form, "groups": groups, "centre_count": sum(len(group.centres) for group in groups)}
    template = "regions/centre_list.html#results" if request.htmx else "regions/centre_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_GET
def centre_detail(request: HttpRequest, slug: str) -> HttpResponse:
    centre = selectors.centre_get(slug=slug)
    context = {
        "centre": centre,
        "municipalities": selectors.centre_municipalities(centre=centre),
        "school_counts": selectors.centre_school_counts(centre=centre),
    }
    return render(request, "regions/centre_detail.html", context)


@require_GET
def school_list(request: HttpRequest) -> HttpResponse:
    form = SchoolSearchForm(request.GET)
    page: Page | None = None
    page_error = ""
    if form.is_valid():
        schools = selectors.school_search(
            query=form.cleaned_data["q"], place=form.cleaned_data["place"], form=form.cleaned_data["form"]
        )
        paginator = Paginator(schools, SCHOOLS_PER_PAGE)
        number = form.cleaned_data["page"] or 1
        if number > paginator.num_pages:
            page_error = _("There is no page %(number)d: the results fill %(pages)d pages.") % {
                "number": number,
                "pages": paginator.num_pages,
            }
        else:
            page = paginator.page(number)
    context = {"form": form, "page": page, "page_error": page_error, "page_url": _page_url(request)}
    template = "regions/school_list.html#results" if request.htmx else "regions/school_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_GET
def school_detail(request: HttpRequest, number: str) -> HttpResponse:
    return render(request, "regions/school_detail.html", {"school": selectors.school_get(number=number)})


def _page_url(request: HttpRequest) -> str:
    """The current search without its page number, ready for "page=" and a number."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"{request.path}?{query.urlencode()}&page=" if query else f"{request.path}?page="
