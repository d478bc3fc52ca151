"""Bounds of the API's paging parameters: PostgreSQL's OFFSET takes a bigint, so an unbounded one is a 500."""

from __future__ import annotations

from ninja import Field, Schema, pagination

# Far above any list of one centre (a few thousand rows), far below what PostgreSQL refuses.
MAX_OFFSET = 1_000_000
MAX_PAGE = 100_000


class PageNumberPagination(pagination.PageNumberPagination):
    """django-ninja's page numbers, bounded: page 10**20 would multiply into an OFFSET PostgreSQL refuses."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)
