"""The imports API: upload (multipart) → 202, the run with progress, counts and errors per row in the caller's
language, commit, one's own runs only, Idempotency-Key on both POSTs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.imports import services
from ankommen.imports.models import ImportKind, ImportRun, ImportStatus
from ankommen.imports.tests.test_person_import import VALID_ROWS, _csv
from ankommen.people.models import Person
from ankommen.people.tests.factories import PostcodeFactory

IMPORTS = "/api/v1/imports/"


@pytest.fixture(autouse=True)
def _postcode(db):
    PostcodeFactory(code="50667")


def _bearer(user) -> dict[str, str]:
    _token, secret = api_token_create(membership=user.memberships.get(), name="import", expires_in_days=1)
    return {"Authorization": f"Bearer {secret}"}


def _upload(headers: dict[str, str], content: bytes, kind: str = ImportKind.PERSONS) -> object:
    upload = SimpleUploadedFile("liste.csv", content, content_type="text/csv")
    return Client().post(IMPORTS, {"kind": kind, "file": upload}, headers=headers)


def test_an_upload_answers_202_and_the_run_shows_the_preview_then_the_commit(centre, staff):
    headers = _bearer(staff)

    response = _upload(headers, _csv(*VALID_ROWS))

    assert response.status_code == 202
    uploaded = response.json()
    assert (uploaded["kind"], uploaded["status"], uploaded["rows_done"]) == ("persons", "queued", 0)
    run_url = f"{IMPORTS}{uploaded['id']}"
    services.import_check(run_id=uploaded["id"])  # the job's work
    checked = Client().get(run_url, headers=headers).json()
    assert (checked["status"], checked["rows_done"], checked["rows_total"], checked["rows_new"]) == ("ready", 3, 3, 3)
    assert not Person.objects.for_centre(centre).exists()

    commit = Client().post(f"{run_url}/commit", headers=headers)

    assert (commit.status_code, commit.json()["status"]) == (202, "commit_queued")
    services.import_commit(run_id=uploaded["id"])
    assert Client().get(run_url, headers=headers).json()["status"] == "committed"
    assert Person.objects.for_centre(centre).count() == 3


@pytest.mark.parametrize(
    ("accept_language", "message"),
    [("en", "Enter a valid date."), ("de", "Bitte ein gültiges Datum eingeben."), (None, "Enter a valid date.")],
)
def test_errors_per_row_come_in_the_callers_language(centre, staff, accept_language, message):
    staff.preferred_language = "en"  # the token user's language, unless the request names one
    staff.save(update_fields=["preferred_language"])
    headers = _bearer(staff)
    if accept_language:
        headers["Accept-Language"] = accept_language
    response = _upload(headers, _csv(VALID_ROWS[0], "Ahmad;Rahimi;31.02.2012;;;;;"))
    services.import_check(run_id=response.json()["id"])

    run = Client().get(f"{IMPORTS}{response.json()['id']}", headers=headers).json()

    assert run["status"] == "invalid"
    assert [(e["row"], e["message"]) for e in run["errors"]] == [(3, message)]
    commit = Client().post(f"{IMPORTS}{run['id']}/commit", headers=headers)
    assert commit.status_code == 400
    assert not Person.objects.for_centre(centre).exists()


def test_the_same_idempotency_key_uploads_once_and_replays_the_answer(centre, staff):
    headers = {**_bearer(staff), "Idempotency-Key": "upload-1"}

    first = _upload(headers, _csv(*VALID_ROWS))
    second = _upload(headers, _csv(*VALID_ROWS))

    assert (first.status_code, second.status_code) == (202, 202)
    assert second.json()["id"] == first.json()["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert ImportRun.objects.for_centre(centre).count() == 1


def test_an_import_is_nobody_elses_in_the_api(centre, other_centre, staff, make_member):
    upload = _upload(_bearer(staff), _csv(*VALID_ROWS)).json()
    services.import_check(run_id=upload["id"])
    colleague = make_member(Role.CENTRE_LEAD, centre=centre)
    stranger = make_member(Role.CENTRE_STAFF, centre=other_centre)

    for user in (colleague, stranger):
        headers = _bearer(user)
        assert Client().get(f"{IMPORTS}{upload['id']}", headers=headers).status_code == 404
        assert Client().post(f"{IMPORTS}{upload['id']}/commit", headers=headers).status_code == 404
        assert Client().get(IMPORTS, headers=headers).json() == []

    assert [run["id"] for run in Client().get(IMPORTS, headers=_bearer(staff)).json()] == [upload["id"]]
    assert ImportRun.objects.for_centre(centre).get().status == ImportStatus.READY
    assert not Person.objects.for_centre(centre).exists()


def test_a_teacher_cannot_upload_through_the_api(centre, make_member):
    teacher = make_member(Role.CENTRE_TEACHER, centre=centre)

    response = _upload(_bearer(teacher), _csv(*VALID_ROWS))

    assert response.status_code == 403
    assert "detail" in response.json()
    assert not ImportRun.objects.for_centre(centre).exists()


def test_an_upload_without_a_file_is_refused_in_the_one_error_format(centre, staff):
    response = Client().post(IMPORTS, {"kind": "persons"}, content_type="application/json", headers=_bearer(staff))

    assert response.status_code == 422
    assert "file" in str(response.json()["errors"])
    assert not ImportRun.objects.for_centre(centre).exists()


def test_a_volunteer_file_is_accepted_as_its_own_kind(centre, staff):
    response = _upload(_bearer(staff), b"Name;E-Mail-Adresse\r\n", kind=ImportKind.VOLUNTEERS)

    assert response.status_code == 202
    assert ImportRun.objects.for_centre(centre).get().kind == ImportKind.VOLUNTEERS
