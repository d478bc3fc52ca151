"""Writes the generated demo families with PostgreSQL COPY: 1,000,000 persons in minutes."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from ankommen.core.row_level_security import dangerously_as_table_owner
from ankommen.people.demo.generator import Address, FamilyRows, centre_families, share_by_weight
from ankommen.people.models import Consent, Family, GuardianRelation, Person
from ankommen.regions.models import Centre, Municipality, Postcode

LARGE_TOTAL = 1_000_000
SMALL_PER_CENTRE = 300

_FAMILY_COLUMNS = (
    "id",
    "centre_id",
    "reference",
    "street",
    "postcode",
    "place",
    "phone",
    "email",
    "created_at",
    "updated_at",
)
_PERSON_COLUMNS = (
    "id",
    "centre_id",
    "family_id",
    "given_names",
    "family_name",
    "given_names_latin",
    "family_name_latin",
    "birth_date",
    "gender",
    "nationalities",
    "languages",
    "arrived_in_germany",
    "arrived_in_district",
    "residence_status",
    "street",
    "postcode",
    "place",
    "phone",
    "email",
    "search_text",
    "created_at",
    "updated_at",
)
_GUARDIAN_COLUMNS = ("centre_id", "child_id", "guardian_id", "kind", "has_custody")
_CONSENT_COLUMNS = (
    "centre_id",
    "person_id",
    "purpose",
    "legal_basis",
    "given_on",
    "withdrawn_on",
    "recorded_by_id",
    "note",
    "created_at",
    "updated_at",
)
_TABLES = (Family._meta.db_table, Person._meta.db_table, GuardianRelation._meta.db_table, Consent._meta.db_table)


@dataclass
class SeedSummary:
    centres: int = 0
    families: int = 0
    persons: int = 0
    guardian_relations: int = 0
    consents: int = 0
    seconds: float = 0.0


def _base_name(municipality_name: str) -> str:
    # "Stolberg (Rhld.), Kupferstadt" and "Aachen, Stadt" are Stolberg and Aachen in the postcode list.
    return municipality_name.split(",")[0].split(" (")[0].strip()


def centre_addresses(centre: Centre) -> list[Address]:
    """Real postcodes of the places the centre serves (not the big customers' postcodes)."""
    municipalities = list(Municipality.objects.filter(centre=centre).order_by("key"))
    names = {_base_name(municipality.name) for municipality in municipalities}
    addresses = [
        Address(postcode.code, postcode.places)
        for postcode in Postcode.objects.filter(region__in={m.region_id for m in municipalities}).order_by("code")
        if "|" not in postcode.places and postcode.places.split(" (")[0] in names
    ]
    if addresses:
        return addresses
    known = set(Postcode.objects.filter(code__in=[m.postcode for m in municipalities]).values_list("code", flat=True))
    return [Address(m.postcode, _base_name(m.name)) for m in municipalities if m.postcode in known]


def persons_per_centre(centres: Sequence[Centre], *, large: bool, per_centre: int | None) -> list[int]:
    if per_centre is not None:
        return [per_centre] * len(centres)
    if large:
        return share_by_weight(LARGE_TOTAL, [centre.population_served for centre in centres])
    return [SMALL_PER_CENTRE] * len(centres)


class _Copier:
    def __init__(self, cursor: object) -> None:
        self.cursor = cursor

    def copy(self, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]) -> None:
        if not rows:
            return
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.cursor.copy(statement) as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)


def _write_centre(copier: _Copier, centre_id: int, recorder_id: int, families: list[FamilyRows]) -> None:
    copier.copy(
        Family._meta.db_table,
        _FAMILY_COLUMNS,
        [
            (f.id, centre_id, f.reference, f.street, f.postcode, f.place, "", f.email, f.created_at, f.created_at)
            for f in families
        ],
    )
    copier.copy(
        Person._meta.db_table,
        _PERSON_COLUMNS,
        [
            (
                p.id,
                centre_id,
                f.id,
                p.given_names,
                p.family_name,
                p.given_names_latin,
                p.family_name_latin,
                p.birth_date,
                p.gender,
                p.nationalities,
                p.languages,
                p.arrived_in_germany,
                p.arrived_in_district,
                p.residence_status,
                p.street,
                p.postcode,
                p.place,
                "",
                p.email,
                p.search_text,
                p.created_at,
                p.created_at,
            )
            for f in families
            for p in f.persons
        ],
    )
    copier.copy(
        GuardianRelation._meta.db_table,
        _GUARDIAN_COLUMNS,
        [(centre_id, child, guardian, kind, True) for f in families for child, guardian, kind in f.guardians],
    )
    copier.copy(
        Consent._meta.db_table,
        _CONSENT_COLUMNS,
        [
            (
                centre_id,
                c.person_id,
                c.purpose,
                c.legal_basis,
                c.given_on,
                None,
                recorder_id,
                "",
                c.created_at,
                c.created_at,
            )
            for f in families
            for c in f.consents
        ],
    )


def _secondary_indexes(cursor: object, table: str) -> list[tuple[str, str]]:
    cursor.execute(  # type: ignore[attr-defined]
        """
        SELECT index_class.relname, pg_get_indexdef(pg_index.indexrelid)
        FROM pg_index
        JOIN pg_class index_class ON index_class.oid = pg_index.indexrelid
        WHERE pg_index.indrelid = %s::regclass
          AND NOT pg_index.indisprimary AND NOT pg_index.indisunique
          AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE pg_constraint.conindid = pg_index.indexrelid)
        """,
        [table],
    )
    return list(cursor.fetchall())  # type: ignore[attr-defined]


def demo_data_load(
    *,
    centres: Sequence[Centre],
    persons: Sequence[int],
    recorders: dict[int, int],
    seed: int,
    bulk: bool,
    progress: Callable[[str], None] | None = None,
) -> SeedSummary:
    """Generate and COPY every centre's families in one transaction: all or nothing."""
    summary = SeedSummary()
    started = time.perf_counter()
    # PostgreSQL refuses COPY into a table with row-level security to a role its policies bind, and the large
    # demo's DDL to anyone but the owner: the load runs as the tables' owner (docs/rls.md).
    with dangerously_as_table_owner(), transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        copier = _Copier(cursor)
        dropped: list[tuple[str, str]] = []
        # Django's foreign keys are deferred to commit: checked at the end of each COPY instead, the queue of
        # pending checks stays one centre long, and the indexes can be rebuilt inside the transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if bulk:
            # For a million generated rows, history triggers would add a million insert events that no one
            # will read (measured on 9,000 persons: 6.3 s with them, 3.6 s without), and the trigram index
            # is far cheaper to build once than to grow row by row. Both changes are DDL inside this transaction, so a
            # failed load leaves the tables, triggers and indexes exactly as they were. The small demo
            # keeps its triggers: there every demo person has its "created" history entry like a real one.
            for table in _TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            for table in (Person._meta.db_table, GuardianRelation._meta.db_table, Consent._meta.db_table):
                dropped += _secondary_indexes(cursor, table)
            for name, _definition in dropped:
                cursor.execute(f'DROP INDEX "{name}"')
        for centre, count in zip(centres, persons, strict=True):
            families = list(
                centre_families(seed=seed, centre_slug=centre.slug, persons=count, addresses=centre_addresses(centre))
            )
            _write_centre(copier, centre.pk, recorders[centre.pk], families)
            summary.centres += 1
            summary.families += len(families)
            summary.persons += sum(len(family.persons) for family in families)
            summary.guardian_relations += sum(len(family.guardians) for family in families)
            summary.consents += sum(len(family.consents) for family in families)
            if progress:
                progress(f"{centre.slug}: {count} persons ({time.perf_counter() - started:.0f} s)")
        for _name, definition in dropped:
            cursor.execute(definition)
        if bulk:
            for table in _TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    # Fresh statistics, or the planner guesses on a million rows it has never seen.
    with dangerously_as_table_owner(), connection.cursor() as cursor:
        for table in _TABLES:
            cursor.execute(f"ANALYZE {table}")  # the owner's right: the role would be skipped with a warning
    summary.seconds = time.perf_counter() - started
    return summary
