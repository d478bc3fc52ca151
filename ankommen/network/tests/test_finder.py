import pytest
from django.urls import reverse

from ankommen.network import services
from ankommen.network.models import OrganisationKind, ServiceCategory
from ankommen.network.tests.factories import OrganisationFactory, ServiceFactory
from ankommen.regions.models import Postcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def postcodes(centre):
    for code, lat, lon in [("50667", 50.9385, 6.9561), ("50733", 50.9610, 6.9510), ("51149", 50.9100, 7.0600)]:
        Postcode.objects.update_or_create(
            code=code, defaults={"places": "Köln", "region": centre.region, "latitude": lat, "longitude": lon}
        )


def test_finder_lists_services_in_the_language_nearest_first(client, centre, other_centre, postcodes):
    far = OrganisationFactory(centre=centre, name="Ferne Stelle", latitude=50.9100, longitude=7.0600, languages=["ar"])
    near = OrganisationFactory(
        centre=other_centre, name="Nahe Stelle", latitude=50.9610, longitude=6.9510, languages=["ar", "de"]
    )
    german_only = OrganisationFactory(centre=centre, name="Nur Deutsch", languages=["de"])
    hidden = OrganisationFactory(centre=centre, name="Nicht gelistet", languages=["ar"], is_listed=False)
    for organisation in (far, near, german_only, hidden):
        ServiceFactory(organisation=organisation, name=f"Beratung {organisation.name}")
    ServiceFactory(organisation=near, category=ServiceCategory.LANGUAGE_COURSE, name="Sprachkurs am Abend")
    response = client.post(
        reverse("network:finder"), {"category": "family_counselling", "language": "ar", "postcode": "50667"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Beratung Nahe Stelle") < content.index("Beratung Ferne Stelle")
    for absent in ("Nur Deutsch", "Nicht gelistet", "Sprachkurs am Abend"):
        assert absent not in content
    assert "km" in content


def test_a_service_language_overrides_the_organisations(client, centre, postcodes):
    organisation = OrganisationFactory(centre=centre, languages=["de"])
    ServiceFactory(organisation=organisation, name="Ukrainisch sprechende Beratung", languages=["uk"])
    content = client.post(reverse("network:finder"), {"language": "uk"}).content.decode()
    assert "Ukrainisch sprechende Beratung" in content


def test_a_wrong_postcode_is_explained_and_nothing_is_searched(client):
    response = client.post(reverse("network:finder"), {"postcode": "12ab"})
    assert response.status_code == 400
    assert "fünf Ziffern" in response.content.decode() or "five digits" in response.content.decode()


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("uk", "ltr"), ("tr", "ltr")])
def test_the_finder_speaks_the_family_languages(client, language, direction):
    client.cookies["django_language"] = language
    content = client.get(reverse("network:finder")).content.decode()
    assert f'lang="{language}"' in content
    assert f'dir="{direction}"' in content
    assert "Find help nearby" not in content  # translated
    assert "Hilfe in der Nähe" not in content


def test_the_postcode_is_never_part_of_a_url(client, centre, postcodes):
    content = client.get(reverse("network:finder")).content.decode()
    assert 'method="post"' in content


def test_organisation_coordinates_come_from_the_postcode_and_welfare_associations_are_named(staff, centre, postcodes):
    from django.core.exceptions import ValidationError

    organisation = services.organisation_create(
        centre=centre,
        by=staff,
        name="Caritas Köln",
        kind=OrganisationKind.WELFARE_ASSOCIATION,
        welfare_association="caritas",
        postcode="50733",
        place="Köln",
        languages=["ar", "de", "ar"],
    )
    assert (organisation.latitude, organisation.longitude) == (50.9610, 6.9510)
    assert organisation.languages == ["ar", "de"]
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            centre=centre,
            by=staff,
            name="Ohne Verband",
            kind=OrganisationKind.WELFARE_ASSOCIATION,
            postcode="50667",
            place="Köln",
        )
    assert "welfare_association" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            centre=centre, by=staff, name="Unbekannte PLZ", kind=OrganisationKind.OTHER, postcode="99999", place="X"
        )
    assert "postcode" in error.value.message_dict
