"""No personal value reaches the logs (docs/security.md, "Nothing personal in the logs").

Names and a birth date that exist nowhere else are planted; every logger of the platform is set to DEBUG and a
handler that formats and filters exactly like the configured console handler (the same formatter and filter objects,
taken from the handler `settings.LOGGING` built) captures every record. Then the platform is used the way that could
leak: every page of the permission matrix, a search for the name, a create and a refused create, the API with a
token, a placement run on a real worker, and a request that fails in the database with an error quoting the whole
row. Not one marker may appear in the captured log.
"""

from __future__ import annotations

import datetime
import json
import logging
import secrets
import string
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.core.log_privacy import PersonalDataErrorFilter
from ankommen.core.row_level_security import centre_scope, dangerously_as_table_owner
from ankommen.people.models import Person
from ankommen.people.search import fold_for_search, search_text_for
from ankommen.regions.tests.factories import CentreFactory
from ankommen.schooling.models import Placement, PlacementRun, PlacementRunStatus
from ankommen.schooling.tests.placement_factories import TERM, school_in, seats_at, waiting_child
from tests.rls import as_app_role
from tests.test_permission_matrix import API_ROUTES, ROUTES, _member, world  # noqa: F401 (world: the fixture)
from tests.workers import run_worker_until_idle

# The loggers the platform writes to; everything else inherits the root's level.
LOGGER_PREFIXES = ("django", "procrastinate", "ankommen")
LOGGER_NAMES = ("", "django", "django.request", "django.db.backends", "django.server", "procrastinate", "ankommen")


@dataclass(frozen=True)
class Planted:
    """A child's and a guardian's names and a birth date that exist nowhere but in the rows the test plants."""

    given_names: str
    family_name: str
    guardian_given_names: str
    birth_date: datetime.date
    # A date the forms and the API refuse (31 February): a message quoting the refused value would log it.
    invalid_birth_date: str
    invalid_api_birth_date: str

    @classmethod
    def make(cls) -> Planted:
        def name(first_letter: str) -> str:
            # A non-Latin first letter, so that the JSON escape of the name differs from the name itself.
            return first_letter + "".join(secrets.choice(string.ascii_lowercase) for _ in range(11))

        year = 2009 + secrets.randbelow(8)
        birth_date = datetime.date(year, 1, 1) + datetime.timedelta(days=secrets.randbelow(365))
        return cls(
            given_names=name("Ž"),
            family_name=name("Ö"),
            guardian_given_names=name("Ł"),
            birth_date=birth_date,
            invalid_birth_date=f"31.02.{year}",
            invalid_api_birth_date=f"{year}-02-31",
        )

    def markers(self) -> set[str]:
        """Every form in which the planted values could stand in a log line."""
        names = (self.given_names, self.family_name, self.guardian_given_names)
        date = self.birth_date
        return {
            *names,
            *(name[1:] for name in names),  # the random part, in any case, escape or transliteration
            *(json.dumps(name)[1:-1] for name in names),
            *(fold_for_search(name) for name in names),
            date.isoformat(),
            date.strftime("%d.%m.%Y"),
            f"{date.day}.{date.month}.{date.year}",
            repr(date),
            date.strftime("%Y%m%d"),
            date.strftime("%d%m%Y"),
            self.invalid_birth_date,
            self.invalid_api_birth_date,
        }

    def person_fields(self) -> dict[str, object]:
        return {
            "given_names": self.given_names,
            "family_name": self.family_name,
            "birth_date": self.birth_date,
            "search_text": search_text_for(self.given_names, self.family_name),
        }


class CapturedLog(logging.Handler):
    """Keeps each record as the console handler would have printed it."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self._lines_lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        with self._lines_lock:
            self.lines.append(line)

    def text(self) -> str:
        with self._lines_lock:
            return "\n".join(self.lines)

    def leaks(self, planted: Planted) -> list[str]:
        found = []
        for line in list(self.lines):
            folded = line.casefold()
            found += [f"{marker!r} in: {line[:400]}" for marker in planted.markers() if marker.casefold() in folded]
        return found


def configured_console_handler() -> logging.Handler:
    """The handler Django built from `settings.LOGGING["handlers"]["console"]` at set-up."""
    handler = next(handler for handler in logging.getLogger().handlers if handler.get_name() == "console")
    configuration: dict[str, Any] = settings.LOGGING
    configured_filters = configuration["handlers"]["console"]["filters"]
    assert len(handler.filters) == len(configured_filters)
    assert any(isinstance(log_filter, PersonalDataErrorFilter) for log_filter in handler.filters)
    return handler


@pytest.fixture
def planted() -> Planted:
    return Planted.make()


@pytest.fixture
def captured_log() -> Iterator[CapturedLog]:
    """Every logger of the platform at DEBUG, and a handler formatting and filtering like the console's.

    Requested after the planted rows exist: factory_boy logs the values it builds with at DEBUG, and that is the
    tests' own doing, not the platform's."""
    console = configured_console_handler()
    captured = CapturedLog()
    captured.setFormatter(console.formatter)
    for log_filter in console.filters:
        captured.addFilter(log_filter)
    manager = logging.Logger.manager
    names = {*LOGGER_NAMES, *(name for name in manager.loggerDict if name.startswith(LOGGER_PREFIXES))}
    loggers = [logging.getLogger(name) for name in sorted(names)]
    levels = [(logger, logger.level, logger.disabled) for logger in loggers]
    # A logger that does not pass its records on to the root gets the handler of its own.
    attached = [logging.getLogger()] + [
        logger for logger in manager.loggerDict.values() if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
    for logger in attached:
        logger.addHandler(captured)
    try:
        yield captured
    finally:
        for logger in attached:
            logger.removeHandler(captured)
        for logger, level, disabled in levels:
            logger.setLevel(level)
            logger.disabled = disabled


def _plant_in_world(world, planted: Planted) -> None:  # noqa: F811
    """The matrix's child (with its intake, consent, guardian and placement) gets the planted names."""
    Person.objects.for_centre(world.centre).filter(pk=world.person.pk).update(**planted.person_fields())
    Person.objects.for_centre(world.centre).filter(pk=world.guardian.pk).update(
        given_names=planted.guardian_given_names,
        search_text=search_text_for(planted.guardian_given_names, planted.family_name),
        family_name=planted.family_name,
    )


@pytest.mark.django_db
def test_pages_search_forms_and_api_of_a_centre_lead_log_no_personal_data(world, login, planted, request):  # noqa: F811
    _plant_in_world(world, planted)
    lead, membership = _member(Role.CENTRE_LEAD, world.centre)
    client = login(lead)
    _token, secret = api_token_create(membership=membership, name="log test", expires_in_days=1)
    api = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    captured = request.getfixturevalue("captured_log")

    shown_on = []
    for name, route in ROUTES.items():
        if not route.get_allowed:
            continue
        response = client.get(reverse(name, kwargs=route.kwargs(world) if route.kwargs else None))
        if planted.family_name in response.content.decode(errors="ignore"):
            shown_on.append(name)
    # The walk reached the planted child: its pages, its intake and its placement letter show the name.
    assert {"people:person_detail", "schooling:intake_detail"} <= set(shown_on), shown_on

    found = client.post(reverse("people:person_list"), {"q": planted.family_name})
    assert found.status_code == 200
    assert planted.given_names in found.content.decode()

    fields = {
        "given_names": planted.given_names,
        "family_name": planted.family_name,
        "gender": "female",
        "residence_status": "unknown",
    }
    created = client.post(reverse("people:person_create"), {**fields, "birth_date": planted.birth_date.isoformat()})
    assert created.status_code == 302
    refused = client.post(reverse("people:person_create"), {**fields, "birth_date": planted.invalid_birth_date})
    assert refused.status_code == 400
    assert Person.objects.for_centre(world.centre).filter(family_name=planted.family_name).count() == 3

    for (method, _template), route in API_ROUTES.items():
        if method == "get":
            assert client.get(route.path(world), **api).status_code in {200, 403, 404}, route.path(world)
    body = {**fields, "birth_date": planted.birth_date.isoformat()}
    assert client.post("/api/v1/people/", body, content_type="application/json", **api).status_code == 201
    body["birth_date"] = planted.invalid_api_birth_date
    refused_by_api = client.post("/api/v1/people/", body, content_type="application/json", **api)
    assert refused_by_api.status_code == 422
    assert Person.objects.for_centre(world.centre).filter(family_name=planted.family_name).count() == 4

    # The capture worked: the refused form and the pages other roles keep were logged by django.request.
    log = captured.text()
    assert "WARNING django.request Bad Request: /personen/neu/" in log
    assert "django.request Forbidden" in log
    assert not captured.leaks(planted), "\n".join(captured.leaks(planted))


@pytest.mark.django_db(transaction=True)
def test_a_placement_run_on_a_real_worker_logs_no_personal_data(login, planted, request):
    centre = CentreFactory()
    seats_at(school_in(centre, latitude=50.9400, longitude=6.9600), seats=2)
    intake = waiting_child(
        centre,
        given_names=planted.given_names,
        family_name=planted.family_name,
        birth_date=planted.birth_date,
        search_text=search_text_for(planted.given_names, planted.family_name),
    )
    lead = UserFactory()
    MembershipFactory(user=lead, role=Role.CENTRE_LEAD, centre=centre)
    client = login(lead)
    captured = request.getfixturevalue("captured_log")

    started = client.post(reverse("schooling:placement_run_start"), {"term": TERM})
    assert started.status_code == 302
    run_worker_until_idle("placement", timeout=90)

    run = PlacementRun.objects.for_centre(centre).get()
    assert run.status == PlacementRunStatus.REVIEW
    assert Placement.objects.for_centre(centre).filter(run=run, intake=intake).exists()
    page = client.get(reverse("schooling:placement_run_detail", kwargs={"run_id": run.pk}))
    assert planted.family_name in page.content.decode()
    # The worker's own records were captured (procrastinate logs each job it starts and ends).
    assert "procrastinate" in captured.text()
    assert not captured.leaks(planted), "\n".join(captured.leaks(planted))


REFUSING_CONSTRAINT = "log_test_refuses_every_new_person"


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_request_failing_in_the_database_logs_the_error_and_its_traceback_but_no_personal_data(
    centre, make_member, login, planted, request
):
    Person.objects.create(centre=centre, **planted.person_fields())
    lead = make_member(Role.CENTRE_LEAD, centre=centre)
    with dangerously_as_table_owner(), connection.cursor() as cursor:  # DDL: the application role may not
        # The insert's deferred foreign-key checks first: ALTER TABLE refuses a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Not checked against the rows there are; every row written from now on violates it.
        cursor.execute(f"ALTER TABLE people_person ADD CONSTRAINT {REFUSING_CONSTRAINT} CHECK (false) NOT VALID")
    # To the application role, which row-level security binds, PostgreSQL does not quote the row (docs/rls.md).
    with as_app_role(), centre_scope(centre.pk), pytest.raises(IntegrityError) as as_role, transaction.atomic():
        Person.objects.for_centre(centre).filter(family_name=planted.family_name).update(place="Bonn")
    assert REFUSING_CONSTRAINT in str(as_role.value)
    assert "Failing row contains" not in str(as_role.value)

    # To the tables' owner (ANKOMMEN_ROW_LEVEL_SECURITY=off) it answers such a write with the whole row, names and
    # birth date included: the log's filter must leave it out.
    with dangerously_as_table_owner():
        with pytest.raises(IntegrityError) as refusal, transaction.atomic():
            Person.objects.for_centre(centre).filter(family_name=planted.family_name).update(place="Bonn")
        assert "Failing row contains" in str(refusal.value)
        assert planted.family_name in str(refusal.value)
        assert planted.birth_date.isoformat() in str(refusal.value)

        client = login(lead)
        client.raise_request_exception = False  # the error becomes the 500 page, as in production
        # Without the filters, the same record would carry PostgreSQL's text: a handler of django.request's own sees
        # each record before the root's handlers filter it.
        unfiltered = CapturedLog()
        unfiltered.setFormatter(configured_console_handler().formatter)
        logging.getLogger("django.request").addHandler(unfiltered)
        captured = request.getfixturevalue("captured_log")
        try:
            response = client.post(
                reverse("people:person_create"),
                {
                    "given_names": planted.given_names,
                    "family_name": planted.family_name,
                    "birth_date": planted.birth_date.isoformat(),
                    "gender": "female",
                    "residence_status": "unknown",
                },
            )
        finally:
            logging.getLogger("django.request").removeHandler(unfiltered)

        assert response.status_code == 500
        assert planted.family_name in unfiltered.text()
        log = captured.text()
        assert "ERROR django.request Internal Server Error: /personen/neu/" in log
        assert "Traceback (most recent call last)" in log
        assert "in person_create\n" in log  # the frames are kept
        assert "django.db.utils.IntegrityError: [text left out: it may quote personal data]" in log
        assert "psycopg.errors.CheckViolation: [text left out: it may quote personal data]" in log
        assert not captured.leaks(planted), "\n".join(captured.leaks(planted))
