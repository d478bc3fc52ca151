from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Model

from ankommen.regions.loaders import (
    LOADED_MODELS,
    REFERENCE_DIRECTORY,
    centre_slug_for,
    reference_data_load,
    school_form_for,
)
from ankommen.regions.models import Centre, Municipality, Postcode, Region, RegionKind, School, SchoolForm

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list[tuple]]:
    def rows(model: type[Model]) -> list[tuple]:
        fields = [field.attname for field in model._meta.concrete_fields]
        return list(model._default_manager.order_by("pk").values_list(*fields))

    return {model.__name__: rows(model) for model in LOADED_MODELS}


def test_loader_loads_the_exact_number_of_each_kind_of_reference_data(reference_data):
    assert Region.objects.count() == 53
    assert Municipality.objects.count() == 396
    assert Centre.objects.count() == 54
    assert School.objects.count() == 5407
    assert Postcode.objects.count() == 1423
    assert reference_data["Occupation"][0] == 3039
    assert reference_data["IscoGroup"][0] == 619


def test_second_run_changes_nothing_and_creates_no_duplicates(reference_data):
    before = _snapshot()

    counts = reference_data_load()

    assert _snapshot() == before
    assert all(created == 0 for _total, created in counts.values())


def test_command_prints_the_counts_and_that_nothing_is_new_on_a_second_run(reference_data):
    output = StringIO()

    call_command("load_reference_data", stdout=output)

    assert "School: 5407 (0 new)" in output.getvalue()
    assert "Centre: 54 (0 new)" in output.getvalue()


def test_city_of_aachen_centre_serves_only_the_city_and_the_staedteregion_the_other_nine(reference_data):
    city = Centre.objects.get(slug="stadt-aachen")
    staedteregion = Centre.objects.get(slug="staedteregion-aachen")

    assert list(city.municipalities.values_list("key", flat=True)) == ["05334002"]
    assert staedteregion.municipalities.count() == 9
    assert not staedteregion.municipalities.filter(key="05334002").exists()
    assert city.region == staedteregion.region == Region.objects.get(key="05334")


def test_every_other_municipality_is_served_by_its_districts_only_centre(reference_data):
    outside_aachen = Municipality.objects.exclude(region__key="05334").select_related("centre")

    assert all(municipality.centre.region_id == municipality.region_id for municipality in outside_aachen)
    assert Centre.objects.filter(municipalities__isnull=True).count() == 0


def test_region_kind_follows_the_published_type(reference_data):
    assert Region.objects.filter(kind=RegionKind.CITY).count() == 22
    assert Region.objects.filter(kind=RegionKind.DISTRICT).count() == 30
    assert Region.objects.get(kind=RegionKind.CITY_REGION).key == "05334"


def test_centre_slugs_are_made_from_the_name_with_german_letters_spelled_out():
    assert centre_slug_for("Kommunales Integrationszentrum Köln") == "koeln"
    assert centre_slug_for("Kommunales Integrationszentrum StädteRegion Aachen") == "staedteregion-aachen"
    assert centre_slug_for("Kommunales Integrationszentrum Stadt Aachen") == "stadt-aachen"
    assert centre_slug_for("Kommunales Integrationszentrum Mülheim an der Ruhr") == "muelheim-an-der-ruhr"


def test_published_school_forms_map_to_the_choices_and_keep_their_text(reference_data):
    assert school_form_for("Förderschule Grund-/Hauptschule") == SchoolForm.FOERDERSCHULE
    assert school_form_for("Freie Waldorfschule") == SchoolForm.OTHER
    waldorf = School.objects.filter(form_label="Freie Waldorfschule").first()
    assert waldorf is not None
    assert waldorf.form == SchoolForm.OTHER
    assert School.objects.filter(form=SchoolForm.PRIMARY).count() == 2807


def test_school_keeps_pupils_social_index_startchancen_and_coordinate_source(reference_data):
    school = School.objects.get(number="100020")

    assert school.pupils == 220
    assert school.social_index == 5
    assert school.is_public
    assert school.latitude == pytest.approx(51.275)
    assert "UTM32" in school.coordinates_source
    assert School.objects.filter(is_startchancen=True).count() == 920
    assert School.objects.filter(coordinates_source__contains="OSM").count() == 67


def test_long_lists_of_places_are_cut_after_a_whole_place_name(reference_data):
    with (REFERENCE_DIRECTORY / "postcodes" / "plz_nrw_unique.csv").open(encoding="utf-8") as handle:
        row = next(row for row in csv.DictReader(handle) if len(row["orte"]) > 255)

    stored = Postcode.objects.get(code=row["plz"]).places

    assert 0 < len(stored) <= 255
    assert row["orte"].startswith(stored)
    assert row["orte"][len(stored)] == "|"
