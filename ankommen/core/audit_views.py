"""The centre lead's read-only view of the change history and the access log of their centre."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ankommen.accounts.models import Role
from ankommen.core.access import log_access, role_required
from ankommen.core.models import AccessAction, AccessLogEntry, AccessPurpose
from ankommen.people.history import MergedEvents, centre_events, history_entries, tracked_event_models

PAGE_SIZE = 50


def _centre_users(centre: Any) -> list[tuple[str, str]]:
    users = get_user_model().objects.filter(memberships__centre=centre).distinct().order_by("display_name")
    return [(str(user.pk), str(user)) for user in users]


class _AuditFilterForm(forms.Form):
    user = forms.ChoiceField(label=_("User"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, centre: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("all")), *_centre_users(centre)]  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "kern-form-input__select" if isinstance(field.widget, forms.Select) else "kern-form-input__input"
            field.widget.attrs.setdefault("class", css)

    def time_range(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(data["date_from"], datetime.time.min, zone) if data.get("date_from") else None
        end = (
            datetime.datetime.combine(data["date_to"] + datetime.timedelta(days=1), datetime.time.min, zone)
            if data.get("date_to")
            else None
        )
        return start, end


class ChangeFilterForm(_AuditFilterForm):
    record_type = forms.ChoiceField(label=_("Record type"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [  # type: ignore[attr-defined]
            ("", _("all")),
            *[
                (model.pgh_tracked_model._meta.label_lower, model.pgh_tracked_model._meta.verbose_name)
                for model in tracked_event_models()
            ],
        ]
        self.fields["record_type"].widget.attrs["class"] = "kern-form-input__select"
        self.order_fields(["record_type", "user", "date_from", "date_to"])


class AccessFilterForm(_AuditFilterForm):
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("all")), *AccessAction.choices])
    record_id = forms.CharField(label=_("Record"), required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.attrs["class"] = "kern-form-input__select"
        self.fields["record_id"].widget.attrs["class"] = "kern-form-input__input"


def _filtered_events(form: ChangeFilterForm, centre: Any) -> list[QuerySet[Any]]:
    data = form.cleaned_data if form.is_valid() else {}
    start, end = form.time_range() if form.is_valid() else (None, None)
    models = tracked_event_models()
    if data.get("record_type"):
        models = [m for m in models if m.pgh_tracked_model._meta.label_lower == data["record_type"]]
    querysets = []
    for model in models:
        events = centre_events(model, centre)
        if data.get("user"):
            events = events.filter(pgh_context__metadata__user=int(data["user"]))
        if start:
            events = events.filter(pgh_created_at__gte=start)
        if end:
            events = events.filter(pgh_created_at__lt=end)
        querysets.append(events)
    return querysets


@role_required(Role.CENTRE_LEAD)
@require_GET
def change_log(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    form = ChangeFilterForm(request.GET, centre=centre)
    merged: Any = MergedEvents(_filtered_events(form, centre))
    page = Paginator(merged, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = history_entries(page.object_list)
    # The changes show personal values: reading them is logged like any other read.
    records = {(type(event).pgh_tracked_model, event.pgh_obj_id) for event in page.object_list}
    log_access(
        request,
        [model(pk=object_id, centre=centre) for model, object_id in records],
        action=AccessAction.LIST,
        purpose=AccessPurpose.SUPERVISION,
    )
    context = {"form": form, "page": page, "entries": entries, "show_record_id": True}
    return render(request, "core/audit/change_log.html", context)


@role_required(Role.CENTRE_LEAD)
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    form = AccessFilterForm(request.GET, centre=centre)
    entries = AccessLogEntry.objects.filter(centre=centre).select_related("user")
    if form.is_valid():
        data = form.cleaned_data
        start, end = form.time_range()
        if data.get("user"):
            entries = entries.filter(user_id=int(data["user"]))
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("record_id"):
            entries = entries.filter(record_id=data["record_id"].strip())
        if start:
            entries = entries.filter(at__gte=start)
        if end:
            entries = entries.filter(at__lt=end)
    page = Paginator(entries.order_by("-at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/audit/access_log.html", {"form": form, "page": page})
