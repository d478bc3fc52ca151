"""A database connection killed in the middle of a request: 503, nothing half-written, the next request fine.

Real processes: gunicorn serves the request with its own persistent connection; the test holds a lock that the
request's multi-step write runs into after it has written its first rows, then terminates that request's backend
with `pg_terminate_backend` from a second connection, as an administrator or a failover would.
"""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.people.models import Consent, Family, GuardianRelation, LegalBasis, Person
from ankommen.people.tests.factories import PostcodeFactory
from ankommen.regions.tests.factories import MunicipalityFactory
from ankommen.schooling.models import Intake
from tests.faults import processes

pytestmark = pytest.mark.django_db(transaction=True)

PERSONAL_VALUES = ["Kovalenko", "Olena", "Iryna", "Beispielweg", "Shevchenko", "Taras"]


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    # One gunicorn for the module (it starts in seconds, not milliseconds); each test makes its own user and rows.
    with processes.gunicorn(log=tmp_path_factory.mktemp("gunicorn") / "gunicorn.log") as running:
        yield running


@pytest.fixture
def area(centre):
    PostcodeFactory(code="53111", latitude=50.73, longitude=7.10)
    return MunicipalityFactory(centre=centre, name="Bonn", latitude=50.74, longitude=7.09)


def _intake_post(csrf_token):
    return {
        "csrfmiddlewaretoken": csrf_token,
        "child_given_names": "Olena",
        "child_family_name": "Kovalenko",
        "child_birth_date": "2015-03-01",
        "child_gender": "female",
        "child_languages": ["uk"],
        "child_arrived_in_germany": "2026-09-01",
        "street": "Beispielweg 3",
        "postcode": "53111",
        "place": "Bonn",
        "guardian1_given_names": "Iryna",
        "guardian1_family_name": "Kovalenko",
        "guardian1_kind": "mother",
        "years_of_schooling": "4",
        "last_grade": "4",
        "schooling_country": "UA",
        "literate_in_latin_script": "no",
        "registered_on": timezone.localdate().isoformat(),
        "legal_basis": LegalBasis.PUBLIC_TASK,
    }


def _written_rows():
    return {
        "families": Family.objects.dangerously_unscoped().count(),
        "persons": Person.objects.dangerously_unscoped().count(),
        "guardian relations": GuardianRelation.objects.dangerously_unscoped().count(),
        "consents": Consent.objects.dangerously_unscoped().count(),
        "intakes": Intake.objects.dangerously_unscoped().count(),
        "person history": Person.pgh_event_model.objects.count(),
    }


def _browser(server, login, user, language="de"):
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, login(user).cookies[settings.SESSION_COOKIE_NAME].value)
    session.cookies.set(settings.LANGUAGE_COOKIE_NAME, language)
    form = session.get(f"{server.url}/schule/anmeldungen/neu/", timeout=30)
    assert form.status_code == 200, form.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return session, token


def _killed_mid_write(server, send, *, lock_table, written_before_lock):
    """Send a request whose write runs into the test's lock on `lock_table`, then terminate its backend."""
    with processes.connect(autocommit=False) as locker, processes.connect() as watcher, ThreadPoolExecutor(1) as pool:
        locker.execute(f'LOCK TABLE "{lock_table}" IN ACCESS EXCLUSIVE MODE')
        pending = pool.submit(send)
        backend = processes.backend_waiting_for_a_lock(watcher)
        # The request is really half-way: its transaction has already written these tables.
        assert written_before_lock <= processes.tables_written_by(watcher, backend)
        processes.terminate_backend(watcher, backend)
        locker.rollback()
        return pending.result(timeout=60)


@pytest.mark.parametrize(
    ("language", "heading", "not_saved"),
    [
        ("de", "Vorübergehend nicht verfügbar", "wurde nicht gespeichert"),
        ("en", "Temporarily unavailable", "was not saved"),
    ],
)
def test_a_killed_connection_mid_registration_answers_503_saves_nothing_and_the_next_request_works(
    server, login, make_member, centre, area, language, heading, not_saved
):
    staff = make_member(Role.CENTRE_STAFF, centre=centre)
    session, token = _browser(server, login, staff, language)
    before = _written_rows()
    workers = server.worker_pids()

    response = _killed_mid_write(
        server,
        lambda: session.post(f"{server.url}/schule/anmeldungen/neu/", data=_intake_post(token), timeout=60),
        # intake_register writes family, child, guardian, relation and consent, then looks for an open intake.
        lock_table="schooling_intake",
        written_before_lock={"people_family", "people_person", "people_guardianrelation", "people_consent"},
    )

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "kern-alert" in response.text
    assert heading in response.text
    assert not_saved in response.text
    assert _written_rows() == before

    again = session.post(
        f"{server.url}/schule/anmeldungen/neu/", data=_intake_post(token), timeout=60, allow_redirects=False
    )
    assert again.status_code == 302
    intake = Intake.objects.for_centre(centre).get()
    assert again.headers["Location"] == f"/schule/anmeldungen/{intake.pk}/"
    assert server.worker_pids() == workers  # the same web process, no restart

    log = server.log_text()
    assert "database unavailable, answered 503: POST /schule/anmeldungen/neu/" in log
    assert "LINE 1:" not in log  # PostgreSQL's quote of the statement stays out of the log
    for value in PERSONAL_VALUES:
        assert value not in log


def test_a_killed_connection_mid_api_write_answers_json_503_saves_nothing_and_the_next_request_works(
    server, make_member, centre
):
    staff = make_member(Role.CENTRE_STAFF, centre=centre)
    _token, secret = api_token_create(membership=staff.memberships.get(), name="Skript", expires_in_days=30)
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {secret}"
    person = {"given_names": "Taras", "family_name": "Shevchenko", "birth_date": "1990-03-09"}
    workers = server.worker_pids()

    response = _killed_mid_write(
        server,
        lambda: api.post(f"{server.url}/api/v1/people/", json=person, timeout=60),
        # The person's row is written, its history row (written by a trigger in the same statement) waits.
        lock_table="people_personevent",
        written_before_lock={"people_person"},
    )

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["errors"] == {}
    assert "gespeichert" in body["detail"]
    assert not Person.objects.dangerously_unscoped().exists()

    again = api.post(f"{server.url}/api/v1/people/", json=person, timeout=60)
    assert again.status_code == 201
    assert Person.objects.for_centre(centre).get().family_name == "Shevchenko"
    assert server.worker_pids() == workers
    log = server.log_text()
    assert "database unavailable, answered 503: POST /api/v1/people/" in log
    assert "LINE 1:" not in log
    for value in PERSONAL_VALUES:
        assert value not in log
