"""Access helpers of the work module's views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ankommen.accounts.models import Role
from ankommen.core.access import role_required
from ankommen.people.views.common import centre_roles_required
from ankommen.work.services import employer_of

View = Callable[..., HttpResponse]
__all__ = ["centre_roles_required", "employer_required"]


def employer_required(view: View) -> View:
    """An employer contact acting for a verified organisation; the view gets it as `employer`."""

    @role_required(Role.EMPLOYER_CONTACT)
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = request.membership  # type: ignore[attr-defined]
        employer = employer_of(request.user, membership.centre)
        if employer is None:
            raise PermissionDenied
        return view(request, *args, employer=employer, **kwargs)

    return wrapper
