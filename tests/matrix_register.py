"""Permission matrix rows of data protection (see tests/matrix_types.py): erasure of a person by the centre lead."""

from __future__ import annotations

from ankommen.accounts.models import Role
from tests.matrix_types import Access, Route

ROUTES = {
    "people:person_erase": Route(
        Access.LEAD,
        kwargs=lambda w: {"person_id": w.person.pk},
        post=lambda w: {"reason": "request", "confirmed": "on"},
        names_centre_object=True,
    ),
}


def _lead_and_analyst(role: Role | None, own_centre: bool) -> set[int]:
    """The record names no person: every centre's lead and the state analysts read it."""
    if role is None:
        return {302}
    return {200} if role in {Role.CENTRE_LEAD, Role.STATE_ANALYST} else {403}


ROUTES.update(
    {
        "register:record": Route(Access.LEAD, expect=_lead_and_analyst),
        "register:record_pdf": Route(Access.LEAD, expect=_lead_and_analyst),
    }
)
