from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from ankommen.core.row_level_security import centre_scope

ACTIVE_MEMBERSHIP_SESSION_KEY = "active_membership_id"


class CentreMiddleware:
    """Resolves the user's active membership and centre once per request.

    `request.centre` is set only for the centre roles (lead, staff, teacher); every selector of
    personal data takes it, and it is the only place a centre comes from. The database is told the same
    centre for the request (row-level security, docs/rls.md): every other request sees no centre's rows.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.centre = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = list(
                request.user.memberships.filter(is_active=True)  # type: ignore[attr-defined]
                .select_related("centre", "school")
                .order_by("id")
            )
            chosen_id = request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY)
            membership = next((m for m in memberships if m.id == chosen_id), memberships[0] if memberships else None)
            request.memberships = memberships  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            if membership is not None and membership.is_centre_role:
                request.centre = membership.centre  # type: ignore[attr-defined]
        with centre_scope(request.centre.pk if request.centre is not None else None):  # type: ignore[attr-defined]
            return self.get_response(request)


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
