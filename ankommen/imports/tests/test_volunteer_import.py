"""Importing KOMM-AN volunteers: the profile form's rules, errors per row in the user's language, all or nothing,
idempotent by e-mail address, and nothing of another centre."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Membership, Role, User
from ankommen.core.crypto import encrypt_bytes
from ankommen.imports import services
from ankommen.imports.models import ImportKind, ImportRun, ImportStatus
from ankommen.volunteering.models import Volunteer, VolunteerStatus
from ankommen.volunteering.tests.factories import postcode_of, volunteer_in

HEADER_DE = (
    "Name;E-Mail-Adresse;Telefonnummer;Postleitzahl;Umkreis (km);Tätigkeiten;Sprache 1;Niveau in Sprache 1;"
    "Sprache 2;Niveau in Sprache 2;Montag;Mittwoch;Einwilligung erteilt am"
)
VALID_ROWS = [
    "Amina Haddad;Amina.Haddad@ehrenamt.example;0221 123;50667;10;Hausaufgabenhilfe, interpreting;ar;Erstsprache;"
    "Deutsch;B2;vormittags abends;;02.01.2026",
    "Yusuf Demir;yusuf.demir@ehrenamt.example;;50667;25;leisure;tr;native;;;;afternoon;2026-01-05",
]
# Monday is bit 0 (morning) to 2 (evening), Wednesday bits 6 to 8.
AMINA_AVAILABILITY = 0b101
YUSUF_AVAILABILITY = 1 << 7


def _csv(*rows: str, header: str = HEADER_DE) -> bytes:
    return ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


@pytest.fixture(autouse=True)
def _postcode(centre):
    postcode_of(centre, "50667")


def _checked(centre, by, content: bytes, language: str = "de") -> ImportRun:
    run = services.import_upload(centre=centre, by=by, kind=ImportKind.VOLUNTEERS, content=content, language=language)
    checked = services.import_check(run_id=str(run.pk))
    assert checked is not None
    return checked


def _committed(run: ImportRun) -> ImportRun:
    services.import_commit_request(run=run, by=run.created_by)
    committed = services.import_commit(run_id=str(run.pk))
    assert committed is not None
    return committed


def test_the_preview_counts_new_volunteers_and_writes_nothing(centre, staff):
    run = _checked(centre, staff, _csv(*VALID_ROWS))

    assert run.errors == []
    assert (run.status, run.rows_total, run.rows_new, run.rows_changed, run.rows_unchanged) == (
        ImportStatus.READY,
        2,
        2,
        0,
        0,
    )
    assert not Volunteer.objects.for_centre(centre).exists()
    assert not User.objects.filter(email__iendswith="@ehrenamt.example").exists()


def test_a_commit_creates_volunteers_with_the_profile_forms_rules_waiting_for_verification(centre, staff):
    run = _committed(_checked(centre, staff, _csv(*VALID_ROWS)))

    assert run.status == ImportStatus.COMMITTED
    amina = Volunteer.objects.for_centre(centre).select_related("user").get(user__email="amina.haddad@ehrenamt.example")
    assert (amina.user.display_name, amina.phone, amina.postcode, amina.radius_km, amina.max_parallel) == (
        "Amina Haddad",
        "0221 123",
        "50667",
        10,
        1,
    )
    assert amina.languages == {"ar": "native", "de": "B2"}
    assert amina.activities == ["homework_help", "interpreting"]
    assert amina.availability == AMINA_AVAILABILITY
    assert amina.status == VolunteerStatus.AWAITING_VERIFICATION  # staff still see an identity document
    assert timezone.localtime(amina.consent_given_at).date() == datetime.date(2026, 1, 2)
    assert Membership.objects.get(user=amina.user).role == Role.VOLUNTEER
    assert amina.user.has_usable_password()  # "forgot password" lets the volunteer set their own
    assert amina.events.get().pgh_context.metadata["user"] == staff.pk
    yusuf = Volunteer.objects.for_centre(centre).get(user__email="yusuf.demir@ehrenamt.example")
    assert (yusuf.languages, yusuf.activities, yusuf.availability) == (
        {"tr": "native"},
        ["leisure"],
        YUSUF_AVAILABILITY,
    )


def test_importing_the_same_file_again_changes_nothing_and_the_preview_says_so(centre, staff):
    _committed(_checked(centre, staff, _csv(*VALID_ROWS)))
    before = list(Volunteer.objects.for_centre(centre).values_list("id", "updated_at").order_by("id"))

    again = _checked(centre, staff, _csv(*VALID_ROWS))
    assert (again.rows_new, again.rows_changed, again.rows_unchanged) == (0, 0, 2)
    assert not again.changes_something
    _committed(again)

    assert list(Volunteer.objects.for_centre(centre).values_list("id", "updated_at").order_by("id")) == before


def test_a_row_of_a_known_volunteer_changes_only_the_columns_the_file_has(centre, staff):
    known = volunteer_in(centre, radius_km=5, languages={"uk": "native"}, activities=["leisure"])
    header = "Name;E-Mail-Adresse;Postleitzahl;Umkreis (km);Einwilligung erteilt am"
    row = f"{known.user.display_name};{known.user.email.upper()};50667;30;"

    run = _committed(_checked(centre, staff, _csv(row, header=header)))

    assert (run.status, run.rows_new, run.rows_changed) == (ImportStatus.COMMITTED, 0, 1)
    known.refresh_from_db()
    assert (known.radius_km, known.languages, known.activities) == (30, {"uk": "native"}, ["leisure"])
    assert known.status == VolunteerStatus.VERIFIED


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            [
                (3, "Umkreis (km)", "Der Umkreis muss zwischen 1 und 100 km liegen."),
                (4, "E-Mail-Adresse", "Dieses Feld ist zwingend erforderlich."),
                (5, "Einwilligung erteilt am", "Das Datum der Einwilligung darf nicht in der Zukunft liegen."),
                (6, "Niveau in Sprache 1", "Bitte wählen Sie eine Sprache und Ihr Niveau darin."),
            ],
        ),
        (
            "en",
            [
                (3, "Radius (km)", "The radius must lie between 1 and 100 km."),
                (4, "E-mail address", "This field is required."),
                (5, "Consent given on", "The date of the consent cannot lie in the future."),
                (6, "Level in language 1", "Please choose a language and your level in it."),
            ],
        ),
    ],
)
def test_the_preview_names_each_error_by_row_and_column_in_the_users_language(login, staff, centre, language, expected):
    client = login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    content = _csv(
        VALID_ROWS[0],
        "Omar Saleh;omar@ehrenamt.example;;50667;500;leisure;ar;native;;;vormittags;;02.01.2026",
        "Omar Saleh;;;50667;10;leisure;ar;native;;;vormittags;;02.01.2026",
        f"Lina Saleh;lina@ehrenamt.example;;50667;10;leisure;ar;native;;;vormittags;;{tomorrow:%d.%m.%Y}",
        "Sara Saleh;sara@ehrenamt.example;;50667;10;leisure;ar;;;;vormittags;;02.01.2026",
    )
    response = client.post(
        reverse("imports:import_list"),
        {"kind": ImportKind.VOLUNTEERS, "file": SimpleUploadedFile("ehrenamt.csv", content, content_type="text/csv")},
    )
    run = ImportRun.objects.for_centre(centre).get()
    assert response["Location"] == reverse("imports:import_detail", kwargs={"run_id": run.pk})

    services.import_check(run_id=str(run.pk))

    run.refresh_from_db()
    assert run.status == ImportStatus.INVALID
    assert [(e["row"], e["column"], e["message"]) for e in run.errors] == expected
    page = client.get(reverse("imports:import_detail", kwargs={"run_id": run.pk})).content.decode()
    for _row, _column, message in expected:
        assert message in page
    assert not Volunteer.objects.for_centre(centre).exists()
    assert not User.objects.filter(email__iendswith="@ehrenamt.example").exists()


def test_a_bad_row_found_in_the_commit_leaves_nothing(centre, staff):
    run = _checked(centre, staff, _csv(*VALID_ROWS))
    assert run.status == ImportStatus.READY
    # The commit checks the stored file again; here it is swapped to hold a bad last row.
    ImportRun.objects.for_centre(centre).filter(pk=run.pk).update(
        content_encrypted=encrypt_bytes(
            _csv(*VALID_ROWS, "Late Row;late@ehrenamt.example;;50667;0;leisure;ar;native;;;vormittags;;02.01.2026")
        )
    )

    committed = _committed(run)

    assert committed.status == ImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in committed.errors] == [(4, "Umkreis (km)")]
    assert not Volunteer.objects.for_centre(centre).exists()
    assert not User.objects.filter(email__iendswith="@ehrenamt.example").exists()


def test_the_same_address_twice_in_a_file_is_an_error(centre, staff):
    run = _checked(centre, staff, _csv(VALID_ROWS[0], VALID_ROWS[1], VALID_ROWS[0].replace("Amina ", "A. ")))

    assert run.status == ImportStatus.INVALID
    assert [e["row"] for e in run.errors] == [4]


def test_another_centres_volunteer_is_neither_changed_nor_taken_over(centre, other_centre, staff):
    postcode_of(other_centre, "40210")
    theirs = volunteer_in(other_centre, postcode="40210", radius_km=5)
    row = f"Someone Else;{theirs.user.email};;50667;30;leisure;ar;native;;;vormittags;;02.01.2026"

    run = _checked(centre, staff, _csv(row))

    assert run.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in run.errors] == [(2, "E-Mail-Adresse")]
    theirs.refresh_from_db()
    assert (theirs.centre_id, theirs.radius_km, theirs.user.display_name) == (other_centre.pk, 5, theirs.name)
    assert not Volunteer.objects.for_centre(centre).exists()


def test_a_postcode_of_another_centre_is_refused(centre, other_centre, staff):
    postcode_of(other_centre, "40210")

    run = _checked(centre, staff, _csv(VALID_ROWS[0].replace("50667", "40210")))

    assert [(e["row"], e["column"]) for e in run.errors] == [(2, "Postleitzahl")]


def test_a_volunteer_import_is_nobody_elses(login, make_member, centre, other_centre, staff):
    run = _checked(centre, staff, _csv(*VALID_ROWS))

    for user in (make_member(Role.CENTRE_LEAD, centre=centre), make_member(Role.CENTRE_STAFF, centre=other_centre)):
        client = login(user)
        assert client.get(reverse("imports:import_detail", kwargs={"run_id": run.pk})).status_code == 404
        assert client.post(reverse("imports:import_commit", kwargs={"run_id": run.pk})).status_code == 404

    run.refresh_from_db()
    assert run.status == ImportStatus.READY
    assert not Volunteer.objects.for_centre(centre).exists()


def test_the_template_names_the_columns_in_the_pages_language(staff_client):
    response = staff_client.get(reverse("imports:import_template", kwargs={"kind": ImportKind.VOLUNTEERS}))

    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Name;E-Mail-Adresse;Telefonnummer;Postleitzahl;Umkreis (km)")
    assert "Sprache 1;Niveau in Sprache 1" in header
    assert header.endswith("Sonntag;Einwilligung erteilt am")
