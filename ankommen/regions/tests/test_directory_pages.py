from __future__ import annotations

import pytest
from django.urls import reverse

from ankommen.regions.models import School, SchoolForm

pytestmark = pytest.mark.django_db

CENTRES = reverse("regions:centre_list")
SCHOOLS = reverse("regions:school_list")


def test_centre_directory_is_public_and_lists_all_54_centres_by_administrative_region(client, reference_data):
    response = client.get(CENTRES)

    assert response.status_code == 200
    groups = response.context["groups"]
    assert [group.name for group in groups] == [
        "Reg.-Bez. Arnsberg",
        "Reg.-Bez. Detmold",
        "Reg.-Bez. Düsseldorf",
        "Reg.-Bez. Köln",
        "Reg.-Bez. Münster",
    ]
    assert sum(len(group.centres) for group in groups) == 54
    assert "Kommunale Integrationszentren in Nordrhein-Westfalen" in response.text
    assert reverse("regions:centre_detail", args=["staedteregion-aachen"]) in response.text


def test_centre_filter_finds_the_centre_that_serves_a_municipality(client, reference_data):
    response = client.get(CENTRES, {"q": "alsdorf"})

    centres = [centre.slug for group in response.context["groups"] for centre in group.centres]
    assert centres == ["staedteregion-aachen"]


def test_centre_filter_answers_htmx_with_the_results_only(client, reference_data):
    response = client.get(CENTRES, {"q": "Köln"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Kommunales Integrationszentrum Köln" in response.text


def test_centre_filter_rejects_an_overly_long_query_with_a_message(client, reference_data):
    response = client.get(CENTRES, {"q": "x" * 101})

    assert response.status_code == 200
    assert "Bitte geben Sie höchstens 100 Zeichen ein." in response.text
    assert 'aria-invalid="true"' in response.text
    assert response.context["groups"] == []


def test_centre_page_shows_district_inhabitants_municipalities_and_schools_per_form(client, reference_data):
    response = client.get(reverse("regions:centre_detail", args=["stadt-aachen"]))

    assert response.status_code == 200
    assert "Städteregion Aachen" in response.text
    assert "252.769" in response.text
    assert [municipality.key for municipality in response.context["municipalities"]] == ["05334002"]
    counts = {row.form: row.count for row in response.context["school_counts"]}
    assert (
        counts[SchoolForm.GYMNASIUM]
        == School.objects.filter(municipality__key="05334002", form=SchoolForm.GYMNASIUM).count()
    )
    assert sum(counts.values()) == School.objects.filter(municipality__key="05334002").count()


def test_unknown_centre_answers_404(client, reference_data):
    assert client.get(reverse("regions:centre_detail", args=["atlantis"])).status_code == 404


def test_school_search_ignores_accents_and_case(client, reference_data):
    response = client.get(SCHOOLS, {"q": "KATHE kollwitz"})

    names = [school.name for school in response.context["page"].object_list]
    assert names
    assert all("Käthe" in name and "Kollwitz" in name for name in names)


def test_school_search_forgives_a_typo(client, reference_data):
    response = client.get(SCHOOLS, {"q": "Gymnasim"})

    assert response.context["page"].paginator.count > 0
    assert "Gymnasium" in response.context["page"].object_list[0].name


def test_school_search_filters_by_place_and_school_form(client, reference_data):
    response = client.get(SCHOOLS, {"place": "koln", "form": SchoolForm.GYMNASIUM})

    schools = list(response.context["page"].paginator.object_list)
    assert schools
    assert {school.form for school in schools} == {SchoolForm.GYMNASIUM}
    assert all("Köln" in school.place or "Köln" in school.municipality.name for school in schools)


def test_school_directory_shows_25_schools_per_page_and_links_the_next_page(client, reference_data):
    response = client.get(SCHOOLS, {"form": SchoolForm.PRIMARY, "page": 2})

    page = response.context["page"]
    assert page.number == 2
    assert len(page.object_list) == 25
    assert page.paginator.count == 2807
    assert "form=Grundschule&amp;page=3" in response.text


def test_school_search_answers_htmx_with_the_results_partial(client, reference_data):
    response = client.get(SCHOOLS, {"q": "goethe"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "<form" not in response.text
    assert "Goethe-Gymnasium" in response.text


def test_school_search_without_javascript_is_a_plain_get_form(client, reference_data):
    response = client.get(SCHOOLS)

    assert 'method="get"' in response.text
    assert 'hx-get="' + SCHOOLS + '"' in response.text
    assert 'id="school-results"' in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"form": "Zauberschule"}, "Bitte wählen Sie eine Schulform aus der Liste."),
        ({"q": "a" * 101}, "Bitte geben Sie höchstens 100 Zeichen ein."),
        ({"page": "zwei"}, "Die Seitenzahl muss eine ganze Zahl sein."),
        ({"page": "0"}, "Die Seitenzahl muss 1 oder größer sein."),
        ({"page": "9999"}, "Eine Seite 9999 gibt es nicht: Die Ergebnisse umfassen 217 Seiten."),
    ],
)
def test_school_search_answers_bad_input_with_a_clear_message(client, reference_data, params, message):
    response = client.get(SCHOOLS, params)

    assert response.status_code == 200
    assert message in response.text
    assert response.context["page"] is None


def test_school_page_shows_the_school_and_its_centre(client, reference_data):
    response = client.get(reverse("regions:school_detail", args=["100020"]))

    assert response.status_code == 200
    assert "Kartause-Hain-Schule" in response.text
    assert reverse("regions:centre_detail", args=["duesseldorf"]) in response.text
    assert "Unterrather Str. 76" in response.text


def test_school_page_credits_openstreetmap_for_geocoded_coordinates(client, reference_data):
    school = School.objects.filter(coordinates_source__contains="OSM").first()
    assert school is not None

    response = client.get(reverse("regions:school_detail", args=[school.number]))

    assert "OpenStreetMap" in response.text


def test_unknown_school_answers_404(client, reference_data):
    assert client.get(reverse("regions:school_detail", args=["000000"])).status_code == 404
