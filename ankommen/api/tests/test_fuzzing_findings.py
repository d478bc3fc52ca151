"""What schemathesis found in the API (tests/fuzzing/test_api_schemathesis.py), each pinned by a test."""

import inspect
import pkgutil
from importlib import import_module

import pytest
from ninja import Schema

import ankommen
from ankommen.accounts.models import Role
from ankommen.api.paging import MAX_OFFSET, MAX_PAGE
from ankommen.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client(login, make_member, centre):
    return login(make_member(Role.CENTRE_LEAD, centre=centre))


def test_a_nul_character_in_a_query_is_a_422_in_german_not_a_500(lead_client):
    response = lead_client.get("/api/v1/people/", {"language": "de\x00"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 422
    assert response.json()["errors"]["language"] == [
        "Der Text enthält ein NUL-Zeichen (0x00), das nicht gespeichert werden kann."
    ]


def test_a_nul_character_in_a_body_is_a_422_and_writes_nothing(lead_client, centre):
    response = lead_client.post(
        "/api/v1/people/",
        {"given_names": "Ayşe\x00", "family_name": "Yılmaz", "nationalities": ["TR"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["given_names"]
    assert not Person.objects.for_centre(centre).exists()


PAGED = ["/api/v1/volunteering/volunteers", "/api/v1/schooling/intakes", "/api/v1/people/", "/api/v1/people/families/"]


@pytest.mark.parametrize("url", PAGED)
def test_an_offset_beyond_any_list_is_a_422_not_a_bigint_overflow(lead_client, url):
    assert lead_client.get(url, {"offset": str(10**22)}).status_code == 422
    assert lead_client.get(url, {"offset": str(MAX_OFFSET + 1)}).status_code == 422
    assert lead_client.get(url, {"offset": str(MAX_OFFSET)}).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_path_no_operation_matches_answers_json_404(lead_client, method):
    response = getattr(lead_client, method)("/api/v1/schooling/placement-runs/-1")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert set(response.json()) == {"detail", "errors"}


def test_every_operation_documents_the_error_answers_in_the_one_format(client):
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["components"]["schemas"]["Error"]["required"]) == {"detail", "errors"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("404", "422", "503"):
                answer = operation["responses"].get(status)
                assert answer, f"{method} {path} does not document {status}"


def test_times_of_day_are_documented_as_local_times_without_offset(client):
    text = client.get("/api/v1/openapi.json").content.decode()
    assert '"format": "time"' not in text
    assert '"format": "partial-time"' in text


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI names a component by its class name: two `FiguresOut` made two endpoints lie about their answer."""
    seen: dict[str, str] = {}
    for module_info in pkgutil.walk_packages(ankommen.__path__, "ankommen."):
        if module_info.name.rsplit(".", 1)[-1] != "api":
            continue
        module = import_module(module_info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) and value.__module__ == module.__name__:
                assert name not in seen, f"{name} in {module.__name__} and {seen[name]}"
                seen[name] = module.__name__
    assert {"VolunteeringFiguresOut", "WorkFiguresOut", "GrantFiguresOut"} <= set(seen)


@pytest.mark.parametrize("url", ["/api/v1/occupations", "/api/v1/schools"])
def test_a_page_number_beyond_any_list_is_a_422_not_a_bigint_overflow(client, url):
    assert client.get(url, {"page": str(10**20)}).status_code == 422
    assert client.get(url, {"page": str(MAX_PAGE)}).status_code == 200
