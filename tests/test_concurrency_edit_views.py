"""Every edit form refuses a save over a record that changed since the form was opened (docs/concurrency.md).

The views are found, not listed: every URL name ending in `_edit` is walked unless it is named below with the
reason why it opens no single record. For each, two clients of a user who may edit open the form; the first saves
(the matrix's write of `tests/matrix_*.py`), the second saves its unchanged form afterwards. The second must get 409
with both versions, nothing written, and its input back in the form.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.core.concurrency import VERSION_FIELD
from ankommen.core.tests.form_fields import form_with
from ankommen.regions.models import Postcode
from ankommen.schooling.counselling import assessment_record
from tests.matrix_types import ROLES_FOR, Access, Route, World
from tests.test_permission_matrix import ROUTES, _member, database_fingerprint, world  # noqa: F401

# Pages whose name ends in _edit but that set values by key (a month, a year, an indicator) rather than change one
# record that the user opened.
NOT_ONE_RECORD = {
    "reporting:manual_figure_edit": "the centre's own figures of a month, one value per indicator",
    "reporting:target_edit": "the lead's targets, one value per indicator",
    "reporting:threshold_edit": "the state's traffic-light thresholds, one pair per indicator",
    "grants:budget_edit": "a programme's budget for a year, set by the state",
    "grants:allocation_edit": "a centre's allocation of a programme year, set by the state",
}


def _prepare_assessment(w: World) -> None:
    # The page creates the first assessment of an intake and edits it from then on: it needs one to edit.
    assessment_record(
        centre=w.centre,
        by=UserFactory(),
        intake=w.extra["intake"],
        german_level="A1",
        maths_level="at",
        recommended_grade=5,
        acceptable_school_forms=[],
        special_needs_indicated=False,
    )


def _prepare_volunteer_area(w: World) -> None:
    # The matrix's write moves the volunteer to 50667, which must lie in the area of the volunteer's centre: the
    # world's factories may have made the postcode in a district without a centre.
    Postcode.objects.filter(code="50667").update(region=w.centre.region)


# Records an edit page needs besides the matrix's world (without them it creates rather than edits, or refuses the
# matrix's write).
PREPARE = {
    "schooling:assessment_edit": _prepare_assessment,
    "volunteering:profile_edit": _prepare_volunteer_area,
    "volunteering:volunteer_edit": _prepare_volunteer_area,
}

EDIT_VIEWS = sorted(name for name in ROUTES if name.endswith("_edit") and name not in NOT_ONE_RECORD)


def test_edit_views_are_found():
    assert len(EDIT_VIEWS) >= 13
    assert not set(NOT_ONE_RECORD) - set(ROUTES), "exempted views that no longer exist"


def _editor(w: World, route: Route) -> Any:
    if route.access is Access.SCHOOL:
        user = UserFactory()
        MembershipFactory(user=user, role=Role.SCHOOL_CONTACT, centre=None, school=w.extra["school"])
        return user
    role = sorted(ROLES_FOR[route.access], key=lambda role: role.value)[0]
    if route.access is Access.STATE:
        role = Role.STATE_ANALYST
    if route.access is Access.CENTRE:
        role = Role.CENTRE_LEAD
    user, _membership = _member(role, w.centre)
    return user


def _errors(response: Any) -> Any:
    form = (response.context or {}).get("form")
    return form.errors if form is not None else None


def _version_field(html: str) -> str:
    """The name of the version field on a page: a form with a prefix (`shift-`) prefixes it too."""
    found = re.search(rf'name="((?:[\w-]+-)?{VERSION_FIELD})"', html)
    assert found, "no version field on the page"
    return found.group(1)


def _entries(values: dict[str, Any]) -> dict[str, Any]:
    """What the user typed: without the version and the CSRF token (masked anew on every page)."""
    return {
        name: value
        for name, value in values.items()
        if not name.endswith(VERSION_FIELD) and name != "csrfmiddlewaretoken"
    }


def _as_lists(values: dict[str, Any]) -> dict[str, list[str]]:
    return {name: sorted(value) if isinstance(value, list) else [value] for name, value in values.items()}


def _open(name: str, world: World) -> tuple[Route, str, Any]:  # noqa: F811
    route = ROUTES[name]
    if name in PREPARE:
        PREPARE[name](world)
    url = reverse(name, kwargs=route.kwargs(world) if route.kwargs else None)
    return route, url, _editor(world, route)


@pytest.mark.parametrize("name", EDIT_VIEWS)
def test_a_stale_save_is_refused_and_writes_nothing(world, login, name):  # noqa: F811
    route, url, user = _open(name, world)
    first, second = login(user), login(user)
    opened_first = first.get(url)
    assert opened_first.status_code == 200, f"{name}: GET {opened_first.status_code}"
    version = _version_field(opened_first.text)
    mine = form_with(opened_first.text, version)
    theirs = form_with(second.get(url).text, version)
    assert mine[version], f"{name} renders no version"

    saved = first.post(url, {**mine, **(route.post(world) if route.post else {})})
    assert saved.status_code == 302, f"{name}: the first save answered {saved.status_code}: {_errors(saved)}"
    before = database_fingerprint()

    refused = second.post(url, theirs)

    assert refused.status_code == 409, f"{name}: the stale save answered {refused.status_code}"
    assert database_fingerprint() == before, f"{name}: the stale save wrote"
    assert "ankommen-edit-conflict" in refused.text
    kept = form_with(refused.text, version)
    assert _entries(kept) == _entries(theirs), f"{name}: the user's input was not kept"
    assert kept[version] != theirs[version]


@pytest.mark.parametrize("name", EDIT_VIEWS)
def test_a_save_without_the_version_is_refused_and_writes_nothing(world, login, name):  # noqa: F811
    route, url, user = _open(name, world)
    client = login(user)
    opened = client.get(url)
    version = _version_field(opened.text)
    sent = {**_entries(form_with(opened.text, version)), **(route.post(world) if route.post else {})}
    before = database_fingerprint()

    refused = client.post(url, sent)

    assert refused.status_code == 400, f"{name}: a save without version answered {refused.status_code}"
    assert database_fingerprint() == before, f"{name}: the save without version wrote"
    # In the user's language (German by default): the reason, and the stored version next to the entries.
    assert "ohne die Fassung des Datensatzes gesendet" in refused.text, f"{name}: no message"
    assert "ankommen-edit-conflict" in refused.text
    kept = form_with(refused.text, version)
    typed = {field: value for field, value in _as_lists(sent).items() if field in kept}
    assert {field: _as_lists(kept)[field] for field in typed} == typed, f"{name}: the user's input was not kept"
    # The form now carries the stored version: saving again, after looking, goes through.
    assert kept[version]
    saved = client.post(url, kept)
    assert saved.status_code == 302, f"{name}: the second save answered {saved.status_code}: {_errors(saved)}"
