from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.forms import LoginForm
from ankommen.accounts.models import User
from ankommen.accounts.selectors import confirmed_totp_device, second_factor_required
from ankommen.accounts.services import (
    login_failure_record,
    login_failures_clear,
    login_is_locked,
    user_session_end,
    user_session_start,
)
from ankommen.accounts.views.common import safe_next_url

TOO_MANY_REQUESTS = 429


def render_locked(request: HttpRequest) -> HttpResponse:
    """The same answer for every address, known or not, with or without the right password."""
    return render(
        request,
        "accounts/login.html",
        {"form": LoginForm(), "next": safe_next_url(request), "locked": True},
        status=TOO_MANY_REQUESTS,
    )


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request)
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(next_url)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email: str = form.cleaned_data["email"]
        if login_is_locked(email=email):
            return render_locked(request)
        user = authenticate(request, email=email, password=form.cleaned_data["password"])
        if isinstance(user, User):
            return _password_accepted(request, user, email=email, next_url=next_url)
        login_failure_record(email=email)
        if login_is_locked(email=email):
            return render_locked(request)
        form.add_error(None, _("The e-mail address or the password is not correct."))
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def _password_accepted(request: HttpRequest, user: User, *, email: str, next_url: str) -> HttpResponse:
    login(request, user)
    assert request.session.session_key is not None
    user_session_start(
        user=user, session_key=request.session.session_key, user_agent=request.headers.get("User-Agent", "")
    )
    if second_factor_required(user=user):
        # Failures are cleared only after the second factor, so that the password alone does not reset the count.
        url_name = (
            "accounts:second_factor_verify" if confirmed_totp_device(user=user) else "accounts:second_factor_setup"
        )
        return redirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")
    login_failures_clear(email=email)
    return redirect(next_url)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user_session = getattr(request, "user_session", None)
    if user_session is not None:
        user_session_end(user_session=user_session)
    logout(request)
    messages.info(request, _("You have been logged out."))
    return redirect("core:home")
