"""Reads the pghistory event rows of centre-owned models and turns them into who-changed-what.

Kept generic (any tracked `CentreOwnedModel`), so later modules' models appear in the centre
lead's change log without further code.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pghistory.models
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ankommen.core.scoping import CentreOwnedModel
from ankommen.people.choices import country_name, language_name

# Bookkeeping fields whose change is no news to a reader of the history.
HIDDEN_FIELDS = frozenset({"id", "centre", "created_at", "updated_at", "search_text"})
EVENT_LABELS = {"insert": _("created"), "update": _("changed"), "delete": _("deleted")}


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    action: str
    record_type: str
    record_label: str
    record_id: str
    user: Any
    changes: list[FieldChange] = field(default_factory=list)


def tracked_event_models() -> list[Any]:
    """Event models of centre-owned tracked models, in a stable order."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event)
        and getattr(model, "pgh_tracked_model", None) is not None
        and issubclass(model.pgh_tracked_model, CentreOwnedModel)  # type: ignore[arg-type]
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def event_model_for(record_type: str) -> Any:
    return next((m for m in tracked_event_models() if m.pgh_tracked_model._meta.label_lower == record_type), None)


def _display(model_field: models.Field, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "\N{EN DASH}"
    if model_field.name == "nationalities":
        return ", ".join(country_name(code) for code in value)
    if model_field.name == "languages":
        return ", ".join(language_name(code) for code in value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _compared_fields(tracked_model: type[models.Model], event_model: type[models.Model]) -> list[models.Field]:
    # Only what the history table keeps: special-category fields (e.g. encrypted health notes) are left out of it.
    kept = {f.name for f in event_model._meta.concrete_fields}
    return [
        f
        for f in tracked_model._meta.concrete_fields  # type: ignore[misc]
        if f.name not in HIDDEN_FIELDS and f.name in kept
    ]


def _changes(fields: Sequence[models.Field], before: Any, after: Any) -> list[FieldChange]:
    changes = []
    for model_field in fields:
        old = getattr(before, model_field.attname) if before is not None else None
        new = getattr(after, model_field.attname)
        if before is None and new in (None, "", []):
            continue
        if old != new:
            changes.append(
                FieldChange(str(model_field.verbose_name), _display(model_field, old), _display(model_field, new))
            )
    return changes


def history_entries(events: Iterable[Any]) -> list[HistoryEntry]:
    """One entry per event, with the difference to the same record's previous event."""
    events = list(events)
    by_model: dict[Any, list[Any]] = defaultdict(list)
    for event in events:
        by_model[type(event)].append(event)
    previous: dict[tuple[Any, int], Any] = {}
    for event_model, model_events in by_model.items():
        object_ids = {event.pgh_obj_id for event in model_events}
        newest = max(event.pgh_id for event in model_events)
        earlier: dict[Any, list[Any]] = defaultdict(list)
        for event in event_model.objects.filter(pgh_obj_id__in=object_ids, pgh_id__lte=newest).order_by("pgh_id"):
            earlier[event.pgh_obj_id].append(event)
        for chain in earlier.values():
            for before, after in pairwise(chain):
                previous[(event_model, after.pgh_id)] = before
    user_ids = {event.pgh_context.metadata.get("user") for event in events if event.pgh_context_id}
    users = get_user_model().objects.in_bulk([uid for uid in user_ids if uid is not None])
    entries = []
    for event in events:
        tracked_model = event.pgh_tracked_model
        before = previous.get((type(event), event.pgh_id))
        if event.pgh_label == "delete":
            before, changes = None, []
        else:
            changes = _changes(_compared_fields(tracked_model, type(event)), before, event)
        user_id = event.pgh_context.metadata.get("user") if event.pgh_context_id else None
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                action=str(EVENT_LABELS.get(event.pgh_label, event.pgh_label)),
                record_type=tracked_model._meta.label_lower,
                record_label=str(tracked_model._meta.verbose_name),
                record_id=str(event.pgh_obj_id),
                user=users.get(user_id),
                changes=changes,
            )
        )
    return entries


def centre_events(event_model: Any, centre: Any) -> QuerySet[Any]:
    return (
        event_model.objects.filter(centre=centre).select_related("pgh_context").order_by("-pgh_created_at", "-pgh_id")
    )


class MergedEvents:
    """Several event querysets paged as one list, newest first (enough for Django's Paginator)."""

    def __init__(self, querysets: Sequence[QuerySet[Any]]) -> None:
        self.querysets = querysets

    def count(self) -> int:
        return sum(queryset.count() for queryset in self.querysets)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        stop = window.stop or 0
        rows = [row for queryset in self.querysets for row in queryset[:stop]]
        rows.sort(key=lambda event: (event.pgh_created_at, event.pgh_id), reverse=True)
        return rows[window]
