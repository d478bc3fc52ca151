from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from ankommen.accounts.models import User


def safe_next_url(request: HttpRequest, default: str | None = None) -> str:
    """The `next` target of the request if it stays on this site, otherwise the default."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "the view must be wrapped in login_required"
    return user
