from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.accounts.forms import ApiTokenCreateForm
from ankommen.accounts.models import ApiToken
from ankommen.accounts.selectors import api_tokens_of_user
from ankommen.accounts.services import api_token_create, api_token_revoke
from ankommen.accounts.views.common import current_user


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = ApiTokenCreateForm(request.POST or None, user=user)
    new_secret = None
    new_token = None
    if request.method == "POST" and form.is_valid():
        # The secret goes into this one answer and nowhere else: not into the session, not into a redirect.
        new_token, new_secret = api_token_create(
            membership=form.cleaned_data["membership"],
            name=form.cleaned_data["name"],
            expires_in_days=form.cleaned_data["expires_in_days"],
        )
        form = ApiTokenCreateForm(user=user)
    context = {
        "form": form,
        "tokens": api_tokens_of_user(user=user),
        "new_token": new_token,
        "new_secret": new_secret,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = current_user(request)
    token = get_object_or_404(ApiToken, pk=token_id, membership__user=user)
    api_token_revoke(token=token, by=user)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
