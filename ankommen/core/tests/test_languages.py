"""Staff pages speak German or English; a family language chosen on a family page never leaks into them."""

import pytest
from django.conf import settings
from django.urls import reverse

from ankommen.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ar", "uk", "fa"])
def test_a_staff_page_answers_in_german_when_a_family_language_was_chosen(login, make_member, centre, language):
    client = login(make_member(Role.CENTRE_STAFF, centre=centre))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("schooling:intake_list"))
    assert response.status_code == 200
    assert '<html lang="de"' in response.content.decode()
    assert response["Content-Language"] == "de"


def test_a_staff_page_keeps_english(login, make_member, centre):
    client = login(make_member(Role.CENTRE_STAFF, centre=centre))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en"' in client.get(reverse("schooling:intake_list")).content.decode()


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_a_family_page_keeps_the_family_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = client.get(reverse("schooling:preregistration_form")).content.decode()
    assert f'<html lang="{language}"' in content
