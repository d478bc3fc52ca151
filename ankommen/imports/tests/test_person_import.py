"""Importing persons: the preview with errors per row in the user's language, all or nothing, idempotent,
a real worker, and nobody else's import."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from ankommen.accounts.models import Role
from ankommen.imports import services
from ankommen.imports.engine import BATCH_SIZE, RowOutcome
from ankommen.imports.models import ImportKind, ImportRun, ImportStatus
from ankommen.people.models import Person
from ankommen.people.tests.factories import PersonFactory, PostcodeFactory
from tests.rls import as_app_role

HEADER_DE = "Vornamen;Familienname;Geburtsdatum;Geschlecht;Staatsangehörigkeiten;Sprachen;Postleitzahl;Ort"
VALID_ROWS = [
    "Olena;Kovalenko;01.05.1990;weiblich;UA;uk, ru;50667;Köln",
    "Ahmad;Rahimi;2012-03-14;male;AF;prs;50667;Köln",
    "Mariam;Haddad;;;SY;ar;;",
]


def _csv(*rows: str, header: str = HEADER_DE) -> bytes:
    return ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


@pytest.fixture(autouse=True)
def _postcode(db):
    PostcodeFactory(code="50667")


def _checked(centre, by, content: bytes, language: str = "de") -> ImportRun:
    run = services.import_upload(centre=centre, by=by, kind=ImportKind.PERSONS, content=content, language=language)
    checked = services.import_check(run_id=str(run.pk))
    assert checked is not None
    return checked


def _committed(run: ImportRun) -> ImportRun:
    services.import_commit_request(run=run, by=run.created_by)
    committed = services.import_commit(run_id=str(run.pk))
    assert committed is not None
    return committed


def test_the_preview_counts_new_rows_and_writes_nothing(centre, staff):
    run = _checked(centre, staff, _csv(*VALID_ROWS))

    assert run.errors == []
    assert (run.status, run.rows_total, run.rows_new, run.rows_changed, run.rows_unchanged) == (
        ImportStatus.READY,
        3,
        3,
        0,
        0,
    )
    assert run.errors == []
    assert not Person.objects.for_centre(centre).exists()
    assert run.content_encrypted is not None  # kept until the commit
    assert b"Kovalenko" not in bytes(run.content_encrypted)  # but not readable at rest


def test_a_commit_writes_every_row_with_the_rules_of_the_person_form(centre, staff):
    run = _committed(_checked(centre, staff, _csv(*VALID_ROWS)))

    assert run.status == ImportStatus.COMMITTED
    assert run.content_encrypted is None  # the personal data of the file is gone
    olena = Person.objects.for_centre(centre).get(family_name="Kovalenko")
    assert olena.birth_date == datetime.date(1990, 5, 1)
    assert (olena.gender, olena.nationalities, olena.languages, olena.postcode) == (
        "female",
        ["UA"],
        ["uk", "ru"],
        "50667",
    )
    assert "kovalenko" in olena.search_text
    assert olena.events.count() == 1  # history written by the same triggers as a single create
    assert olena.events.get().pgh_context.metadata["user"] == staff.pk
    assert Person.objects.for_centre(centre).count() == 3


def test_importing_the_same_file_again_changes_nothing_and_the_preview_says_so(centre, staff):
    _committed(_checked(centre, staff, _csv(*VALID_ROWS)))
    before = list(Person.objects.for_centre(centre).values_list("id", "updated_at").order_by("id"))

    again = _checked(centre, staff, _csv(*VALID_ROWS))
    assert (again.rows_new, again.rows_changed, again.rows_unchanged) == (0, 0, 3)
    assert not again.changes_something
    _committed(again)

    assert list(Person.objects.for_centre(centre).values_list("id", "updated_at").order_by("id")) == before


def test_a_row_of_a_known_person_with_other_values_changes_only_that_person(centre, staff):
    known = PersonFactory(
        centre=centre, given_names="Olena", family_name="Kovalenko", birth_date=datetime.date(1990, 5, 1)
    )
    other_centres_twin = PersonFactory(
        given_names="Olena", family_name="Kovalenko", birth_date=datetime.date(1990, 5, 1)
    )

    run = _committed(_checked(centre, staff, _csv(VALID_ROWS[0])))

    assert (run.rows_new, run.rows_changed) == (0, 1)
    known.refresh_from_db()
    assert (known.place, known.nationalities) == ("Köln", ["UA"])
    other_centres_twin.refresh_from_db()
    assert other_centres_twin.place == ""


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            [
                (3, "Geburtsdatum", "Bitte ein gültiges Datum eingeben."),
                (4, "Familienname", "Dieses Feld ist zwingend erforderlich."),
                (5, "Postleitzahl", "Diese Postleitzahl gibt es nicht."),
            ],
        ),
        (
            "en",
            [
                (3, "Date of birth", "Enter a valid date."),
                (4, "Family name", "This field is required."),
                (5, "Postcode", "This postcode does not exist."),
            ],
        ),
    ],
)
def test_the_preview_names_each_error_by_row_and_column_in_the_users_language(login, staff, centre, language, expected):
    client = login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = _csv(VALID_ROWS[0], "Ahmad;Rahimi;31.02.2012;;;;;", "Mariam;;;;;;;", "Omar;Haddad;;;;;99999;")
    response = client.post(
        reverse("imports:import_list"),
        {"kind": ImportKind.PERSONS, "file": SimpleUploadedFile("liste.csv", content, content_type="text/csv")},
    )
    run = ImportRun.objects.for_centre(centre).get()
    assert response["Location"] == reverse("imports:import_detail", kwargs={"run_id": run.pk})

    services.import_check(run_id=str(run.pk))

    run.refresh_from_db()
    assert run.status == ImportStatus.INVALID
    assert [(e["row"], e["column"], e["message"]) for e in run.errors] == expected
    assert run.content_encrypted is None  # a faulty file is not kept
    page = client.get(reverse("imports:import_detail", kwargs={"run_id": run.pk})).content.decode()
    for _row, _column, message in expected:
        assert message in page
    assert reverse("imports:import_commit", kwargs={"run_id": run.pk}) not in page
    assert not Person.objects.for_centre(centre).exists()


def test_a_bad_row_in_a_commit_leaves_nothing_also_after_full_batches(centre, staff):
    rows = [f"Name{number};Family{number};;;;;;" for number in range(BATCH_SIZE + 10)]
    run = _checked(centre, staff, _csv(*rows))
    assert run.status == ImportStatus.READY
    # Between the check and the commit the file turns out to hold a bad last row (a worker reads the stored
    # file again; here it is swapped to make the case): the batches written before it must be rolled back.
    from ankommen.core.crypto import encrypt_bytes

    ImportRun.objects.for_centre(centre).filter(pk=run.pk).update(
        content_encrypted=encrypt_bytes(_csv(*rows, "Late;Row;32.13.2000;;;;;"))
    )

    committed = _committed(run)

    assert committed.status == ImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in committed.errors] == [(BATCH_SIZE + 12, "Geburtsdatum")]
    assert not Person.objects.for_centre(centre).exists()
    assert committed.content_encrypted is None


def test_the_same_person_twice_in_a_file_is_an_error(centre, staff):
    run = _checked(centre, staff, _csv(VALID_ROWS[0], VALID_ROWS[1], "olena ; KOVALENKO;1990-05-01;;;;;"))

    assert run.status == ImportStatus.INVALID
    assert [e["row"] for e in run.errors] == [4]


def test_header_errors_are_reported_once_for_the_file(centre, staff):
    run = _checked(centre, staff, _csv("Olena;x", header="Vornamen;Lieblingsfarbe"))

    assert [(e["row"], e["column"]) for e in run.errors] == [(1, "Lieblingsfarbe"), (1, "Familienname")]


def test_an_xlsx_workbook_with_english_titles_and_real_dates_imports(centre, staff):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Given names", "Family name", "Date of birth", "Postcode"])
    # Excel stores dates as naive date-times.
    sheet.append(["Yonas", "Tesfay", datetime.datetime(2011, 9, 1), 50667])  # noqa: DTZ001
    buffer = io.BytesIO()
    workbook.save(buffer)

    run = _committed(_checked(centre, staff, buffer.getvalue()))

    assert run.status == ImportStatus.COMMITTED
    person = Person.objects.for_centre(centre).get()
    assert (person.birth_date, person.postcode) == (datetime.date(2011, 9, 1), "50667")


def test_an_unreadable_file_is_refused_with_a_message(centre, staff):
    run = _checked(centre, staff, b"PK\x03\x04 not really a workbook")

    assert run.status == ImportStatus.INVALID
    assert run.errors[0]["row"] == 0


def test_an_unwritten_upload_is_deleted_after_a_day(centre, staff):
    run = _checked(centre, staff, _csv(*VALID_ROWS))

    with as_app_role():  # as a fresh worker runs the job: the application role, no centre
        assert services.imports_expire(now=run.created_at + datetime.timedelta(hours=services.UPLOAD_HOURS - 1)) == 0
        assert services.imports_expire(now=run.created_at + datetime.timedelta(hours=services.UPLOAD_HOURS + 1)) == 1

    run.refresh_from_db()
    assert (run.status, run.content_encrypted) == (ImportStatus.EXPIRED, None)
    with translation.override("de"), pytest.raises(ValidationError, match=r"kann nicht \(mehr\) gestartet werden"):
        services.import_commit_request(run=run, by=staff)


def test_an_import_is_nobody_elses(login, make_member, centre, other_centre, staff):
    run = _checked(centre, staff, _csv(*VALID_ROWS))
    colleague = make_member(Role.CENTRE_LEAD, centre=centre)
    stranger = make_member(Role.CENTRE_LEAD, centre=other_centre)

    for user in (colleague, stranger):
        client = login(user)
        for name in ("import_detail", "import_progress"):
            assert client.get(reverse(f"imports:{name}", kwargs={"run_id": run.pk})).status_code == 404
        assert client.post(reverse("imports:import_commit", kwargs={"run_id": run.pk})).status_code == 404
        assert str(run.pk) not in client.get(reverse("imports:import_list")).content.decode()

    run.refresh_from_db()
    assert run.status == ImportStatus.READY
    assert not Person.objects.for_centre(centre).exists()


def test_a_teacher_cannot_import(login, make_member, centre):
    teacher = make_member(Role.CENTRE_TEACHER, centre=centre)

    response = login(teacher).post(
        reverse("imports:import_list"),
        {"kind": ImportKind.PERSONS, "file": SimpleUploadedFile("liste.csv", _csv(*VALID_ROWS))},
    )

    assert response.status_code == 403
    assert not ImportRun.objects.for_centre(centre).exists()


@pytest.mark.django_db(transaction=True)
def test_upload_check_and_commit_run_in_a_real_worker(login, staff, centre):
    client = login(staff)
    client.post(
        reverse("imports:import_list"),
        {"kind": ImportKind.PERSONS, "file": SimpleUploadedFile("liste.csv", _csv(*VALID_ROWS))},
    )
    run = ImportRun.objects.for_centre(centre).get()
    detail = reverse("imports:import_detail", kwargs={"run_id": run.pk})
    assert 'hx-trigger="every 2s"' in client.get(detail).content.decode()

    def work() -> None:
        # The same worker as `manage.py procrastinate worker`: its own psycopg connection, not Django's.
        with app.replace_connector(app.connector.get_worker_connector()) as worker_app:  # type: ignore[attr-defined]
            worker_app.run_worker(queues=["imports"], wait=False, install_signal_handlers=False, listen_notify=False)

    work()
    progress = client.get(reverse("imports:import_progress", kwargs={"run_id": run.pk}), headers={"HX-Request": "true"})
    assert progress["HX-Refresh"] == "true"
    page = client.get(detail).content.decode()
    assert "every 2s" not in page
    response = client.post(reverse("imports:import_commit", kwargs={"run_id": run.pk}))
    assert response["Location"] == detail
    assert not Person.objects.for_centre(centre).exists()  # the commit is the job's
    work()

    jobs = ProcrastinateJob.objects.filter(task_name__startswith="imports.", args={"run_id": str(run.pk)})
    assert sorted((job.task_name, job.status) for job in jobs) == [
        ("imports.check", "succeeded"),
        ("imports.commit", "succeeded"),
    ]
    run.refresh_from_db()
    assert run.status == ImportStatus.COMMITTED
    assert Person.objects.for_centre(centre).count() == 3


BAD_CELLS = [
    {},
    {"given_names": ""},
    {"given_names": "x" * 201},
    {"family_name": "x" * 200},
    {"family_name": "Null\x00Zeichen"},
    {"given_names_latin": "y" * 201, "family_name_latin": "Kovalenko"},
    {"birth_date": "31.02.2012"},
    {"birth_date": "2012-13-01"},
    {"birth_date": "2012-1-5"},
    {"birth_date": "0000-01-01"},
    {"birth_date": "12/24/2010"},
    {"birth_date": "2999-01-01"},
    {"birth_date": "2010-05-01", "arrived_in_germany": "01.01.2009", "arrived_in_district": "2008-12-31"},
    {"gender": "alien"},
    {"gender": "Weiblich", "residence_status": "Duldung"},
    {"nationalities": "UA XX", "languages": "uk xx1"},
    {"postcode": "1234"},
    {"postcode": "99999"},
    {"email": "olena@"},
    {"email": "olena@example.org", "phone": "x" * 41},
    {"street": "s" * 161, "place": "p" * 121},
]


@pytest.mark.parametrize("cells", BAD_CELLS)
@pytest.mark.parametrize("language", ["de", "en"])
def test_a_row_gets_the_values_and_errors_of_the_person_forms_own_fields_and_person_clean(
    centre, staff, cells, language
):
    """The import's quick checks against the person form's fields and Person.clean() on a model instance."""
    from ankommen.imports.persons import PERSON_IMPORT_FIELDS, PersonImporter
    from ankommen.people import services as people_services

    row = {
        "given_names": "Olena",
        "family_name": "Kovalenko",
        "given_names_latin": "",
        "family_name_latin": "",
        "birth_date": "01.05.1990",
        "gender": "female",
        "nationalities": "UA",
        "languages": "uk, ru",
        "arrived_in_germany": "2022-03-01",
        "arrived_in_district": "",
        "residence_status": "temporary_protection",
        "street": "Hauptstraße 1",
        "postcode": "50667",
        "place": "Köln",
        "phone": "0221 123",
        "email": "",
        **cells,
    }
    with translation.override(language):
        importer = PersonImporter(centre=centre, by=staff)
        importer.begin(list(PERSON_IMPORT_FIELDS))
        checked = importer.check(row)

        expected_errors: dict[str, list[str]] = {}
        cleaned = {}
        for name, raw in row.items():
            try:
                cleaned[name] = importer.fields[name].clean(importer._prepared(name, raw))
            except ValidationError as error:
                expected_errors[name] = list(error.messages)
        if not expected_errors:
            person = Person(centre=centre)
            for name, value in people_services.person_values(cleaned).items():
                setattr(person, name, value)
            try:
                person.clean()
            except ValidationError as error:
                expected_errors = {name: list(messages) for name, messages in error.message_dict.items()}

    if expected_errors:
        assert checked == expected_errors
    else:
        outcome, values = checked
        assert outcome is RowOutcome.NEW
        assert {name: values[name] for name in PERSON_IMPORT_FIELDS} == {
            name: getattr(person, name) for name in PERSON_IMPORT_FIELDS
        }
