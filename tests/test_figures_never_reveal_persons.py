"""The permission matrix's two promises about figures (issue 7, part 7).

(a) State analysts and researchers never reach a person record: every URL the resolver knows and every operation
    the OpenAPI document lists is called as each of them; the answer is a refusal, or a page without any of the
    persons planted in two centres (names from the people, schooling, work, network and courses modules).
(b) A centre's users never see another centre's figures below the suppression threshold: every page and API
    operation they reach is searched for rows naming the other centre, whose counts must be 0 or at least k; the
    functions that compute figures across centres are checked directly with small counts planted in that centre.

The URL names and API operations come from the resolver and the OpenAPI document; the arguments for each come
from the permission matrix (tests/test_permission_matrix.py), which fails on any route without a row, so no route
can be left out here.
"""

from __future__ import annotations

import datetime
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.accounts.tests.factories import UserFactory
from ankommen.courses.models import Attendance, Session
from ankommen.courses.tests.factories import AudienceFactory, CourseFactory, RegistrationFactory
from ankommen.network.models import Referral
from ankommen.network.tests.factories import OrganisationFactory, ServiceFactory
from ankommen.people.models import Person
from ankommen.people.search import search_text_for
from ankommen.reporting.evaluation import ALL_CENTRES, TOTAL, centre_pseudonym, evaluation_extract
from ankommen.reporting.selectors import state_centre_table
from ankommen.reporting.suppression import DEFAULT_THRESHOLD
from ankommen.schooling.tests.factories import IntakeFactory
from ankommen.work.tests import factories as work_factories
from tests.matrix_types import World
from tests.test_permission_matrix import (
    API_ROUTES,
    ROUTES,
    _all_url_names,
    _api_operations,
    _member,
    world,  # noqa: F401  (the matrix's world, used as a fixture)
)

K = DEFAULT_THRESHOLD
# Distinctive names that occur nowhere else: if one shows up in a page, a person record was reached.
MARKERS_OWN = ("Xylophanta", "Brumbleworth")
MARKERS_OTHER = ("Quorvendila", "Zaffrignac")
WORLD_NAMES = ("Kovalenko", "Olena", "Iryna")
ALL_MARKERS = (*MARKERS_OWN, *MARKERS_OTHER, *WORLD_NAMES)


def _person(centre: Any, given: str, family: str, birth: datetime.date) -> Person:
    return Person.objects.create(
        centre=centre,
        given_names=given,
        family_name=family,
        birth_date=birth,
        search_text=search_text_for(given, family),
    )


def _plant(centre: Any, given: str, family: str, *, persons: int) -> dict[str, int]:
    """`persons` marked persons with an intake, a referral, a course participation and a candidate profile each
    (fewer than k of each in the centre), and what was planted."""
    by = UserFactory(display_name=f"{given} Mitarbeiterin")
    service = ServiceFactory(organisation=OrganisationFactory(centre=centre, name=f"Verein {family}"))
    course = CourseFactory(centre=centre, with_sessions=1)
    session = Session.objects.for_centre(centre).filter(course=course).first()
    assert session is not None
    Session.objects.for_centre(centre).filter(pk=session.pk).update(date=timezone.localdate())
    for index in range(persons):
        child = _person(centre, given, f"{family}{index}", datetime.date(2016, 2, 3 + index))
        IntakeFactory(child=child)
        Referral.objects.create(
            centre=centre, person=child, service=service, referred_on=timezone.localdate(), referred_by=by
        )
        adult = work_factories.person(centre, f"{given}a", f"{family}x{index}", by=by)
        work_factories.profile(centre, by, subject=adult)
        registration = RegistrationFactory(
            course=course, given_name=given, family_name=f"{family}{index}", audience=AudienceFactory()
        )
        Attendance.objects.create(
            centre=centre, registration=registration, session=session, is_present=True, recorded_by=by
        )
    return {"persons": 2 * persons, "intakes": persons, "referrals": persons}


@pytest.fixture
def planted(db: None, request: pytest.FixtureRequest) -> World:
    built: World = request.getfixturevalue("world")
    _plant(built.centre, MARKERS_OWN[0], MARKERS_OWN[1], persons=2)
    _plant(built.other_centre, MARKERS_OTHER[0], MARKERS_OTHER[1], persons=2)
    return built


def _url(name: str, w: World) -> str:
    route = ROUTES[name]
    return reverse(name, kwargs=route.kwargs(w) if route.kwargs else None)


def _get_names() -> list[str]:
    names = sorted(n for n in _all_url_names() if not n.startswith(("admin:", "api:")))
    assert set(names) <= set(ROUTES), "the permission matrix names every route (test_every_url_is_in_the_matrix)"
    return [n for n in names if ROUTES[n].get_allowed]


def _api_client(role: Role, centre: Any) -> dict[str, str]:
    _user, membership = _member(role, centre)
    _token, secret = api_token_create(membership=membership, name="figures", expires_in_days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _call_api(client: Client, headers: dict[str, str], key: tuple[str, str], w: World) -> Any:
    method, _template = key
    route = API_ROUTES[key]
    call = getattr(client, method)
    if route.body is None:
        return call(route.path(w), **headers)
    return call(route.path(w), data=route.body(w), content_type="application/json", **headers)


# --- (a) state users never reach a person ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER], ids=lambda r: r.value)
def test_state_users_reach_no_planted_person_on_any_page(planted, login, role):
    client = login(_member(role, None)[0])
    shown = []
    for name in _get_names():
        response = client.get(_url(name, planted))
        if response.status_code in {302, 403, 404, 405}:
            continue
        body = response.content.decode(errors="ignore")
        shown += [f"{name} ({response.status_code}) shows {marker}" for marker in ALL_MARKERS if marker in body]
    assert not shown, "\n".join(shown)


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER], ids=lambda r: r.value)
def test_state_users_reach_no_planted_person_through_the_api(planted, role):
    headers = _api_client(role, None)
    client = Client()
    shown = []
    operations = sorted(_api_operations())
    assert set(operations) <= set(API_ROUTES)
    for key in operations:
        response = _call_api(client, headers, key, planted)
        if response.status_code in {401, 403, 404, 405}:
            continue
        body = response.content.decode(errors="ignore")
        shown += [f"{key} ({response.status_code}) shows {marker}" for marker in ALL_MARKERS if marker in body]
    assert not shown, "\n".join(shown)


def test_the_person_pages_of_every_module_refuse_state_users(planted, login):
    # The routes that show one person's record by its id: refused outright, not just without names.
    person_routes = [n for n in _get_names() if ROUTES[n].names_centre_object]
    assert len(person_routes) > 20
    for role in (Role.STATE_ANALYST, Role.RESEARCHER):
        client = login(_member(role, None)[0])
        for name in person_routes:
            assert client.get(_url(name, planted)).status_code in {403, 404}, (role, name)


# --- (b) centre users never see another centre's small counts ---------------------------------------------------


class _Rows(HTMLParser):
    """The text of every table cell, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


NUMBER = re.compile(r"^\d+$")


def _small_counts_in_rows_naming(body: str, names: set[str]) -> list[str]:
    parser = _Rows()
    parser.feed(body)
    found = []
    for row in parser.rows:
        if any(name in cell for cell in row for name in names):
            found += [cell for cell in row if NUMBER.match(cell) and 0 < int(cell) < K]
    return found


def _small_counts_in_json(value: Any, names: set[str]) -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        if any(isinstance(v, str) and v in names for v in value.values()):
            found += [
                f"{key}={v}"
                for key, v in value.items()
                if isinstance(v, int) and not isinstance(v, bool) and 0 < v < K and not key.endswith(("id", "pk"))
            ]
        for v in value.values():
            found += _small_counts_in_json(v, names)
    elif isinstance(value, list):
        for v in value:
            found += _small_counts_in_json(v, names)
    return found


@pytest.mark.parametrize("role", [Role.CENTRE_LEAD, Role.CENTRE_STAFF, Role.CENTRE_TEACHER], ids=lambda r: r.value)
def test_centre_users_see_no_small_count_of_another_centre_on_any_page(planted, login, role):
    other = planted.other_centre
    names = {other.name, other.slug, centre_pseudonym(other)}
    client = login(_member(role, planted.centre)[0])
    small = []
    for name in _get_names():
        response = client.get(_url(name, planted))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode(errors="ignore")
        small += [f"{name}: {count}" for count in _small_counts_in_rows_naming(body, names)]
        shown = [marker for marker in MARKERS_OTHER if marker in body]
        assert not shown, f"{name} shows a person of another centre to a {role}: {shown}"
    assert not small, "\n".join(small)


def test_centre_users_see_no_small_count_of_another_centre_through_the_api(planted):
    other = planted.other_centre
    names = {other.name, other.slug, centre_pseudonym(other)}
    headers = _api_client(Role.CENTRE_STAFF, planted.centre)
    client = Client()
    small = []
    for key in sorted(_api_operations()):
        if key[0] != "get":
            continue
        response = _call_api(client, headers, key, planted)
        if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
            continue
        small += [f"{key}: {c}" for c in _small_counts_in_json(json.loads(response.content), names)]
        assert not any(marker in response.content.decode() for marker in MARKERS_OTHER), key
    assert not small, "\n".join(small)


def test_centre_users_cannot_take_the_evaluation_extract_or_its_pages(planted, login):
    client = login(_member(Role.CENTRE_LEAD, planted.centre)[0])
    for name in [n for n in _get_names() if n.startswith("evaluation:")]:
        assert client.get(_url(name, planted)).status_code == 403, name


def test_the_state_table_hides_the_small_counts_of_a_centre(planted):
    table = state_centre_table()
    other = next(row for row in table.rows if row.centre_name == planted.other_centre.name)
    # 4 planted persons (2 children, 2 adults) in the other centre: below k, hidden.
    assert other.persons.shown is None
    assert other.children.shown is None
    for row in table.rows:
        for count in (row.persons.shown, row.children.shown):
            assert count is None or count == 0 or count >= K


def test_the_evaluation_extract_hides_the_small_counts_of_a_centre(planted):
    month = timezone.localdate().replace(day=1)
    extract = evaluation_extract(first_month=month, last_month=month, threshold=K)
    pseudonym = centre_pseudonym(planted.other_centre)
    mine = [row for row in extract.rows if row.centre == pseudonym]
    assert {row.variable for row in mine if row.suppressed} >= {"children_registered", "referrals"}
    for row in extract.rows:
        assert row.count is None or row.count == 0 or row.count >= K, row
    assert any(row.centre == ALL_CENTRES and row.category == TOTAL for row in extract.rows)


def test_the_modules_state_figures_hide_the_small_counts_of_a_centre(planted):
    from ankommen.courses.figures import Period as CoursePeriod
    from ankommen.courses.figures import state_course_figures
    from ankommen.network.figures import Period as NetworkPeriod
    from ankommen.network.figures import state_network_figures
    from ankommen.work.figures import state_months

    today = timezone.localdate()
    courses = state_course_figures(period=CoursePeriod(today.replace(day=1), today))
    network = state_network_figures(period=NetworkPeriod(today.replace(day=1), today))
    counts = [row.participants.shown for row in courses.rows] + [cell.shown for _n, cell in network.referrals_by_centre]
    assert all(c is None or c == 0 or c >= K for c in counts), counts
    other = planted.other_centre.name
    assert next(row for row in courses.rows if row.centre_name == other).participants.shown is None
    assert dict(network.referrals_by_centre)[other].shown is None
    for figures in state_months():
        values = [figures.active_candidates, figures.followed_up, figures.still_employed, *figures.placements.values()]
        assert all(v is None or v == 0 or v >= K for v in values), figures
