"""The centre's staff posts: everyone of the centre sees the posts and the compliance; only the lead sees who fills
a post (an employee's personal data, reads logged) and changes posts."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.accounts.models import Role
from ankommen.core.access import log_access, role_required
from ankommen.core.concurrency import EditGuard, creates_once
from ankommen.core.exports import csv_response, xlsx_response
from ankommen.core.models import AccessAction
from ankommen.staffing import exports, selectors, services
from ankommen.staffing.forms import OnDayForm, PostEndForm, StaffPostForm
from ankommen.staffing.models import StaffPost

POST_READERS = (Role.CENTRE_LEAD, Role.CENTRE_STAFF, Role.CENTRE_TEACHER)
centre_roles_required = role_required(*POST_READERS)
lead_required = role_required(Role.CENTRE_LEAD)


def _centre(request: HttpRequest) -> Any:
    return request.centre  # type: ignore[attr-defined]


def _is_lead(request: HttpRequest) -> bool:
    return request.membership.role == Role.CENTRE_LEAD  # type: ignore[attr-defined]


def day_of(request: HttpRequest) -> datetime.date:
    form = OnDayForm(request.GET)
    return (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()


@centre_roles_required
@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    centre = _centre(request)
    on = day_of(request)
    posts = list(selectors.posts_of_centre(centre=centre))
    shows_names = _is_lead(request)
    if shows_names:
        log_access(request, [post for post in posts if post.filled_by], action=AccessAction.LIST)
    compliance, limit = selectors.centre_compliance(centre=centre, on=on)
    context = {
        "current": [post for post in posts if post.is_active_on(on)],
        "other": [post for post in posts if not post.is_active_on(on)],
        "compliance": compliance,
        "limit": limit,
        "on": on,
        "is_today": on == timezone.localdate(),
        "day_form": OnDayForm(initial={"on": on}),
        "shows_names": shows_names,
        "may_edit": shows_names,
        "flagged": [post for post in posts if post.breaks_rule and post.starts_on <= on],
    }
    return render(request, "staffing/posts/list.html", context)


@lead_required
@require_http_methods(["GET", "POST"])
@creates_once
def post_create(request: HttpRequest) -> HttpResponse:
    form = StaffPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(centre=_centre(request), by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            _saved_message(request, post)
            return redirect("staffing:post_list")
    return render(request, "staffing/posts/form.html", {"form": form}, status=400 if form.errors else 200)


@lead_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_of_centre(centre=_centre(request), post_id=post_id)
    if post.filled_by:
        log_access(request, [post], action=AccessAction.VIEW)
    form = StaffPostForm(request.POST or None, initial=StaffPostForm.initial_of(post))
    guard = EditGuard(form, post, StaffPostForm.initial_of)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                post = services.post_update(post=post, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            _saved_message(request, post)
            return redirect("staffing:post_list")
    context = {"form": form, "post": post}
    return render(request, "staffing/posts/form.html", context, status=guard.status)


@lead_required
@require_http_methods(["GET", "POST"])
def post_end(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_of_centre(centre=_centre(request), post_id=post_id)
    form = PostEndForm(request.POST or None, initial={"ends_on": post.ends_on or timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_end(post=post, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            _saved_message(request, post)
            return redirect("staffing:post_list")
    context = {"form": form, "post": post}
    return render(request, "staffing/posts/end.html", context, status=400 if form.errors else 200)


@lead_required
@require_GET
def post_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    centre = _centre(request)
    posts = list(selectors.posts_of_centre(centre=centre))
    log_access(request, [post for post in posts if post.filled_by], action=AccessAction.EXPORT)
    table = exports.posts_table(posts, with_names=True)
    filename = f"stellen-{centre.slug}-{timezone.localdate().isoformat()}"
    return csv_response(table, filename=filename) if fmt == "csv" else xlsx_response([table], filename=filename)


def _saved_message(request: HttpRequest, post: StaffPost) -> None:
    if post.breaks_rule:
        messages.warning(request, _("The post has been saved and is flagged: it breaks the funding rule."))
    else:
        messages.success(request, _("The post has been saved."))
