from __future__ import annotations

import pytest

from ankommen.regions.models import SchoolForm

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_regions_lists_all_53_districts(client, reference_data):
    response = client.get(f"{API}/regions")

    assert response.status_code == 200
    assert len(response.json()) == 53


def test_region_detail_returns_kind_and_population(client, reference_data):
    body = client.get(f"{API}/regions/05334").json()

    assert body["kind"] == "city_region"
    assert body["administrative_region"] == "Reg.-Bez. Köln"
    assert body["population"] > 500_000


def test_unknown_region_answers_404_in_the_one_error_format(client, reference_data):
    response = client.get(f"{API}/regions/99999")

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_municipalities_filtered_by_district_show_the_aachen_split(client, reference_data):
    response = client.get(f"{API}/municipalities", {"region": "05334"})

    serving = {row["key"]: row["centre_slug"] for row in response.json()}
    assert len(serving) == 10
    assert serving.pop("05334002") == "stadt-aachen"
    assert set(serving.values()) == {"staedteregion-aachen"}


def test_municipalities_reject_a_malformed_district_key(client, reference_data):
    response = client.get(f"{API}/municipalities", {"region": "0533400"})

    assert response.status_code == 422
    assert "region" in response.json()["errors"]


def test_centres_lists_54_and_a_centre_lists_its_municipalities_and_schools(client, reference_data):
    assert len(client.get(f"{API}/centres").json()) == 54

    body = client.get(f"{API}/centres/staedteregion-aachen").json()

    assert len(body["municipalities"]) == 9
    assert body["region_key"] == "05334"
    assert sum(row["count"] for row in body["school_counts"]) > 0


def test_unknown_centre_answers_404(client, reference_data):
    response = client.get(f"{API}/centres/atlantis")

    assert response.status_code == 404
    assert response.json()["errors"] == {}


def test_schools_are_paginated_25_per_page(client, reference_data):
    first = client.get(f"{API}/schools").json()
    second = client.get(f"{API}/schools", {"page": 2}).json()

    assert first["count"] == 5407
    assert len(first["items"]) == 25
    assert {item["number"] for item in first["items"]}.isdisjoint(item["number"] for item in second["items"])


def test_schools_search_by_name_place_and_form(client, reference_data):
    body = client.get(f"{API}/schools", {"q": "goethe", "place": "dortmund", "form": SchoolForm.GYMNASIUM}).json()

    assert body["count"] >= 1
    assert all(item["form"] == "Gymnasium" and item["place"] == "Dortmund" for item in body["items"])


@pytest.mark.parametrize(
    ("params", "field"),
    [({"form": "Zauberschule"}, "form"), ({"q": "a" * 101}, "q"), ({"page": 0}, "page")],
)
def test_schools_reject_bad_filters_with_field_errors(client, reference_data, params, field):
    response = client.get(f"{API}/schools", params)

    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_school_detail_and_unknown_school(client, reference_data):
    body = client.get(f"{API}/schools/100020").json()

    assert body["pupils"] == 220
    assert body["municipality_key"] == "05111000"
    assert client.get(f"{API}/schools/000000").status_code == 404


def test_postcode_returns_its_places_and_district(client, reference_data):
    body = client.get(f"{API}/postcodes/52062").json()

    assert body["places"] == ["Aachen"]
    assert body["region_key"] == "05334"
    assert client.get(f"{API}/postcodes/00000").status_code == 404


def test_occupations_are_found_by_synonym_and_paginated(client, reference_data):
    body = client.get(f"{API}/occupations", {"q": "brigadier"}).json()

    assert [item["label"] for item in body["items"]] == ["Brigadegeneral/Brigadegeneralin"]
    assert "Brigadierin" in body["items"][0]["synonyms"]
    everything = client.get(f"{API}/occupations").json()
    assert everything["count"] == 3039
    assert len(everything["items"]) == 25


REFERENCE_OPERATIONS = {
    "listRegions",
    "getRegion",
    "listMunicipalities",
    "listCentres",
    "getCentre",
    "listSchools",
    "getSchool",
    "getPostcode",
    "listOccupations",
}


def test_reference_endpoints_are_documented_under_one_tag_with_operation_ids(client):
    schema = client.get(f"{API}/openapi.json").json()

    tags = {
        operation["operationId"]: operation["tags"]
        for methods in schema["paths"].values()
        for operation in methods.values()
        if operation["operationId"] in REFERENCE_OPERATIONS
    }
    assert set(tags) == REFERENCE_OPERATIONS
    assert all(operation_tags == ["reference data"] for operation_tags in tags.values())
