"""Permission matrix rows of the evaluation extract (see tests/matrix_types.py).

The extract and its page are for researchers only (the extract is asked for by POST and prepared by a job, see
matrix_reports.py for the prepared files); the codebook (no figures) also for state analysts.
"""

from __future__ import annotations

from ankommen.accounts.models import Role
from tests.matrix_types import Access, Route, World


def _researchers_only(role: Role | None, own_centre: bool) -> set[int]:
    if role is None:
        return {302}
    return {200} if role is Role.RESEARCHER else {403}


def _period(world: World) -> dict[str, str]:
    return {"first": "2026-01", "last": "2026-03"}


ROUTES: dict[str, Route] = {
    "evaluation:index": Route(Access.STATE, expect=_researchers_only),
    "evaluation:extract_csv": Route(Access.STATE, expect=_researchers_only, post=_period, get_allowed=False),
    "evaluation:extract_xlsx": Route(Access.STATE, expect=_researchers_only, post=_period, get_allowed=False),
    "evaluation:codebook": Route(Access.STATE),
    "evaluation:codebook_download": Route(Access.STATE),
}
