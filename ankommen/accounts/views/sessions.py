from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ankommen.accounts.models import UserSession
from ankommen.accounts.selectors import live_user_sessions
from ankommen.accounts.services import user_session_end, user_sessions_end_others
from ankommen.accounts.views.common import current_user


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    current = getattr(request, "user_session", None)
    context = {"user_sessions": live_user_sessions(user=user), "current_id": current.pk if current else None}
    return render(request, "accounts/sessions.html", context)


@login_required
@require_POST
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    user = current_user(request)
    user_session = get_object_or_404(UserSession, pk=session_id, user=user)
    current = getattr(request, "user_session", None)
    user_session_end(user_session=user_session)
    if current is not None and current.pk == user_session.pk:
        logout(request)
        messages.info(request, _("You have been logged out."))
        return redirect("accounts:login")
    messages.success(request, _("The session has been ended."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    assert request.session.session_key is not None
    ended = user_sessions_end_others(user=user, current_session_key=request.session.session_key)
    messages.success(request, _("Other sessions ended: %(count)d.") % {"count": ended})
    return redirect("accounts:sessions")
