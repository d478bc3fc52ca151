"""The API's side of centre isolation: endpoints get the caller's centre from here, and only here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from ankommen.accounts.models import Role


def require_centre(request: HttpRequest, *roles: Role) -> Any:
    """The caller's centre, if their membership has one of `roles` (default: any centre role); else 403."""
    membership = getattr(request, "membership", None)
    centre = getattr(request, "centre", None)
    if membership is None or centre is None or (roles and membership.role not in roles):
        raise PermissionDenied
    return centre


def require_school(request: HttpRequest) -> Any:
    """The caller's school, if their membership is a school contact's; else 403."""
    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.SCHOOL_CONTACT or membership.school is None:
        raise PermissionDenied
    return membership.school
