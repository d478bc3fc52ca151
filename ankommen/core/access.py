"""Access helpers for views: who may enter, and which centre's objects they may touch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry, AccessPurpose
from ankommen.core.scoping import CentreScopedQuerySet

ModelT = TypeVar("ModelT", bound=models.Model)
View = Callable[..., HttpResponse]


def role_required(*roles: Role) -> Callable[[View], View]:
    """Let in logged-in users whose active membership has one of `roles`; others get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None or membership.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def get_object_for_centre(queryset: CentreScopedQuerySet, centre: Any, **lookup: Any) -> Any:
    """The object of the user's centre, or 404: another centre's object does not exist for them."""
    try:
        return queryset.for_centre(centre).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def log_access(
    request: HttpRequest,
    records: Iterable[models.Model],
    *,
    action: AccessAction,
    purpose: AccessPurpose = AccessPurpose.CASE_WORK,
) -> None:
    access_log_write(
        user=request.user,
        membership=request.membership,  # type: ignore[attr-defined]
        records=records,
        action=action,
        purpose=purpose,
    )


def access_log_write(
    *,
    user: Any,
    membership: Any,
    records: Iterable[models.Model],
    action: AccessAction,
    purpose: AccessPurpose = AccessPurpose.CASE_WORK,
) -> None:
    """Write one access-log row per record read (detail, list row, search hit, export row)."""
    fallback_centre_id = membership.centre_id if membership else None
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user=user,
            centre_id=getattr(record, "centre_id", None) or fallback_centre_id,
            role=membership.role if membership else "",
            record_type=record._meta.label_lower,
            record_id=str(record.pk),
            action=action,
            purpose=purpose,
        )
        for record in records
    )
