"""The one mechanism that keeps a centre's personal data inside that centre.

Every model whose rows belong to a centre inherits `CentreOwnedModel`. Its querysets fail
closed: they refuse to run until they are scoped with `for_centre(centre)`. The few places
that must read across centres (migrations, the reporting app's aggregates, retention jobs)
call `dangerously_unscoped()`, so every bypass can be found with one grep. Such a queryset also opens
the database's row-level security for the statements that evaluate it, and only for them (docs/rls.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Self

from django.db import models

from ankommen.core.row_level_security import dangerously_all_centres

if TYPE_CHECKING:
    from ankommen.regions.models import Centre


class UnscopedQueryError(RuntimeError):
    pass


# Set while Django checks unique constraints in full_clean(): those checks must see every centre's rows
# (a constraint holds for the whole table; the database's row-level security is opened for them too) and
# answer only "exists", never a row.
_checking_constraints: ContextVar[bool] = ContextVar("checking_constraints", default=False)


class CentreScopedQuerySet(models.QuerySet):
    _scoped = False
    _all_centres = False

    def for_centre(self, centre: Centre) -> Self:
        if centre is None:
            raise UnscopedQueryError("A centre is required to read centre-owned data.")
        clone = self.filter(centre=centre)
        clone._scoped = True
        return clone

    def dangerously_unscoped(self) -> Self:
        clone = self.all()
        clone._scoped = True
        clone._all_centres = True
        return clone

    def _clone(self) -> Self:
        # Django's private copy step for every chained call: the scope travels with the queryset.
        clone: Self = super()._clone()  # type: ignore[misc]
        clone._scoped = self._scoped
        clone._all_centres = self._all_centres
        return clone

    def _database_scope(self) -> Any:
        # The named bypass is also the database's: every centre's rows for this queryset's statements.
        return dangerously_all_centres(using=self.db) if self._all_centres else nullcontext()

    def _require_scope(self) -> None:
        if not self._scoped and not _checking_constraints.get():
            raise UnscopedQueryError(f"{self.model.__name__} rows belong to a centre: call for_centre(centre) first.")

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._require_scope()
            with self._database_scope():
                super()._fetch_all()

    def iterator(self, *args: Any, **kwargs: Any) -> Any:
        self._require_scope()
        return self._iterate_in_scope(super().iterator(*args, **kwargs))

    def _iterate_in_scope(self, rows: Iterator[Any]) -> Iterator[Any]:
        with self._database_scope():
            yield from rows

    def count(self) -> int:
        self._require_scope()
        with self._database_scope():
            return super().count()

    def exists(self) -> bool:
        self._require_scope()
        with self._database_scope():
            return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._require_scope()
        with self._database_scope():
            return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._require_scope()
        with self._database_scope():
            return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._require_scope()
        with self._database_scope():
            return super().delete()


CentreScopedManager = models.Manager.from_queryset(CentreScopedQuerySet)


class UnscopedManager(models.Manager):
    """Django's own machinery (cascading deletes, related lookups) uses this base manager."""


class CentreOwnedModel(models.Model):
    centre = models.ForeignKey("regions.Centre", on_delete=models.PROTECT, related_name="+")

    objects = CentreScopedManager()
    unscoped_base = UnscopedManager()

    class Meta:
        abstract = True
        base_manager_name = "unscoped_base"

    def validate_unique(self, exclude: Any = None) -> None:
        token = _checking_constraints.set(True)
        try:
            with dangerously_all_centres():
                super().validate_unique(exclude)
        finally:
            _checking_constraints.reset(token)

    def validate_constraints(self, exclude: Any = None) -> None:
        token = _checking_constraints.set(True)
        try:
            with dangerously_all_centres():
                super().validate_constraints(exclude)
        finally:
            _checking_constraints.reset(token)
