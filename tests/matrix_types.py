"""The vocabulary of the permission matrix, shared by `test_permission_matrix.py` and the module files.

A module adds its rows in a file `tests/matrix_<module>.py`, which the matrix collects by name. Such a file may
define any of:

- `ROUTES: dict[str, Route]` — its URL names;
- `API_ROUTES: dict[tuple[str, str], ApiRoute]` — its API operations as in the OpenAPI document;
- `TABLES: list[str]` — tables (or row queries) whose digest must not change when a write is refused;
- `extend_world(world: World) -> None` — objects its routes name, put into `world.extra`;
- `member(role, centre) -> tuple[user, membership] | None` — the user the matrix acts as for a role that needs
  more than a membership (a volunteer's profile, an employer's organisation); None leaves it to the default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ankommen.accounts.models import CENTRE_ROLES, STATE_ROLES, Role


class Access(Enum):
    PUBLIC = "anyone, logged in or not"
    ACCOUNT = "any logged-in user, for their own account"
    CENTRE = "centre lead, staff and teacher of the centre"
    LEAD = "centre lead of the centre"
    STATE = "state analyst and researcher"
    SCHOOL = "school contact of the school"
    VOLUNTEER = "volunteer of the centre, for their own data"
    EMPLOYER = "employer contact, for their own organisation"
    PARTNER = "partner organisation contact (network directory), for their own organisation"
    OPERATOR = "IT operators (superusers) only: Django admin"


# Who holds each kind of access (PUBLIC and ACCOUNT are decided before roles count).
ROLES_FOR: dict[Access, frozenset[Role]] = {
    Access.CENTRE: CENTRE_ROLES,
    Access.LEAD: frozenset({Role.CENTRE_LEAD}),
    Access.STATE: STATE_ROLES,
    Access.SCHOOL: frozenset({Role.SCHOOL_CONTACT}),
    Access.VOLUNTEER: frozenset({Role.VOLUNTEER}),
    Access.EMPLOYER: frozenset({Role.EMPLOYER_CONTACT}),
    Access.PARTNER: frozenset({Role.PARTNER_CONTACT}),
    Access.OPERATOR: frozenset(),
}

# Statuses a route answers one caller with: `expect(role, own_centre)`, role None for anonymous callers.
Expect = Callable[[Role | None, bool], set[int]]


@dataclass(frozen=True)
class Route:
    access: Access
    kwargs: Callable[[World], dict[str, Any]] | None = None
    # A write this route accepts: refused callers must leave the database unchanged.
    post: Callable[[World], dict[str, Any]] | None = None
    # The URL names an object of centre A: users of centre B get 404 for it.
    names_centre_object: bool = False
    # The URL names an object of another user: every caller gets 404.
    names_other_users_object: bool = False
    # The URL names an object of the world's school: a school contact of another school gets 404.
    names_school_object: bool = False
    get_allowed: bool = True
    # For a rule the fields above cannot say: the GET statuses per caller, replacing the derived ones.
    expect: Expect | None = None


@dataclass(frozen=True)
class ApiRoute:
    access: Access
    path: Callable[[World], str]
    body: Callable[[World], dict[str, Any]] | None = None
    names_centre_object: bool = False
    # The statuses per caller when the rule is not the derived one: (allowed, refused).
    expect: Callable[[Role | None, bool], tuple[set[int], set[int]]] | None = None


@dataclass
class World:
    centre: Any
    other_centre: Any
    person: Any
    guardian: Any
    family: Any
    consent: Any
    relation: Any
    stranger_token: Any
    stranger_session_id: int
    extra: dict[str, Any] = field(default_factory=dict)
