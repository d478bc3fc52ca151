"""Who acts for which organisation of the network directory: the API other modules use for partner features.

A partner contact is a user with the role `Role.PARTNER_CONTACT` in a centre, linked by an active
`PartnerContact` to one organisation of that centre's network directory (staff invite them from the
organisation's page). Two ways in:

- `partner_organisation(user=..., centre=...)` returns the organisation the user acts for in the centre, or None.
  Use it in services and API endpoints (with `request.membership.centre`).
- `@partner_required` on a view: lets in logged-in users whose active membership is a partner contact (others get
  403, anonymous callers the login page), resolves their organisation (403 without an active link) and passes it
  to the view as the keyword argument `organisation`. Objects the view then looks up must be filtered by that
  organisation (and its centre), so that another organisation's or centre's object answers 404.

    @partner_required
    @require_GET
    def my_page(request, organisation): ...

- `require_partner(request)` in an API endpoint: the caller's organisation, or 403 (PermissionDenied).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ankommen.accounts.models import Role
from ankommen.core.access import role_required
from ankommen.network.models import Organisation, PartnerContact

View = Callable[..., HttpResponse]
__all__ = ["partner_organisation", "partner_required", "require_partner"]


def partner_organisation(*, user: Any, centre: Any) -> Organisation | None:
    """The organisation `user` acts for in `centre` through an active partner link, or None."""
    if user is None or not getattr(user, "is_authenticated", False) or centre is None:
        return None
    contact = (
        PartnerContact.objects.for_centre(centre)
        .select_related("organisation")
        .filter(user=user, is_active=True)
        .order_by("pk")
        .first()
    )
    return contact.organisation if contact else None


def partner_required(view: View) -> View:
    """A partner contact acting for an organisation of their centre; the view gets it as `organisation`."""

    @role_required(Role.PARTNER_CONTACT)
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = request.membership  # type: ignore[attr-defined]
        organisation = partner_organisation(user=request.user, centre=membership.centre)
        if organisation is None:
            raise PermissionDenied
        return view(request, *args, organisation=organisation, **kwargs)

    return wrapper


def require_partner(request: HttpRequest) -> Organisation:
    """For API endpoints: the organisation of a partner-contact caller, else 403."""
    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.PARTNER_CONTACT:
        raise PermissionDenied
    organisation = partner_organisation(user=request.user, centre=membership.centre)
    if organisation is None:
        raise PermissionDenied
    return organisation
