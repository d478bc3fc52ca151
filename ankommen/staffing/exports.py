"""The staffing tables as `ankommen.core.exports.Table`: a centre's posts, and the state's table of all centres."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from ankommen.core.exports import Table
from ankommen.staffing.figures import CentreStaffing
from ankommen.staffing.models import FundingSource, StaffPost


def posts_table(posts: Sequence[StaffPost], *, with_names: bool) -> Table:
    columns = [
        _("Title"),
        _("Function"),
        _("FTE"),
        _("Funding source"),
        _("Programme"),
        *([_("Filled by")] if with_names else []),
        _("Vacant since"),
        _("Start"),
        _("End"),
        _("Breaks the funding rule"),
        _("Broken rule"),
        _("Justification"),
    ]
    rows = [
        [
            post.title,
            post.get_function_display(),
            post.fte,
            post.get_funding_source_display(),
            post.programme_name,
            *([post.filled_by] if with_names else []),
            post.vacant_since,
            post.starts_on,
            post.ends_on,
            post.breaks_rule,
            post.rule_breach,
            post.justification,
        ]
        for post in posts
    ]
    return Table(title=_("Staff posts"), columns=columns, rows=rows)


def state_table(rows: Sequence[CentreStaffing]) -> Table:
    sources = FundingSource.choices
    columns = [
        _("Centre"),
        *[str(label) for _value, label in sources],
        _("Total FTE"),
        _("Vacant FTE"),
        _("Teacher posts"),
        _("Rule in force"),
        _("Maximum state-funded FTE"),
        _("Minimum teacher posts"),
        _("Compliance"),
        _("Messages"),
        _("Flagged posts"),
    ]
    table_rows = [
        [
            row.centre_name,
            *[row.fte_by_source[value] for value, _label in sources],
            row.total_fte,
            row.vacant_fte,
            row.teacher_posts,
            row.rule_name,
            row.max_state_fte,
            row.min_teacher_posts,
            row.compliance.status.label,
            " ".join(row.compliance.messages),
            row.flagged_posts,
        ]
        for row in rows
    ]
    return Table(title=_("Staff posts of the centres"), columns=columns, rows=table_rows)
