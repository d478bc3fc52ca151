from __future__ import annotations

import segno
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.forms import SecondFactorCodeForm, TotpConfirmForm
from ankommen.accounts.middleware import SECOND_FACTOR_VERIFIED_KEY
from ankommen.accounts.models import TotpDevice
from ankommen.accounts.selectors import confirmed_totp_device
from ankommen.accounts.services import (
    login_failure_record,
    login_failures_clear,
    login_is_locked,
    recovery_codes_generate,
    second_factor_verify,
    totp_device_confirm,
    totp_device_create,
    totp_provisioning_uri,
    user_session_end,
    user_session_rekey,
)
from ankommen.accounts.views.common import current_user, safe_next_url
from ankommen.accounts.views.login import render_locked


def _grouped(secret: str) -> str:
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def _mark_verified(request: HttpRequest) -> None:
    request.session[SECOND_FACTOR_VERIFIED_KEY] = True
    # A new session key after the second step, as after the first: nothing learnt before carries over.
    request.session.cycle_key()


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    next_url = safe_next_url(request)
    if confirmed_totp_device(user=user) is not None:
        if request.session.get(SECOND_FACTOR_VERIFIED_KEY):
            return redirect("accounts:profile")
        return redirect(f"{reverse('accounts:second_factor_verify')}?{urlencode({'next': next_url})}")
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first() or totp_device_create(user=user)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_device_confirm(device=device, code=form.cleaned_data["code"]):
            old_key = request.session.session_key
            _mark_verified(request)
            _rekey_user_session(request, old_key)
            login_failures_clear(email=user.email)
            codes = recovery_codes_generate(user=user)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url, "first": True})
        form.add_error("code", _("This code is not correct. Check the time on your phone and try the current code."))
    uri = totp_provisioning_uri(device=device)
    context = {
        "form": form,
        "next": next_url,
        "qr_code": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
        "secret": _grouped(device.secret),
    }
    return render(request, "accounts/second_factor_setup.html", context)


def _rekey_user_session(request: HttpRequest, old_key: str | None) -> None:
    new_key = request.session.session_key
    if old_key and new_key:
        user_session_rekey(old_session_key=old_key, new_session_key=new_key)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_verify_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    next_url = safe_next_url(request)
    if confirmed_totp_device(user=user) is None:
        return redirect(f"{reverse('accounts:second_factor_setup')}?{urlencode({'next': next_url})}")
    if request.session.get(SECOND_FACTOR_VERIFIED_KEY):
        return redirect(next_url)
    if login_is_locked(email=user.email):
        return _lock_out(request)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor_verify(user=user, code=form.cleaned_data["code"]):
            old_key = request.session.session_key
            _mark_verified(request)
            _rekey_user_session(request, old_key)
            login_failures_clear(email=user.email)
            return redirect(next_url)
        login_failure_record(email=user.email)
        if login_is_locked(email=user.email):
            return _lock_out(request)
        form.add_error("code", _("This code is not correct or has already been used."))
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": next_url})


def _lock_out(request: HttpRequest) -> HttpResponse:
    user_session = getattr(request, "user_session", None)
    if user_session is not None:
        user_session_end(user_session=user_session)
    logout(request)
    return render_locked(request)


@login_required
@never_cache
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if confirmed_totp_device(user=user) is None:
        return redirect("accounts:second_factor_setup")
    codes = recovery_codes_generate(user=user)
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:profile"), "first": False}
    )
