"""Pages of search results in one query."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window


def counted_slice(queryset: QuerySet[Any], offset: int, limit: int) -> tuple[list[Any], int]:
    """Rows `offset`..`offset + limit` and the number of all matches from one query (`COUNT(*) OVER ()`).

    Django runs the matching twice, once to count and once for the rows; for a name search over tens of
    thousands of persons that second pass is a good part of the time. A plain list ordered along an index is
    better served by Django's separate COUNT: there the window would count every row of the centre.
    """
    rows = list(queryset.annotate(matches_in_total=Window(Count("pk")))[offset : offset + limit])
    total = rows[0].matches_in_total if rows else (queryset.count() if offset else 0)
    return rows, total


def counted_page(queryset: QuerySet[Any], number: Any, per_page: int) -> Page:
    """A page of search results and the number of all matches from one query (see `counted_slice`)."""
    try:
        page_number = max(int(number), 1)
    except (TypeError, ValueError):
        page_number = 1
    rows, total = counted_slice(queryset, (page_number - 1) * per_page, per_page)
    paginator = Paginator(queryset, per_page)
    if not rows and page_number > 1:
        # Past the last page (the results changed, or the number was typed): show the last page, as get_page does.
        return paginator.get_page(page_number)
    paginator.__dict__["count"] = total  # fills the cached_property
    return Page(rows, page_number, paginator)
