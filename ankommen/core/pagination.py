"""Pages of search results in one query."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window


def counted_page(queryset: QuerySet[Any], number: Any, per_page: int) -> Page:
    """A page and the number of all matches from one query (`COUNT(*) OVER ()`).

    Django's paginator runs the matching twice, once to count and once for the page; for a name search
    over tens of thousands of persons that second pass is a good part of the page's time.
    """
    try:
        page_number = max(int(number), 1)
    except (TypeError, ValueError):
        page_number = 1
    offset = (page_number - 1) * per_page
    rows = list(queryset.annotate(matches_in_total=Window(Count("pk")))[offset : offset + per_page])
    paginator = Paginator(queryset, per_page)
    if not rows and page_number > 1:
        # Past the last page (the results changed, or the number was typed): show the last page, as get_page does.
        return paginator.get_page(page_number)
    paginator.__dict__["count"] = rows[0].matches_in_total if rows else 0  # fills the cached_property
    return Page(rows, page_number, paginator)
