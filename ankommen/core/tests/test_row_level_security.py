"""Row-level security: the database's own barrier behind the application's scoping (docs/rls.md).

The tests switch their connection to the application role (`SET ROLE`), as the application does with
ANKOMMEN_ROW_LEVEL_SECURITY on; the rows are planted before, as the tables' owner.
"""

from __future__ import annotations

import datetime
import threading
import time
import uuid

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, ProgrammingError, connection, connections, transaction
from django.test import Client
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.core.row_level_security import (
    CENTRE_SETTING,
    NOT_CENTRE_OWNED,
    POLICY_NAME,
    SCOPE_SETTING,
    app_role,
    centre_owned_tables,
    centre_scope,
    create_app_role,
    dangerously_all_centres,
    dangerously_as_table_owner,
)
from ankommen.people.models import Person
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.models import Centre
from ankommen.schooling import placement
from ankommen.schooling.models import IntakeStatus, Placement, PlacementRunStatus, WaitingAlert
from ankommen.schooling.placement_jobs import placement_run_execute
from ankommen.schooling.tasks import waiting_alert_send
from ankommen.schooling.tests.factories import IntakeFactory
from ankommen.schooling.tests.placement_factories import TERM, school_in, seats_at, waiting_child
from tests.rls import as_app_role

PersonEvent = apps.get_model("people", "PersonEvent")


def visible_person_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT family_name FROM people_person")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def two_centres_persons(centre, other_centre):
    return PersonFactory(centre=centre, family_name="Inside"), PersonFactory(centre=other_centre, family_name="Outside")


def test_every_centre_owned_table_has_the_policy_and_row_level_security_on(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policies p ON p.tablename = c.relname"
            " WHERE c.relrowsecurity AND p.policyname = %s AND %s = ANY(p.roles)",
            [POLICY_NAME, app_role()],
        )
        protected = {row[0] for row in cursor.fetchall()}
    tables = {table.table for table in centre_owned_tables()}
    assert not tables - protected, "centre-owned tables without a policy"
    # The history of pghistory and the access log are covered like the tables they record.
    assert {"people_person", "people_personevent", "schooling_intakeevent", "core_accesslogentry"} <= tables


def test_every_table_with_a_centre_key_is_covered_or_excluded_with_a_reason(db):
    labels = set()
    for model in apps.get_models():
        if any(field.is_relation and field.related_model is Centre for field in model._meta.concrete_fields):
            labels.add(model._meta.label)
    covered = {table.label for table in centre_owned_tables()}
    assert labels == covered | set(NOT_CENTRE_OWNED)
    assert set(NOT_CENTRE_OWNED) <= labels, "an exclusion names a model without a centre key"


def test_the_application_role_owns_no_table_and_cannot_bypass_the_policies(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = %s", [app_role()])
        assert cursor.fetchone() == (False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)",
            [app_role()],
        )
        assert cursor.fetchone()[0] == 0


def test_without_the_setting_the_application_role_sees_nothing(two_centres_persons):
    assert visible_person_names() >= {"Inside", "Outside"}  # the owner sees both
    with as_app_role():
        assert visible_person_names() == set()
        assert Person.unscoped_base.count() == 0
        assert PersonEvent.objects.count() == 0


def test_with_a_centres_setting_the_application_role_sees_only_that_centres_rows(two_centres_persons, centre):
    inside, outside = two_centres_persons
    with as_app_role(), centre_scope(centre.pk):
        assert visible_person_names() == {"Inside"}
        # Also where a query escapes the application's scoping (Django's base manager, related objects), and in
        # the history, which the application does not scope at all.
        assert list(Person.unscoped_base.all()) == [inside]
        assert Person.unscoped_base.filter(pk=outside.pk).exists() is False
        assert {event.centre_id for event in PersonEvent.objects.all()} == {centre.pk}
    with as_app_role():
        assert visible_person_names() == set()


def test_writing_a_row_for_another_centre_is_refused(two_centres_persons, centre, other_centre):
    inside, outside = two_centres_persons
    with as_app_role(), centre_scope(centre.pk):
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            PersonFactory(centre=other_centre, family_name="Planted")
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            Person.objects.for_centre(centre).filter(pk=inside.pk).update(centre=other_centre)
        # Another centre's row is not there to change or delete.
        assert Person.unscoped_base.filter(pk=outside.pk).update(family_name="Changed") == 0
        assert Person.unscoped_base.filter(pk=outside.pk).delete()[0] == 0
        PersonFactory(centre=centre, family_name="Allowed")
        assert visible_person_names() == {"Inside", "Allowed"}
    outside.refresh_from_db()
    assert outside.family_name == "Outside"
    assert not Person.objects.dangerously_unscoped().filter(family_name__in=["Planted", "Changed"]).exists()


def test_the_named_bypass_of_the_application_opens_the_database_for_its_own_statements_only(
    two_centres_persons, centre
):
    with as_app_role(), centre_scope(centre.pk):
        everyone = Person.objects.dangerously_unscoped()
        assert everyone.count() >= 2
        assert {person.family_name for person in everyone.iterator()} >= {"Inside", "Outside"}
        assert visible_person_names() == {"Inside"}


def test_the_aggregate_bypass_sees_every_centre_only_inside_its_block(two_centres_persons, centre):
    with as_app_role(), centre_scope(centre.pk):
        with dangerously_all_centres():
            assert visible_person_names() >= {"Inside", "Outside"}
        assert visible_person_names() == {"Inside"}


def test_a_centre_users_request_sees_its_centres_rows_and_resets_the_setting(
    two_centres_persons, centre, make_member, login
):
    client = login(make_member(Role.CENTRE_STAFF, centre=centre))
    with as_app_role():
        response = client.get("/personen/")
        assert response.status_code == 200
        assert "Inside" in response.text
        assert "Outside" not in response.text
        assert visible_person_names() == set()


def test_an_api_token_request_sees_its_centres_rows(two_centres_persons, centre, make_member):
    membership = make_member(Role.CENTRE_STAFF, centre=centre).memberships.get()
    _, secret = api_token_create(membership=membership, name="rls", expires_in_days=1)
    with as_app_role():
        response = Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 200
        assert [item["family_name"] for item in response.json()["items"]] == ["Inside"]
        assert visible_person_names() == set()


def test_a_state_users_request_leaves_no_centre_behind(two_centres_persons, make_member, login):
    client = login(make_member(Role.STATE_ANALYST))
    with as_app_role():
        client.get("/personen/")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting(%s, true), current_setting(%s, true)", [CENTRE_SETTING, SCOPE_SETTING]
            )
            assert cursor.fetchone() == ("", "")
        assert visible_person_names() == set()


def test_a_placement_job_works_in_its_runs_centre(centre, other_centre, make_member):
    staff = make_member(Role.CENTRE_STAFF, centre=centre)
    seats_at(school_in(centre, latitude=50.94, longitude=6.96), seats=5)
    children = [waiting_child(centre) for _ in range(2)]
    waiting_child(other_centre)
    with as_app_role():
        with centre_scope(centre.pk):
            run = placement.placement_run_start(centre=centre, by=staff, term=TERM)
        # The worker knows only the run's id: it starts without a centre.
        finished = placement_run_execute(run_id=run.pk)
        assert finished is not None
        assert finished.status == PlacementRunStatus.REVIEW
    assert sorted(Placement.objects.for_centre(centre).values_list("intake_id", flat=True)) == sorted(
        child.pk for child in children
    )
    assert not Placement.objects.for_centre(other_centre).exists()


def test_the_waiting_alert_job_writes_each_centres_row_in_that_centres_scope(
    settings, centre, other_centre, make_member
):
    settings.SCHOOLING_WAITING_ALERT_DAYS = 28
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for each in (centre, other_centre):
        make_member(Role.CENTRE_LEAD, centre=each)
        IntakeFactory(
            child=PersonFactory(centre=each),
            status=IntakeStatus.REGISTERED,
            registered_on=timezone.localdate() - datetime.timedelta(days=40),
        )
    with as_app_role():
        assert waiting_alert_send() == 2
    assert set(WaitingAlert.objects.dangerously_unscoped().values_list("centre_id", flat=True)) == {
        centre.pk,
        other_centre.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_migrate_works_on_a_server_where_the_role_does_not_exist_yet(settings):
    """A new server: the application's connection would switch to a role that only the first migration creates."""
    role = f"ankommen_app_new_{uuid.uuid4().hex[:8]}"
    options = connection.settings_dict["OPTIONS"]
    previous = options.get("assume_role")
    settings.DATABASE_APP_ROLE = role
    options["assume_role"] = role
    connection.close()
    try:
        with pytest.raises(DatabaseError, match="does not exist"), connection.cursor():
            pass  # the application cannot connect before `migrate` has made its role
        connection.close()
        call_command("migrate", verbosity=0, interactive=False)  # its system checks included
        with connection.cursor() as cursor:  # the application's next connection works as the new role
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (role,)
    finally:
        if previous is None:
            options.pop("assume_role", None)
        else:
            options["assume_role"] = previous
        connection.close()
        with connection.cursor() as cursor, dangerously_as_table_owner():
            cursor.execute(f"DROP OWNED BY {connection.ops.quote_name(role)}")
            cursor.execute(f"DROP ROLE IF EXISTS {connection.ops.quote_name(role)}")


def test_the_policies_read_the_settings_once_per_statement(two_centres_persons, centre):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT qual FROM pg_policies WHERE tablename = 'people_person' AND policyname = %s", [POLICY_NAME]
        )
        (condition,) = cursor.fetchone()
    assert "( SELECT current_setting('ankommen.scope'" in condition
    assert "( SELECT (NULLIF(current_setting('ankommen.centre_id'" in condition
    with as_app_role(), centre_scope(centre.pk), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM people_person")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert visible_person_names() == {"Inside"}  # the same rows as before
    assert "InitPlan" in plan  # each setting read once for the statement, not for every row


@pytest.mark.django_db(transaction=True)
def test_two_databases_that_migrate_at_once_on_a_new_server_both_get_the_role(settings):
    """Roles belong to the server: `make test`'s two test databases create it at the same moment on a new server."""
    role = f"ankommen_app_race_{uuid.uuid4().hex[:8]}"
    settings.DATABASE_APP_ROLE = role
    first = psycopg.connect(**connection.get_connection_params())  # the owner, no role assumed
    failures: list[BaseException] = []

    def second_database_migrates() -> None:
        try:
            with dangerously_as_table_owner():
                create_app_role(connections["default"])
        except BaseException as failure:
            failures.append(failure)
        finally:
            connections.close_all()

    try:
        first.execute(f'CREATE ROLE "{role}" NOLOGIN')  # not committed yet
        (xid,) = first.execute("SELECT txid_current()::text").fetchone()
        second = threading.Thread(target=second_database_migrates)
        second.start()
        deadline = time.monotonic() + 60
        while not first.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted"
            " AND transactionid::text = %s",
            [xid],
        ).fetchone()[0]:
            assert time.monotonic() < deadline, "the second CREATE ROLE never waited for the first"
            time.sleep(0.05)
        first.commit()  # the second now loses the race on the catalogue's unique index
        second.join(60)
        assert not second.is_alive()
        assert failures == []
    finally:
        first.rollback()
        first.autocommit = True
        first.execute(f'DROP ROLE IF EXISTS "{role}"')
        first.close()
