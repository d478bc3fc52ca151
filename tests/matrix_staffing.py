"""Permission matrix rows of the staffing module (see tests/matrix_types.py).

The centre's posts: every centre role reads them (names for the lead only), the lead writes them. The state's table
and a centre's posts without names: state analysts and researchers. The funding rules: state roles read, only the
state analysts change them. The world's post is filled by a person named like the world's family, so that the
matrix's "state users never see a person" check also proves that no staff name reaches a state page.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ankommen.accounts.models import Role
from ankommen.staffing.models import FundingRule, FundingSource, StaffFunction, StaffPost
from tests.matrix_types import Access, ApiRoute, Route, World

C = Access.CENTRE
L = Access.LEAD
S = Access.STATE


def _analyst_only(role: Role | None, own_centre: bool) -> set[int]:
    if role is None:
        return {302}
    return {200} if role == Role.STATE_ANALYST else {403}


def _post(w: World) -> dict[str, Any]:
    return {"post_id": w.extra["staff_post"].pk}


def _post_form(w: World) -> dict[str, Any]:
    return {
        "title": "Koordination Arbeit",
        "function": "coordination",
        "fte": "0.5",
        "funding_source": "state_integration",
        "filled_by": "",
        "vacant_since": "2026-01-01",
        "starts_on": "2026-01-01",
    }


def _rule_form(w: World) -> dict[str, Any]:
    data: dict[str, Any] = {"name": "Geänderte Regel", "valid_from": "2021-06-01"}
    for kind in ("city", "district", "city_region"):
        data[f"max_state_fte_{kind}"] = "9"
        data[f"min_teacher_posts_{kind}"] = "1"
    return data


def _rule(w: World) -> dict[str, Any]:
    return {"rule_id": w.extra["funding_rule"].pk}


ROUTES: dict[str, Route] = {
    "staffing:post_list": Route(C),
    "staffing:post_create": Route(L, post=_post_form),
    "staffing:post_edit": Route(L, kwargs=_post, post=_post_form, names_centre_object=True),
    "staffing:post_end": Route(L, kwargs=_post, post=lambda w: {"ends_on": "2026-06-30"}, names_centre_object=True),
    "staffing:post_export": Route(L, kwargs=lambda w: {"fmt": "csv"}),
    "staffing:state_table": Route(S),
    "staffing:state_export": Route(S, kwargs=lambda w: {"fmt": "xlsx"}),
    "staffing:state_centre": Route(S, kwargs=lambda w: {"slug": w.centre.slug}),
    "staffing:rule_list": Route(S),
    "staffing:rule_create": Route(
        S, post=lambda w: {**_rule_form(w), "valid_from": "2030-01-01"}, expect=_analyst_only
    ),
    "staffing:rule_edit": Route(S, kwargs=_rule, post=_rule_form, expect=_analyst_only),
}

API_ROUTES: dict[tuple[str, str], ApiRoute] = {
    ("get", "/api/v1/staffing/posts"): ApiRoute(C, lambda w: "/api/v1/staffing/posts"),
    ("post", "/api/v1/staffing/posts"): ApiRoute(
        L,
        lambda w: "/api/v1/staffing/posts",
        body=lambda w: {
            "title": "Verwaltung",
            "function": "administration",
            "fte": "0.5",
            "funding_source": "district",
            "vacant_since": "2026-02-01",
            "starts_on": "2026-02-01",
        },
    ),
    ("patch", "/api/v1/staffing/posts/{post_id}"): ApiRoute(
        L,
        lambda w: f"/api/v1/staffing/posts/{w.extra['staff_post'].pk}",
        body=lambda w: {"title": "Koordination (geändert)"},
        names_centre_object=True,
    ),
    ("get", "/api/v1/staffing/compliance"): ApiRoute(C, lambda w: "/api/v1/staffing/compliance"),
    ("get", "/api/v1/staffing/state"): ApiRoute(S, lambda w: "/api/v1/staffing/state"),
    ("get", "/api/v1/staffing/rules"): ApiRoute(Access.PUBLIC, lambda w: "/api/v1/staffing/rules"),
}

TABLES = [
    "staffing_staffpost",
    "staffing_staffpostevent",
    "staffing_fundingrule",
    "staffing_fundingruleevent",
    "staffing_fundingrulelimit",
    "staffing_fundingrulelimitevent",
]


def extend_world(world: World) -> None:
    post = StaffPost.objects.create(
        centre=world.centre,
        title="Koordination Bildung",
        function=StaffFunction.COORDINATION,
        fte=Decimal("1"),
        funding_source=FundingSource.STATE_INTEGRATION,
        filled_by=f"{world.guardian.given_names} {world.guardian.family_name}",
        starts_on=datetime.date(2025, 1, 1),
    )
    world.extra.update(staff_post=post, funding_rule=FundingRule.objects.order_by("valid_from").last())
