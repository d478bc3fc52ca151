from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ankommen.accounts.selectors import active_memberships, confirmed_totp_device
from ankommen.accounts.services import recovery_codes_remaining
from ankommen.accounts.views.common import current_user, safe_next_url
from ankommen.core.middleware import ACTIVE_MEMBERSHIP_SESSION_KEY


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    context = {
        "account_memberships": active_memberships(user=user),
        "totp_device": confirmed_totp_device(user=user),
        "recovery_codes_remaining": recovery_codes_remaining(user=user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def membership_switch(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    try:
        membership_id = int(request.POST.get("membership", ""))
    except ValueError:
        raise Http404 from None
    membership = active_memberships(user=user).filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = membership.pk
    messages.success(request, _("You are now working as: %(membership)s") % {"membership": membership})
    return redirect(safe_next_url(request))
