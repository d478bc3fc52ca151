"""Fixtures shared by every app's tests: centres, one user per role, and logged-in clients."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.test import Client

from ankommen.accounts.middleware import SECOND_FACTOR_VERIFIED_KEY
from ankommen.accounts.models import Role, User
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.regions.models import Centre
from ankommen.regions.tests.factories import CentreFactory, SchoolFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """A test database per test process, so that parallel runs on one server never share one.

    With ANKOMMEN_ROW_LEVEL_SECURITY on, the test database is created, migrated and dropped by the tables' owner
    (as `make run` migrates): the application role may create nothing. `django_db_setup` below hands the
    connection back to the role for the tests themselves."""
    from django.conf import settings

    test_settings = settings.DATABASES["default"].setdefault("TEST", {})
    test_settings["NAME"] = (
        f"{test_settings.get('NAME') or 'test_' + settings.DATABASES['default']['NAME']}_{os.getpid()}"
    )
    settings.DATABASES["default"]["OPTIONS"].pop("assume_role", None)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The tests run as the application role when row-level security is on (docs/rls.md)."""
    from django.conf import settings
    from django.db import connection

    if not settings.ROW_LEVEL_SECURITY:
        yield
        return
    options = connection.settings_dict["OPTIONS"]
    with django_db_blocker.unblock():
        connection.close()
        options["assume_role"] = settings.DATABASE_APP_ROLE
    yield
    with django_db_blocker.unblock():
        options.pop("assume_role", None)
        connection.close()


@pytest.fixture
def centre(db) -> Centre:
    return CentreFactory()


@pytest.fixture
def other_centre(db) -> Centre:
    return CentreFactory()


@pytest.fixture
def make_member(db) -> Callable[..., User]:
    """A user with one membership: `make_member(Role.CENTRE_STAFF, centre=centre)`."""

    def make(role: Role, *, centre: Centre | None = None, school=None) -> User:
        user = UserFactory()
        if role == Role.SCHOOL_CONTACT:
            school = school or SchoolFactory()
        MembershipFactory(user=user, role=role, centre=centre, school=school)
        return user

    return make


@pytest.fixture
def login() -> Callable[[User], Client]:
    """A client logged in as `user`, second factor passed."""

    def log_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        session = client.session
        session[SECOND_FACTOR_VERIFIED_KEY] = True
        session.save()
        return client

    return log_in


@pytest.fixture
def staff(make_member, centre) -> User:
    return make_member(Role.CENTRE_STAFF, centre=centre)


@pytest.fixture
def staff_client(login, staff) -> Client:
    return login(staff)


# Rows that data migrations write: a transactional test flushes the database when it ends, these rows included.
DATA_MIGRATION_ROWS = [
    ("ankommen.volunteering.migrations.0002_builtin_activities", "add_builtin"),
    ("ankommen.courses.migrations.0002_default_topics_and_audiences", "add_defaults"),
    ("ankommen.staffing.migrations.0002_seed_funding_rules", "add_seed_rules"),
    ("ankommen.grants.migrations.0002_komm_an_programme", "add_komm_an"),
]


@pytest.fixture(autouse=True)
def _rows_of_data_migrations(request):
    """Put the data migrations' rows back before each transactional test, as after `migrate` (all idempotent).

    procrastinate's tables are not Django's, so a transactional test's flush leaves its jobs behind: they are emptied
    before and after each such test, so that no test finds or runs another test's jobs."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        yield
        return
    import importlib

    from django.apps import apps
    from django.db import connection, transaction

    from tests.faults.processes import PROCRASTINATE_TABLES

    def empty_the_queue() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '20s'")  # a worker left running fails the test, never hangs it
            cursor.execute("SET LOCAL ROLE NONE")  # as the owner: the application role may not truncate
            cursor.execute(f"TRUNCATE {PROCRASTINATE_TABLES}")

    request.getfixturevalue("transactional_db")
    empty_the_queue()
    for module, function in DATA_MIGRATION_ROWS:
        getattr(importlib.import_module(module), function)(apps, None)
    yield
    empty_the_queue()


@pytest.fixture(autouse=True)
def _test_code_sees_every_centre(request):
    """With ANKOMMEN_ROW_LEVEL_SECURITY on, the tests' own set-up and checks read and write every centre's rows;
    each request and job under test sets its own centre (docs/rls.md)."""
    from django.conf import settings

    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if not settings.ROW_LEVEL_SECURITY or not uses_database:
        yield
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.db import connection

    from ankommen.core.row_level_security import dangerously_all_centres

    role = connection.ops.quote_name(settings.DATABASE_APP_ROLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")  # also after the previous transactional test's owner
    with dangerously_all_centres():
        yield
    if transactional:
        # The flush that ends a transactional test truncates the tables: the owner's right, not the role's.
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
