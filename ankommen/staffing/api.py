"""Staffing endpoints: the centre's posts and compliance, the state's table, the funding rules.

Centre roles read their centre's posts; only the lead writes them and sees who fills a post (`filled_by` is null
for everyone else). The state roles read the table of all centres, numbers only. The rules are public.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from ankommen.accounts.models import Role
from ankommen.api.auth import authenticated
from ankommen.api.scoping import require_centre
from ankommen.core.access import log_access
from ankommen.core.concurrency import api_change, checks_if_match, idempotent
from ankommen.core.models import AccessAction
from ankommen.regions.models import RegionKind
from ankommen.staffing import figures, selectors, services
from ankommen.staffing.compliance import Compliance, ComplianceStatus
from ankommen.staffing.models import FundingSource, StaffFunction, StaffPost

router = Router(auth=authenticated, tags=["staffing"])


class PostOut(Schema):
    id: int
    title: str
    function: StaffFunction
    fte: Decimal
    funding_source: FundingSource
    programme_name: str
    filled_by: str | None = Field(None, description="The employee's name; null unless the caller is the centre lead.")
    is_vacant: bool
    vacant_since: datetime.date | None
    starts_on: datetime.date
    ends_on: datetime.date | None
    breaks_rule: bool
    rule_breach: str
    justification: str


class PostIn(Schema):
    title: str = Field(..., min_length=1, max_length=160)
    function: StaffFunction
    fte: Decimal = Field(..., gt=0, le=1, max_digits=3, decimal_places=2)
    funding_source: FundingSource
    programme_name: str = Field("", max_length=160)
    filled_by: str = Field("", max_length=160)
    vacant_since: datetime.date | None = None
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    justification: str = Field(
        "", max_length=2000, description="Required when the entry breaks the funding rule; the entry is then flagged."
    )


class PostPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=160)
    function: StaffFunction | None = None
    fte: Decimal | None = Field(None, gt=0, le=1, max_digits=3, decimal_places=2)
    funding_source: FundingSource | None = None
    programme_name: str | None = Field(None, max_length=160)
    filled_by: str | None = Field(None, max_length=160)
    vacant_since: datetime.date | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    justification: str = Field("", max_length=2000)


class ComplianceOut(Schema):
    on: datetime.date
    status: ComplianceStatus
    state_fte: Decimal
    teacher_posts: Decimal
    max_state_fte: Decimal | None
    min_teacher_posts: Decimal | None
    messages: list[str]
    rule: str | None
    flagged_posts: int


class CentreStaffingOut(Schema):
    centre_slug: str
    centre_name: str
    region_kind: RegionKind
    fte_by_source: dict[str, Decimal]
    total_fte: Decimal
    vacant_fte: Decimal
    teacher_posts: Decimal
    rule: str | None
    max_state_fte: Decimal | None
    min_teacher_posts: Decimal | None
    status: ComplianceStatus
    messages: list[str]
    flagged_posts: int


class LimitOut(Schema):
    region_kind: RegionKind
    max_state_fte: Decimal
    min_teacher_posts: Decimal


class RuleOut(Schema):
    id: int
    name: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    limits: list[LimitOut]


class OnDay(Schema):
    on: datetime.date | None = Field(None, description="The day (default today).")


def _post_out(post: StaffPost, *, with_name: bool) -> dict[str, object]:
    data = {name: getattr(post, name) for name in PostOut.model_fields if hasattr(post, name)}
    data["filled_by"] = post.filled_by if with_name else None
    return data


def _is_lead(request: HttpRequest) -> bool:
    return request.membership.role == Role.CENTRE_LEAD  # type: ignore[attr-defined]


@router.get("/posts", response=list[PostOut], summary="The centre's staff posts (names for the centre lead only)")
def post_list(request: HttpRequest) -> list[dict[str, object]]:
    posts = list(selectors.posts_of_centre(centre=require_centre(request)))
    with_names = _is_lead(request)
    if with_names:
        log_access(request, [post for post in posts if post.filled_by], action=AccessAction.API)
    return [_post_out(post, with_name=with_names) for post in posts]


@router.post("/posts", response={201: PostOut}, summary="Add a staff post (centre lead)")
@idempotent
def post_create(request: HttpRequest, payload: PostIn) -> Status[dict[str, object]]:
    centre = require_centre(request, Role.CENTRE_LEAD)
    post = services.post_create(centre=centre, by=request.user, **payload.dict())  # type: ignore[arg-type]
    return Status(201, _post_out(post, with_name=True))


@router.patch("/posts/{post_id}", response=PostOut, summary="Change or end a staff post (centre lead)")
@checks_if_match
def post_update(request: HttpRequest, post_id: int, payload: PostPatch, response: HttpResponse) -> dict[str, object]:
    centre = require_centre(request, Role.CENTRE_LEAD)
    post = selectors.post_of_centre(centre=centre, post_id=post_id)
    changes = payload.dict(exclude_unset=True)
    justification = changes.pop("justification", "")
    with api_change(request, post, response):
        post = services.post_update(post=post, by=request.user, justification=justification, **changes)  # type: ignore[arg-type]
    return _post_out(post, with_name=True)


def _compliance_out(compliance: Compliance, rule: str | None, flagged: int) -> dict[str, object]:
    return {
        "on": compliance.on,
        "status": compliance.status,
        "state_fte": compliance.state_fte,
        "teacher_posts": compliance.teacher_posts,
        "max_state_fte": compliance.max_state_fte,
        "min_teacher_posts": compliance.min_teacher_posts,
        "messages": compliance.messages,
        "rule": rule,
        "flagged_posts": flagged,
    }


@router.get("/compliance", response=ComplianceOut, summary="Does the centre comply with the funding rule in force?")
def compliance(request: HttpRequest, query: Query[OnDay]) -> dict[str, object]:
    centre = require_centre(request)
    on = query.on or timezone.localdate()
    result, limit = selectors.centre_compliance(centre=centre, on=on)
    flagged = len(selectors.flagged_posts(centre=centre, on=on))
    return _compliance_out(result, limit.rule.name if limit else None, flagged)


@router.get("/state", response=list[CentreStaffingOut], summary="All centres: FTE by source and compliance (state)")
def state_table(request: HttpRequest, query: Query[OnDay]) -> list[dict[str, object]]:
    membership = getattr(request, "membership", None)
    if membership is None or not membership.is_state_role:
        raise PermissionDenied
    rows = figures.state_fte_table(on=query.on or timezone.localdate())
    return [
        {
            "centre_slug": row.centre_slug,
            "centre_name": row.centre_name,
            "region_kind": row.region_kind,
            "fte_by_source": row.fte_by_source,
            "total_fte": row.total_fte,
            "vacant_fte": row.vacant_fte,
            "teacher_posts": row.teacher_posts,
            "rule": row.rule_name,
            "max_state_fte": row.max_state_fte,
            "min_teacher_posts": row.min_teacher_posts,
            "status": row.compliance.status,
            "messages": row.compliance.messages,
            "flagged_posts": row.flagged_posts,
        }
        for row in rows
    ]


@router.get("/rules", response=list[RuleOut], auth=None, summary="The funding rules, oldest first (public)")
def rule_list(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "id": rule.id,
            "name": rule.name,
            "valid_from": rule.valid_from,
            "valid_until": rule.valid_until,
            "limits": [
                {
                    "region_kind": limit.region_kind,
                    "max_state_fte": limit.max_state_fte,
                    "min_teacher_posts": limit.min_teacher_posts,
                }
                for limit in rule.limits.all()
            ],
        }
        for rule in selectors.rules()
    ]
