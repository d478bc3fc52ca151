"""Every write to families, persons, guardian relations and consents.

Each service runs in one transaction and validates with `full_clean()` before it saves, so a
refused write leaves nothing behind; the history rows are written by pghistory's triggers in
the same transaction, and `pghistory.context` names the user also outside a web request.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

import pghistory
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.people.models import (
    Consent,
    Family,
    Gender,
    GuardianKind,
    GuardianRelation,
    LegalBasis,
    Person,
    Purpose,
    ResidenceStatus,
)
from ankommen.people.search import normalise_name, search_text_for

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre

# First key of the advisory lock that serialises the numbering of family references per centre.
FAMILY_REFERENCE_LOCK = 0x46414D


class FamilyFields(TypedDict, total=False):
    street: str
    postcode: str
    place: str
    phone: str
    email: str


class PersonDetails(TypedDict, total=False):
    given_names_latin: str
    family_name_latin: str
    birth_date: datetime.date | None
    gender: Gender | str
    nationalities: list[str]
    languages: list[str]
    arrived_in_germany: datetime.date | None
    arrived_in_district: datetime.date | None
    residence_status: ResidenceStatus | str
    street: str
    postcode: str
    place: str
    phone: str
    email: str
    family: Family | None


class PersonFields(PersonDetails, total=False):
    given_names: str
    family_name: str


NAME_FIELDS = ("given_names", "family_name", "given_names_latin", "family_name_latin")
PERSON_FIELDS = frozenset(PersonFields.__annotations__)
FAMILY_FIELDS = frozenset(FamilyFields.__annotations__)


def _require_same_centre(centre: Centre, *records: Any, field: str = "__all__") -> None:
    for record in records:
        if record is not None and record.centre_id != centre.pk:
            raise ValidationError({field: _("This record belongs to another centre.")})


def _history_context(by: User) -> Any:
    return pghistory.context(user=by.pk)


def _unique_codes(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(code.strip() for code in codes if code and code.strip()))


def person_values(fields: PersonFields) -> dict[str, Any]:
    """The fields normalised as every write stores them: names in NFC, codes without repeats, text stripped."""
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"Unknown person fields: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in NAME_FIELDS:
            value = normalise_name(str(value or ""))
        elif name in {"nationalities", "languages"}:
            value = _unique_codes(value or [])  # type: ignore[arg-type]
        elif name in {"street", "place", "phone", "email", "postcode"}:
            value = str(value or "").strip()
        values[name] = value
    return values


def _apply_person_fields(person: Person, fields: PersonFields) -> None:
    for name, value in person_values(fields).items():
        setattr(person, name, value)
    person.search_text = search_text_for(
        person.given_names, person.family_name, person.given_names_latin, person.family_name_latin
    )


def _next_family_reference(centre: Centre) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [FAMILY_REFERENCE_LOCK, centre.pk])
    prefix = f"F-{timezone.localdate().year}-"
    last = (
        Family.objects.for_centre(centre)
        .filter(reference__startswith=prefix)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    suffix = last.removeprefix(prefix) if last else "0"
    number = int(suffix) + 1 if suffix.isdigit() else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def family_create(*, centre: Centre, by: User, **fields: Unpack[FamilyFields]) -> Family:
    family = Family(centre=centre)
    _apply_family_fields(family, fields)
    with _history_context(by):
        family.reference = _next_family_reference(centre)
        family.full_clean()
        family.save()
    return family


def _apply_family_fields(family: Family, fields: FamilyFields) -> None:
    unknown = set(fields) - FAMILY_FIELDS
    if unknown:
        raise TypeError(f"Unknown family fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(family, name, str(value or "").strip())


@transaction.atomic
def family_update(*, centre: Centre, by: User, family: Family, **fields: Unpack[FamilyFields]) -> Family:
    _require_same_centre(centre, family)
    _apply_family_fields(family, fields)
    with _history_context(by):
        family.full_clean()
        family.save()
    return family


@transaction.atomic
def person_create(
    *,
    centre: Centre,
    by: User,
    given_names: str,
    family_name: str,
    **fields: Unpack[PersonDetails],
) -> Person:
    person = Person(centre=centre)
    _require_same_centre(centre, fields.get("family"), field="family")
    all_fields: PersonFields = {**fields, "given_names": given_names, "family_name": family_name}
    _apply_person_fields(person, all_fields)
    with _history_context(by):
        person.full_clean()
        person.save()
    return person


@transaction.atomic
def person_update(*, centre: Centre, by: User, person: Person, **fields: Unpack[PersonFields]) -> Person:
    _require_same_centre(centre, person)
    _require_same_centre(centre, fields.get("family"), field="family")
    _apply_person_fields(person, fields)
    with _history_context(by):
        person.full_clean()
        person.save()
    return person


# What an import writes of a person: every field of the person form but the family, and the search text.
PERSON_IMPORT_COLUMNS = (*(name for name in PersonFields.__annotations__ if name != "family"), "search_text")


@transaction.atomic
def persons_bulk_write(
    *, centre: Centre, by: User, new: list[dict[str, Any]], changed: list[dict[str, Any]], fields: Iterable[str]
) -> None:
    """Write many persons at once (imports): their values normalised by person_values, with their search text, and
    checked with person_rule_errors; a changed one names its id and gets the `fields` given.

    The rows go with COPY into a temporary table and from there with one INSERT (new persons) or one UPDATE (changed
    ones) into the persons: COPY is the fastest way in, and INSERT and UPDATE keep what a write of the application
    needs, the history triggers (once per statement, with the same user in their context) and the database's
    row-level security, which COPY into the table itself would refuse.
    """
    now = timezone.now()
    with _history_context(by), connection.cursor() as cursor:
        if new:
            columns = ", ".join(PERSON_IMPORT_COLUMNS)
            _copy_into_temporary_table(cursor, "import_new_persons", PERSON_IMPORT_COLUMNS, new)
            cursor.execute(
                f"INSERT INTO people_person (id, centre_id, created_at, updated_at, {columns}) "  # noqa: S608
                f"SELECT gen_random_uuid(), %s, %s, %s, {columns} FROM import_new_persons",
                [centre.pk, now, now],
            )
            cursor.execute("DROP TABLE import_new_persons")
        if changed:
            names = [*dict.fromkeys([*fields, "search_text"])]
            unknown = set(names) - set(PERSON_IMPORT_COLUMNS)
            if unknown:
                raise TypeError(f"Unknown person fields: {', '.join(sorted(unknown))}")
            _copy_into_temporary_table(cursor, "import_changed_persons", ("id", *names), changed)
            assignments = ", ".join(f"{name} = changes.{name}" for name in names)
            cursor.execute(
                f"UPDATE people_person AS person SET {assignments}, updated_at = %s "  # noqa: S608
                "FROM import_changed_persons AS changes WHERE person.id = changes.id AND person.centre_id = %s",
                [now, centre.pk],
            )
            updated = cursor.rowcount
            cursor.execute("DROP TABLE import_changed_persons")
            if updated != len(changed):
                # Only the centre's own persons are changed: an id of another centre's person refuses the whole write.
                raise ValidationError(_("This record belongs to another centre."))


def _copy_into_temporary_table(cursor: Any, table: str, columns: Iterable[str], rows: list[dict[str, Any]]) -> None:
    columns = list(columns)
    names = ", ".join(columns)
    # The temporary table has the persons' column types; it is dropped after the write (or with a rollback).
    cursor.execute(
        f"CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS SELECT {names} FROM people_person WITH NO DATA"  # noqa: S608
    )
    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


@transaction.atomic
def guardian_relation_add(
    *,
    centre: Centre,
    by: User,
    child: Person,
    guardian: Person,
    kind: GuardianKind | str,
    has_custody: bool = True,
) -> GuardianRelation:
    _require_same_centre(centre, child, field="child")
    _require_same_centre(centre, guardian, field="guardian")
    relation = GuardianRelation(centre=centre, child=child, guardian=guardian, kind=kind, has_custody=has_custody)
    if GuardianRelation.objects.for_centre(centre).filter(child=child, guardian=guardian).exists():
        raise ValidationError({"guardian": _("This person is already recorded as a guardian.")})
    with _history_context(by):
        relation.full_clean()
        relation.save()
    return relation


@transaction.atomic
def guardian_relation_remove(*, centre: Centre, by: User, relation: GuardianRelation) -> None:
    _require_same_centre(centre, relation)
    with _history_context(by):
        relation.delete()


@transaction.atomic
def consent_record(
    *,
    centre: Centre,
    by: User,
    person: Person,
    purpose: Purpose | str,
    legal_basis: LegalBasis | str,
    given_on: datetime.date,
    note: str = "",
) -> Consent:
    _require_same_centre(centre, person, field="person")
    if Consent.objects.for_centre(centre).filter(person=person, purpose=purpose, withdrawn_on__isnull=True).exists():
        raise ValidationError(
            {"purpose": _("There is already a valid consent or legal basis for this purpose. Withdraw it first.")}
        )
    consent = Consent(
        centre=centre,
        person=person,
        purpose=purpose,
        legal_basis=legal_basis,
        given_on=given_on,
        note=note.strip(),
        recorded_by=by,
    )
    with _history_context(by):
        consent.full_clean()
        consent.save()
    return consent


@transaction.atomic
def consent_withdraw(
    *, centre: Centre, by: User, consent: Consent, withdrawn_on: datetime.date | None = None
) -> Consent:
    _require_same_centre(centre, consent)
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("This consent has already been withdrawn.")})
    consent.withdrawn_on = withdrawn_on or timezone.localdate()
    with _history_context(by):
        consent.full_clean()
        consent.save()
    return consent
