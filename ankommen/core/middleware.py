from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from ankommen.core.row_level_security import centre_scope

ACTIVE_MEMBERSHIP_SESSION_KEY = "active_membership_id"


class CentreMiddleware:
    """Resolves the user's active membership and centre once per request.

    `request.centre` is set only for the centre roles (lead, staff, teacher); every selector of
    personal data takes it, and it is the only place a centre comes from. The database is told the centre the
    membership works in (row-level security, docs/rls.md): the centre roles' centre; for a volunteer, an employer's
    or a partner's contact the centre of their membership, and for a school contact the centre serving the school,
    whose rows their portals read and write through the application's narrower selectors. State users and anonymous
    visitors get no centre: public forms name the centre they write for themselves (`centre_scope`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.centre = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = list(
                request.user.memberships.filter(is_active=True)  # type: ignore[attr-defined]
                .select_related("centre", "school__municipality")
                .order_by("id")
            )
            chosen_id = request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY)
            membership = next((m for m in memberships if m.id == chosen_id), memberships[0] if memberships else None)
            request.memberships = memberships  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            if membership is not None and membership.is_centre_role:
                request.centre = membership.centre  # type: ignore[attr-defined]
        with centre_scope(database_centre_id(request.membership)):  # type: ignore[attr-defined]
            return self.get_response(request)


def database_centre_id(membership: Any) -> int | None:
    """The centre whose rows the database shows to a request of this membership (none for state roles)."""
    if membership is None:
        return None
    if membership.school_id is not None:
        return int(membership.school.municipality.centre_id)
    return membership.centre_id  # type: ignore[no-any-return]


class PrivatePagesMiddleware:
    """Answers to a logged-in user, or to an API call with a token, are never stored by a browser or a proxy.

    Such pages hold personal data: after a logout the back button or a shared computer's cache must not show them.
    Sits after the authentication middleware so that every answer behind the login passes through it (redirects of
    the second factor and the session timeout included); static files leave earlier, through WhiteNoise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Decided before the view: the answer to a logout is private too, though it ends the login.
        private = request.user.is_authenticated or "Authorization" in request.headers
        response = self.get_response(request)
        if private:
            add_never_cache_headers(response)
        return response
