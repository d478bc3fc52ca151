"""The school placement's API operations in the permission matrix (its pages are in test_permission_matrix.py)."""

from __future__ import annotations

from ankommen.accounts.models import Role
from tests.matrix_types import ROLES_FOR, Access, ApiRoute


def _school_object(role: Role | None, own_centre: bool) -> tuple[set[int], set[int]]:
    """A proposal to the world's school: the matrix's school contact works at another school."""
    if role is None:
        return set(), {401}
    if role not in ROLES_FOR[Access.SCHOOL]:
        return set(), {403}
    return set(), {404}


def _school(role: Role | None, own_centre: bool) -> tuple[set[int], set[int]]:
    if role is None:
        return set(), {401}
    if role not in ROLES_FOR[Access.SCHOOL]:
        return set(), {403}
    return {200}, set()


C = Access.CENTRE
API_ROUTES: dict[tuple[str, str], ApiRoute] = {
    ("get", "/api/v1/schooling/seats"): ApiRoute(Access.SCHOOL, lambda w: "/api/v1/schooling/seats", expect=_school),
    ("put", "/api/v1/schooling/seats"): ApiRoute(
        Access.SCHOOL,
        lambda w: "/api/v1/schooling/seats",
        body=lambda w: {"term": "2026/27-2", "grade": 7, "kind": "initial_support", "seats": 3},
        expect=_school,
    ),
    ("get", "/api/v1/schooling/proposals"): ApiRoute(
        Access.SCHOOL, lambda w: "/api/v1/schooling/proposals", expect=_school
    ),
    ("post", "/api/v1/schooling/proposals/{placement_id}/confirm"): ApiRoute(
        Access.SCHOOL,
        lambda w: f"/api/v1/schooling/proposals/{w.extra['placement'].pk}/confirm",
        body=lambda w: {"start_date": "2026-12-01"},
        expect=_school_object,
    ),
    ("post", "/api/v1/schooling/proposals/{placement_id}/decline"): ApiRoute(
        Access.SCHOOL,
        lambda w: f"/api/v1/schooling/proposals/{w.extra['placement'].pk}/decline",
        body=lambda w: {"reason": "Klasse voll"},
        expect=_school_object,
    ),
    ("get", "/api/v1/schooling/intakes"): ApiRoute(C, lambda w: "/api/v1/schooling/intakes"),
    ("get", "/api/v1/schooling/shortage"): ApiRoute(C, lambda w: "/api/v1/schooling/shortage"),
    ("post", "/api/v1/schooling/placement-runs"): ApiRoute(
        C, lambda w: "/api/v1/schooling/placement-runs", body=lambda w: {"term": "2026/27-2"}
    ),
    ("get", "/api/v1/schooling/placement-runs/{run_id}"): ApiRoute(
        C, lambda w: f"/api/v1/schooling/placement-runs/{w.extra['run'].pk}", names_centre_object=True
    ),
}
