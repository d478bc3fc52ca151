from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ankommen.accounts.models import User, UserSession
from ankommen.accounts.selectors import confirmed_totp_device, second_factor_required
from ankommen.accounts.services import user_session_is_expired, user_session_start, user_session_touch

# Set in the session once the user has passed the second factor in this session.
SECOND_FACTOR_VERIFIED_KEY = "second_factor_verified"

API_PREFIX = "/api/"


def _redirect(request: HttpRequest, response: HttpResponseRedirect) -> HttpResponse:
    # htmx would swap the login page into a fragment; it follows HX-Redirect with a full page load.
    if request.headers.get("HX-Request") == "true":
        htmx_response = HttpResponse(status=204)
        htmx_response["HX-Redirect"] = response["Location"]
        return htmx_response
    return response


class SessionTimeoutMiddleware:
    """Ends sessions that were idle too long or have lasted too long, and keeps the session list current."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session_key = request.session.session_key
        if request.user.is_authenticated and session_key:
            user = request.user
            assert isinstance(user, User)
            user_session = UserSession.objects.filter(session_key_digest=UserSession.digest_of(session_key)).first()
            if user_session is None or user_session.user_id != user.pk:
                # Sessions begun outside the login page (tests, the admin) join the list on first sight.
                user_session = user_session_start(
                    user=user, session_key=session_key, user_agent=request.headers.get("User-Agent", "")
                )
            elif user_session_is_expired(user_session=user_session):
                return self._end(request, user_session)
            else:
                user_session_touch(user_session=user_session)
            request.user_session = user_session  # type: ignore[attr-defined]
        return self.get_response(request)

    def _end(self, request: HttpRequest, user_session: UserSession) -> HttpResponse:
        user_session.delete()
        logout(request)
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        # MessageMiddleware comes later in the chain and will not see this early answer, so store directly.
        storage = default_storage(request)
        storage.add(messages.INFO, _("Your session has expired. Please log in again."))
        response = _redirect(request, redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL)))
        storage.update(response)
        return response


class SecondFactorMiddleware:
    """Until the second factor is passed, a user who needs one reaches only the second-factor pages."""

    OPEN_URL_NAMES = frozenset({"second_factor_setup", "second_factor_verify", "logout"})
    OPEN_PREFIXES = (settings.STATIC_URL or "/static/", "/i18n/", "/health/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and not request.session.get(SECOND_FACTOR_VERIFIED_KEY)
            and not self._is_open(request)
            and second_factor_required(user=user)
        ):
            if request.path_info.startswith(API_PREFIX):
                # The API answers as to a stranger: public routes work, personal ones say 401.
                request.user = AnonymousUser()
                return self.get_response(request)
            url_name = (
                "accounts:second_factor_verify" if confirmed_totp_device(user=user) else "accounts:second_factor_setup"
            )
            target = f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"
            return _redirect(request, HttpResponseRedirect(target))
        return self.get_response(request)

    def _is_open(self, request: HttpRequest) -> bool:
        if request.path_info.startswith(self.OPEN_PREFIXES):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.namespace == "accounts" and match.url_name in self.OPEN_URL_NAMES
