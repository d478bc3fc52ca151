"""API authentication: a personal access token (Bearer) or the browser session.

Both end in the same place as a page request: `request.membership` and `request.centre`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from ankommen.accounts.models import ApiToken
from ankommen.core.middleware import database_centre_id
from ankommen.core.row_level_security import switch_centre


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(ApiToken.PREFIX):
            return None
        api_token = (
            ApiToken.objects.select_related(
                "membership__user", "membership__centre", "membership__school__municipality"
            )
            .filter(digest=ApiToken.digest_of(token))
            .first()
        )
        if api_token is None or not api_token.is_usable or not api_token.membership.user.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        membership = api_token.membership
        request.user = membership.user
        request.membership = membership  # type: ignore[attr-defined]
        request.centre = membership.centre if membership.is_centre_role else None  # type: ignore[attr-defined]
        # The request's row-level-security scope (set by the CentreMiddleware, reset when the request ends).
        switch_centre(database_centre_id(membership))
        return membership


class SessionMembershipAuth(SessionAuth):
    """The logged-in browser session, with the membership the CentreMiddleware resolved."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or getattr(request, "membership", None) is None:
            return None
        return request.membership  # type: ignore[attr-defined]


authenticated = [TokenAuth(), SessionMembershipAuth()]
