"""Deleting personal records for good: the rows, what the delete cascades to, and their history rows.

The history tables (pghistory) are append-only: a trigger refuses to change or delete a row. Deletion on schedule
or on request is the one exception, so `Purge` switches that trigger off for its own statements only
(`pgtrigger.ignore`, in this thread and transaction) and deletes exactly the history rows of the records it deleted.
The delete trigger of a tracked model writes one last history row (a full copy) when the row goes: the history is
therefore purged after the rows, in the same transaction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache
from typing import Any

import pgtrigger
from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.deletion import Collector


@cache
def history_models() -> tuple[type[models.Model], ...]:
    return tuple(model for model in apps.get_models() if hasattr(model, "pgh_obj"))


class Purge:
    """Collects what it deletes, so that `finish()` removes the history rows of all of it."""

    def __init__(self) -> None:
        self.deleted: dict[type[models.Model], set[Any]] = defaultdict(set)

    def delete(self, queryset: models.QuerySet[Any]) -> None:
        """Delete the rows and what the database cascades to (a PROTECTed relation must be deleted first)."""
        collector = Collector(using=queryset.db, origin=queryset)
        collector.collect(queryset)
        for model, instances in collector.data.items():
            self.deleted[model] |= {instance.pk for instance in instances}
        for fast in collector.fast_deletes:
            self.deleted[fast.model] |= set(fast.values_list("pk", flat=True))
        collector.delete()

    def counts(self) -> Counter[str]:
        return Counter({model._meta.label: len(keys) for model, keys in self.deleted.items() if keys})

    def finish(self) -> Counter[str]:
        """Delete the history rows of every deleted row, and every history row of another record that pointed at
        one (e.g. a consent deleted earlier, whose history names the person)."""
        deleted = {model: keys for model, keys in self.deleted.items() if keys}
        for history in history_models():
            pointers = [
                (field.attname, deleted[field.related_model])
                for field in history._meta.concrete_fields
                if field.is_relation and field.name != "pgh_context" and field.related_model in deleted
            ]
            if not pointers:
                continue
            condition = Q()
            for attname, keys in pointers:
                condition |= Q(**{f"{attname}__in": keys})
            with pgtrigger.ignore(f"{history._meta.label}:append_only"):
                history._base_manager.filter(condition).delete()
        return self.counts()
