"""Two submits of one creation at the same moment create one record (docs/concurrency.md).

No timing: a connection of the test holds the advisory lock that numbers a centre's families. Both requests run in
threads of their own, each with its own database connection. The test waits until PostgreSQL shows one request
waiting on that lock (inside its transaction, after its key row) and the other waiting on the first one's key row
(its insert blocks on the unique index). Only then does it let go. Every wait has a generous limit, so that a loaded
machine makes the test slower, never wrong, and a broken mechanism fails it instead of hanging it.
"""

# mypy: disable-error-code="attr-defined"

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from ankommen.accounts.models import Role
from ankommen.core.concurrency import KEY_FIELD
from ankommen.core.models import IdempotencyKey
from ankommen.core.tests.form_fields import form_with
from ankommen.people.models import Family
from ankommen.people.services import FAMILY_REFERENCE_LOCK

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT_SECONDS = 180

WAITING = """
    SELECT l.locktype FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE NOT l.granted AND a.datname = current_database() AND a.pid <> pg_backend_pid()
"""


def _waiting_lock_types() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(WAITING)
        return sorted(row[0] for row in cursor.fetchall())


def _both_at_once(centre: Any, send: Callable[[], Any]) -> list[Any]:
    """Run `send` in two threads while the family numbering is locked; let go once both wait where they must."""
    answers: list[Any] = []
    failures: list[BaseException] = []

    def run() -> None:
        from django.db import connection as own_connection

        try:
            answers.append(send())
        except BaseException as error:
            failures.append(error)
        finally:
            own_connection.close()

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [FAMILY_REFERENCE_LOCK, centre.pk])
    threads = [threading.Thread(target=run, daemon=True) for _ in range(2)]
    seen: list[str] = []
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + LIMIT_SECONDS
        while time.monotonic() < deadline:
            seen = _waiting_lock_types()
            if seen.count("advisory") == 1 and "transactionid" in seen:
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"the two requests did not both reach their waits within {LIMIT_SECONDS}s: {seen}")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [FAMILY_REFERENCE_LOCK, centre.pk])
        for thread in threads:
            thread.join(LIMIT_SECONDS)
    assert not failures, failures
    assert len(answers) == 2, "a request did not finish in time"
    return answers


def test_a_form_submitted_twice_at_once_creates_one_family(login, make_member, centre):
    user = make_member(Role.CENTRE_STAFF, centre=centre)
    clients = [login(user), login(user)]
    form = form_with(clients[0].get(reverse("people:family_create")).text, KEY_FIELD)
    data = {**form, "place": "Köln"}
    turn = iter(clients)
    lock = threading.Lock()

    def send() -> Any:
        with lock:
            client = next(turn)
        return client.post(reverse("people:family_create"), data)

    first, second = _both_at_once(centre, send)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Family.objects.for_centre(centre).count() == 1
    assert IdempotencyKey.objects.filter(user=user, key=form[KEY_FIELD]).count() == 1


def test_an_api_post_sent_twice_at_once_creates_one_family(login, make_member, centre):
    user = make_member(Role.CENTRE_STAFF, centre=centre)
    clients = [login(user), login(user)]
    turn = iter(clients)
    lock = threading.Lock()

    def send() -> Any:
        with lock:
            client = next(turn)
        return client.post(
            "/api/v1/people/families/",
            {"place": "Köln"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="at-once-1",
        )

    first, second = _both_at_once(centre, send)

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert sorted(answer.get("Idempotent-Replayed", "") for answer in (first, second)) == ["", "true"]
    assert Family.objects.for_centre(centre).count() == 1
