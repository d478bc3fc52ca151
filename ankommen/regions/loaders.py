"""Loads the shipped reference data (data/reference/, see ATTRIBUTION.md) into the database.

Every table is upserted on its official key, so a second run updates rows in place and creates nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from ankommen.regions.models import (
    Centre,
    IscoGroup,
    Municipality,
    Occupation,
    Postcode,
    Region,
    RegionKind,
    School,
    SchoolForm,
)

M = TypeVar("M", bound=Model)

REFERENCE_DIRECTORY = Path(settings.BASE_DIR) / "data" / "reference"

REGION_KINDS = {
    "kreisfreie Stadt": RegionKind.CITY,
    "Kreis": RegionKind.DISTRICT,
    "Städteregion": RegionKind.CITY_REGION,
    "Städteregion (Kreis)": RegionKind.CITY_REGION,
}

# The published school forms of IT.NRW; every special-needs school is one form for the directory's filter,
# and the few forms without a choice of their own (Waldorf, PRIMUS, adult education) count as "other".
SCHOOL_FORMS = {
    "Grundschule": SchoolForm.PRIMARY,
    "Hauptschule": SchoolForm.HAUPTSCHULE,
    "Realschule": SchoolForm.REALSCHULE,
    "Sekundarschule": SchoolForm.SEKUNDARSCHULE,
    "Gesamtschule": SchoolForm.GESAMTSCHULE,
    "Gymnasium": SchoolForm.GYMNASIUM,
    "Berufskolleg": SchoolForm.BERUFSKOLLEG,
    "Förderschule Grund-/Hauptschule": SchoolForm.FOERDERSCHULE,
    "Förderschule Realschule/Gymnasium": SchoolForm.FOERDERSCHULE,
    "Förderschule Berufskolleg": SchoolForm.FOERDERSCHULE,
}

CENTRE_NAME_PREFIX = "Kommunales Integrationszentrum "

# Municipalities served by a centre other than their district's: the city of Aachen runs its own centre
# inside the StädteRegion Aachen, whose centre serves the other nine municipalities.
SEPARATELY_SERVED_MUNICIPALITIES = {"05334002": "stadt-aachen"}

POSTCODE_PLACES_MAX_LENGTH = Postcode._meta.get_field("places").max_length or 255

_GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def centre_slug_for(name: str) -> str:
    # German letters are spelled out so that "StädteRegion Aachen" becomes "staedteregion-aachen", not "stadteregion".
    short_name = name.removeprefix(CENTRE_NAME_PREFIX)
    return slugify(short_name.translate(_GERMAN_LETTERS))


def school_form_for(published: str) -> SchoolForm:
    return SCHOOL_FORMS.get(published, SchoolForm.OTHER)


def _rows(directory: Path, relative_path: str) -> Iterator[dict[str, str]]:
    with (directory / relative_path).open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def _optional_int(value: str) -> int | None:
    return int(value) if value.strip() else None


def _optional_float(value: str) -> float | None:
    return float(value) if value.strip() else None


def _places_within_limit(places: str) -> str:
    # A few postcodes of large customers list dozens of companies; keep whole names up to the column's size.
    kept: list[str] = []
    for place in places.split("|"):
        if len("|".join([*kept, place])) > POSTCODE_PLACES_MAX_LENGTH:
            break
        kept.append(place)
    return "|".join(kept)


def _upsert(model: type[M], objects: list[M], *, key: str) -> int:
    # Field validation (lengths, choices, numbers) is cheap and catches a changed file early; uniqueness and
    # foreign keys are left to the database, which checks them for all rows at once inside the transaction.
    # Nullable fields hold None where the source publishes nothing (e.g. no social index for vocational colleges).
    foreign_keys = [field.name for field in model._meta.concrete_fields if field.is_relation]
    nullable = [field for field in model._meta.concrete_fields if field.null and not field.is_relation]
    for instance in objects:
        unpublished = [field.name for field in nullable if getattr(instance, field.attname) is None]
        instance.full_clean(exclude=foreign_keys + unpublished, validate_unique=False, validate_constraints=False)
    fields = [field.name for field in model._meta.concrete_fields if not field.primary_key and field.name != key]
    model._default_manager.bulk_create(
        objects, batch_size=1000, update_conflicts=True, unique_fields=[key], update_fields=fields
    )
    return len(objects)


def _regions(directory: Path) -> list[Region]:
    return [
        Region(
            key=row["kreis_ags"],
            name=row["name"],
            kind=REGION_KINDS[row["typ"]],
            administrative_region=row["regierungsbezirk"],
            area_km2=Decimal(row["flaeche_km2"]),
            population=int(row["bevoelkerung"]),
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
        )
        for row in _rows(directory, "regions/nrw_kreise.csv")
    ]


def _centres(directory: Path, region_ids: dict[str, int]) -> list[Centre]:
    return [
        Centre(
            slug=centre_slug_for(row["ki_name"]),
            name=row["ki_name"],
            operator=row["traeger"],
            operator_kind=row["traeger_typ"],
            region_id=region_ids[row["kreis_ags"]],
            population_served=int(row["bevoelkerung_zustaendigkeit"]),
            latitude=float(row["lat_approx"]),
            longitude=float(row["lon_approx"]),
        )
        for row in _rows(directory, "centres/ki_nrw_abgeleitet.csv")
    ]


def _serving_centres(centres: list[Centre], region_keys_by_id: dict[int, str]) -> dict[str, str]:
    """Region key -> slug of the centre that serves the region's municipalities by default."""
    separate = set(SEPARATELY_SERVED_MUNICIPALITIES.values())
    serving: dict[str, str] = {}
    for centre in centres:
        region_key = region_keys_by_id[centre.region_id]
        if centre.slug in separate:
            continue
        if region_key in serving:
            raise ValueError(f"District {region_key} has two default centres: {serving[region_key]}, {centre.slug}.")
        serving[region_key] = centre.slug
    return serving


def _municipalities(
    directory: Path, region_ids: dict[str, int], centre_ids: dict[str, int], serving: dict[str, str]
) -> list[Municipality]:
    municipalities = []
    for row in _rows(directory, "regions/nrw_gemeinden.csv"):
        centre_slug = SEPARATELY_SERVED_MUNICIPALITIES.get(row["ags"], serving[row["kreis_ags"]])
        municipalities.append(
            Municipality(
                key=row["ags"],
                name=row["name"],
                region_id=region_ids[row["kreis_ags"]],
                centre_id=centre_ids[centre_slug],
                kind=row["gemeindetyp"],
                area_km2=Decimal(row["flaeche_km2"]),
                population=int(row["bevoelkerung"]),
                postcode=row["plz_verwaltungssitz"],
                latitude=float(row["lat"]),
                longitude=float(row["lon"]),
            )
        )
    return municipalities


def _schools(directory: Path, municipality_ids: dict[str, int]) -> list[School]:
    return [
        School(
            number=row["schulnummer"],
            name=row["name"],
            form=school_form_for(row["schulform"]),
            form_label=row["schulform"],
            municipality_id=municipality_ids[row["ags"]],
            street=row["strasse"],
            postcode=row["plz"],
            place=row["ort"],
            is_public=row["rechtsstatus"] == "Öffentlich",
            pupils=_optional_int(row["schueler_anzahl"]),
            social_index=_optional_int(row["sozialindex"]),
            is_startchancen=row["startchancen_schule"] == "1",
            latitude=_optional_float(row["lat"]),
            longitude=_optional_float(row["lon"]),
            coordinates_source=row["koordinaten_quelle"],
        )
        for row in _rows(directory, "schools/nrw_schulen_2024_25.csv")
    ]


def _postcodes(directory: Path, region_ids: dict[str, int]) -> list[Postcode]:
    return [
        Postcode(
            code=row["plz"],
            places=_places_within_limit(row["orte"]),
            region_id=region_ids[row["kreis_ags"]],
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
        )
        for row in _rows(directory, "postcodes/plz_nrw_unique.csv")
    ]


def _isco_groups(directory: Path) -> list[IscoGroup]:
    return [
        IscoGroup(code=row["isco08_code"], label=row["label_de"])
        for row in _rows(directory, "occupations/esco_isco_groups_de.csv")
    ]


def _occupations(directory: Path) -> list[Occupation]:
    return [
        Occupation(
            uri=row["esco_uri"],
            isco_code=row["isco08_code"],
            label=row["preferred_label_de"],
            alternative_labels="\n".join(label for label in row["alt_labels_de"].split("|") if label.strip()),
            definition=row["definition_de"],
        )
        for row in _rows(directory, "occupations/esco_occupations_de.csv")
    ]


def _ids(model: type[Model], key: str) -> dict[str, int]:
    return dict(model._default_manager.values_list(key, "pk"))


LOADED_MODELS: tuple[type[Model], ...] = (Region, Municipality, Centre, School, Postcode, IscoGroup, Occupation)


@transaction.atomic
def reference_data_load(*, directory: Path = REFERENCE_DIRECTORY) -> dict[str, tuple[int, int]]:
    """Upserts every reference table; returns per model name the rows after loading and how many are new."""
    before = {model.__name__: model._default_manager.count() for model in LOADED_MODELS}
    _upsert(Region, _regions(directory), key="key")
    region_ids = _ids(Region, "key")
    region_keys_by_id = {pk: key for key, pk in region_ids.items()}

    centres = _centres(directory, region_ids)
    _upsert(Centre, centres, key="slug")
    serving = _serving_centres(centres, region_keys_by_id)
    municipalities = _municipalities(directory, region_ids, _ids(Centre, "slug"), serving)
    _upsert(Municipality, municipalities, key="key")
    _upsert(School, _schools(directory, _ids(Municipality, "key")), key="number")
    _upsert(Postcode, _postcodes(directory, region_ids), key="code")
    _upsert(IscoGroup, _isco_groups(directory), key="code")
    _upsert(Occupation, _occupations(directory), key="uri")
    after = {model.__name__: model._default_manager.count() for model in LOADED_MODELS}
    return {name: (after[name], after[name] - before[name]) for name in after}
