"""Schemathesis over every operation of the OpenAPI at /api/v1/, in-process through the WSGI app.

Every case runs as the lead of a centre with the demo data planted (see conftest.py), so that list and
detail operations return real rows. Valid and invalid requests (both generation modes) must give no server
error, a documented status code and content type, and a body that matches the documented schema.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ankommen.accounts.services import api_token_create
from ankommen.api.api import api

from .conftest import Planted

EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

APP = WSGIHandler()
# The schema as /api/v1/openapi.json serves it, built without a request: pytest collects this module where no test
# may touch the database, and a request passes the middleware, which sets the database's centre (docs/rls.md).
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder)))
schema.app = APP
# The coverage phase generates every boundary case of every parameter, hundreds per operation: too slow for
# each test run. Examples and random fuzzing, valid and invalid, with a fixed seed.
schema.config.phases.update(phases=["examples", "fuzzing"])
cases: Counter[str] = Counter()


@pytest.fixture(scope="package")
def bearer(planted: Planted, django_db_blocker) -> dict[str, str]:
    with django_db_blocker.unblock():
        _, secret = api_token_create(membership=planted.membership, name="schemathesis", expires_in_days=1)
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def one_connection() -> Iterator[None]:
    """Requests share the test's connection and transaction, as with Django's test client."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_gives_no_server_error_and_matches_its_schema(case, bearer, db, one_connection):
    cases[f"{case.operation.method.upper()} {case.operation.path}"] += 1
    case.call_and_validate(headers=bearer, checks=CHECKS)


def test_the_fuzzing_covers_every_operation_with_at_least_1000_cases():
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) * EXAMPLES_PER_OPERATION >= 1000
    if cases:  # run after the operations in the same process: what was measured
        print(f"schemathesis: {sum(cases.values())} cases over {len(cases)} of {len(operations)} operations")


def test_the_fuzzed_schema_is_the_one_the_api_serves(client, db):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json() == schema.raw_schema
