"""The data register: for every field of every model, whether it is personal data, of which category, for which
processing activity (purpose and legal basis) and under which retention rule.

`declarations.py` holds the register itself, model by model; `activities.py` the processing activities of the
record of processing activities (GDPR Art. 30) and the retention rules. `tests/test_data_register.py` fails on any
field of the platform's models that is not declared here, and on any declaration of a field that does not exist.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    ORDINARY = "ordinary", _("ordinary personal data (GDPR Art. 6)")
    SOCIAL = "social", _("social data (§ 67 SGB X)")
    SPECIAL = "special", _("special category of personal data (GDPR Art. 9)")


@dataclass(frozen=True)
class Activity:
    """One processing activity of the record of processing activities (GDPR Art. 30(1))."""

    key: str
    name: Promise
    purpose: Promise
    legal_basis: Promise
    data_subjects: Promise
    recipients: Promise


@dataclass(frozen=True)
class RetentionRule:
    """How long a kind of record is kept. `setting` names the key of `settings.RETENTION` that holds the period
    (None: kept as long as its parent record, or deleted by hand, as `description` says)."""

    key: str
    description: Promise
    setting: str | None = None
    unit: str = "years"

    def period(self) -> int | None:
        from django.conf import settings

        return None if self.setting is None else int(settings.RETENTION[self.setting])


@dataclass(frozen=True)
class Declaration:
    """The register's entry for one model: its activity, its retention rule, the category of each personal field
    and, for every other field, why it is not personal data."""

    model: str
    activity: Activity
    retention: RetentionRule
    personal: Mapping[str, Category]
    not_personal: Mapping[str, str]

    def category_of(self, field_name: str) -> Category | None:
        return self.personal.get(field_name)


@dataclass(frozen=True)
class FieldEntry:
    model: str
    field: str
    category: Category
    activity: Activity
    retention: RetentionRule


# Bookkeeping present on most models; declared once here, with the reason, for every model that has them.
COMMON_NOT_PERSONAL = {
    "id": "the row's key, generated",
    "created_at": "when the row was written, bookkeeping",
    "updated_at": "when the row was last written, bookkeeping",
    "centre": "the owning centre (the tenant), no person",
}
# The columns pghistory adds to every history table; the copied columns keep their model's declaration.
HISTORY_NOT_PERSONAL = {
    "pgh_id": "the history row's key",
    "pgh_created_at": "when the change happened, bookkeeping",
    "pgh_label": "insert, update or delete",
    "pgh_obj": "the changed row's key",
    "pgh_context": "the change's context (user id and path, ids only)",
}


@functools.cache
def declarations_by_model() -> dict[str, Declaration]:
    from ankommen.core.register.declarations import DECLARATIONS

    return {declaration.model: declaration for declaration in DECLARATIONS}


def declaration_for(model: type[models.Model]) -> Declaration | None:
    """The declaration of a model, or for a history (pghistory event) model that of the model it tracks."""
    tracked = getattr(model, "pgh_tracked_model", None)
    label = (tracked or model)._meta.label
    return declarations_by_model().get(label)


def personal_fields() -> Iterator[FieldEntry]:
    for declaration in declarations_by_model().values():
        for field, category in declaration.personal.items():
            yield FieldEntry(declaration.model, field, category, declaration.activity, declaration.retention)


def entries_by_activity() -> dict[Activity, list[Declaration]]:
    from ankommen.core.register.activities import ACTIVITIES

    grouped: dict[Activity, list[Declaration]] = {activity: [] for activity in ACTIVITIES}
    for declaration in declarations_by_model().values():
        if declaration.personal:
            grouped[declaration.activity].append(declaration)
    return {activity: found for activity, found in grouped.items() if found}


def undeclared_fields(model: type[models.Model]) -> list[str]:
    """The concrete fields of a model that the register neither declares personal nor explains as not personal."""
    declaration = declaration_for(model)
    names = [field.name for field in model._meta.concrete_fields]
    if declaration is None:
        return names
    is_history = getattr(model, "pgh_tracked_model", None) is not None
    known: dict[str, Any] = {**declaration.personal, **declaration.not_personal}
    common = {**COMMON_NOT_PERSONAL, **(HISTORY_NOT_PERSONAL if is_history else {})}
    return [name for name in names if name not in known and name not in common]
