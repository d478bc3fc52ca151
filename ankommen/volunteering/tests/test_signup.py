# mypy: disable-error-code="attr-defined, arg-type"
from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from ankommen.accounts.models import Membership, Role, User
from ankommen.accounts.tests.factories import UserFactory
from ankommen.core.tests.form_fields import opened_version
from ankommen.volunteering.forms import started_token
from ankommen.volunteering.models import Volunteer, VolunteerStatus
from ankommen.volunteering.tests.factories import postcode_of

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "display_name": "Amina Haddad",
        "email": "amina@example.org",
        "password": "ein-langes-Passwort-2026",
        "phone": "",
        "postcode": "50667",
        "radius_km": "10",
        "max_parallel": "2",
        "activities": ["homework_help", "interpreting"],
        "language_0": "ar",
        "level_0": "native",
        "language_1": "de",
        "level_1": "C1",
        "day_0": ["1", "2"],
        "day_5": ["0"],
        "consent": "on",
        # Opened ten seconds ago: a person's pace.
        "started": started_token(time.time() - 10),
    }
    data.update(overrides)
    return data


def _post(client, language, **overrides):
    with translation.override(language):
        url = reverse("volunteering:signup")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.post(url, _form(**overrides), HTTP_ACCEPT_LANGUAGE=language)


def test_sign_up_in_arabic_creates_an_inactive_account_and_mails_a_confirmation_link(
    client, centre, django_capture_on_commit_callbacks
):
    postcode_of(centre)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, "ar")
    assert response.status_code == 302
    volunteer = Volunteer.objects.for_centre(centre).get()
    assert volunteer.status == VolunteerStatus.UNCONFIRMED
    assert volunteer.languages == {"ar": "native", "de": "C1"}
    assert volunteer.availability == (1 << 1) | (1 << 2) | (1 << 15)
    assert volunteer.sign_up_language == "ar"
    assert not volunteer.user.is_active
    assert Membership.objects.get(user=volunteer.user).role == Role.VOLUNTEER
    [message] = mail.outbox
    with translation.override("ar"):
        assert message.subject == translation.gettext("Please confirm your e-mail address")
    assert message.subject != "Please confirm your e-mail address"
    link = re.search(r"http\S+", message.body).group(0)
    page = client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.AWAITING_VERIFICATION
    assert User.objects.get(pk=volunteer.user_id).is_active


def test_a_duplicate_e_mail_address_is_caught_with_a_helpful_message_and_nothing_is_written(client, centre):
    postcode_of(centre)
    UserFactory(email="amina@example.org")
    response = _post(client, "de")
    assert response.status_code == 400
    assert "Es gibt bereits ein Konto mit dieser E-Mail-Adresse" in response.content.decode()
    assert not Volunteer.objects.dangerously_unscoped().exists()


@pytest.mark.parametrize(
    ("overrides", "language", "message"),
    [
        ({"radius_km": "500"}, "ar", "يجب أن يكون نطاق المسافة بين 1 و 100 كم."),
        ({"radius_km": "0"}, "de", "Der Umkreis muss zwischen 1 und 100 km liegen."),
        ({"day_0": ["7"]}, "en", "Select a valid choice. 7 is not one of the available choices."),
        ({"day_0": [], "day_5": []}, "uk", "Будь ласка, виберіть принаймні один час тижня, коли ви доступні."),
        ({"max_parallel": "40"}, "tr", "Aynı anda 1 ile 10 arasında görev alabilirsiniz."),
        ({"consent": ""}, "fa", "بدون رضایت شما نمی‌توانیم اطلاعات شما را ذخیره کنیم."),
    ],
)
def test_impossible_values_are_refused_in_the_users_language_and_nothing_is_written(
    client, centre, overrides, language, message
):
    postcode_of(centre)
    response = _post(client, language, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Volunteer.objects.dangerously_unscoped().exists()
    assert not User.objects.filter(email="amina@example.org").exists()


def test_the_sign_up_page_runs_right_to_left_in_farsi(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    response = client.get(reverse("volunteering:signup"), HTTP_ACCEPT_LANGUAGE="fa")
    assert 'dir="rtl"' in response.content.decode()
    assert 'lang="fa"' in response.content.decode()


def test_an_invalid_confirmation_link_is_refused(client):
    response = client.get(reverse("volunteering:signup_confirm", kwargs={"token": "forged"}))
    assert response.status_code == 400


def test_the_volunteer_changes_their_profile_and_another_centres_postcode_is_refused_in_their_language(
    centre, other_centre, login
):
    from ankommen.volunteering.tests.factories import volunteer_in

    postcode_of(centre)
    postcode_of(other_centre, code="44135", latitude=51.51, longitude=7.47)
    volunteer = volunteer_in(centre, languages={"uk": "native"})
    client = login(volunteer.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    url = reverse("volunteering:profile_edit")
    data = {
        "phone": "",
        "postcode": "50667",
        "radius_km": "25",
        "max_parallel": "3",
        "activities": ["leisure"],
        "language_0": "uk",
        "level_0": "native",
        "day_6": ["2"],
    }
    assert client.post(url, {**data, **opened_version(client, url)}).status_code == 302
    volunteer.refresh_from_db()
    assert (volunteer.radius_km, volunteer.max_parallel, volunteer.activities) == (25, 3, ["leisure"])
    assert volunteer.availability == 1 << 20
    refused = client.post(url, {**data, "postcode": "44135", "radius_km": "5", **opened_version(client, url)})
    assert refused.status_code == 400
    assert "Цей поштовий індекс належить іншому центру інтеграції." in refused.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.radius_km == 25


def test_a_script_filling_the_hidden_field_or_sending_at_once_stores_nothing(client, centre):
    postcode_of(centre)
    assert _post(client, "de", website="https://spam.example").status_code == 302
    too_fast = _post(client, "de", started=started_token())
    assert too_fast.status_code == 400
    assert "Das ging sehr schnell." in too_fast.content.decode()
    assert not Volunteer.objects.dangerously_unscoped().exists()
