# mypy: disable-error-code="attr-defined"

from __future__ import annotations

import ast
import datetime
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.people.models import Consent, Family, GuardianRelation, LegalBasis, Person, Purpose
from ankommen.people.tests.factories import PersonFactory, PostcodeFactory
from ankommen.regions.tests.factories import CentreFactory, RegionFactory
from ankommen.schooling import preregistration as registrations
from ankommen.schooling.forms_preregistration import started_token
from ankommen.schooling.models import Intake, IntakeStatus, PreRegistration, PreRegistrationStatus
from ankommen.schooling.tests.factories import IntakeFactory

pytestmark = pytest.mark.django_db

FAMILY_LANGUAGES = ["de", "en", "ar", "uk", "ru", "tr", "fa"]
URL = "/schule/anmeldung/"


@pytest.fixture
def cologne(db):
    region = RegionFactory(key="05315", name="Köln")
    centre = CentreFactory(region=region, slug="stadt-koeln", name="Kommunales Integrationszentrum Köln")
    PostcodeFactory(code="50667", places="Köln", region=region)
    return centre


@pytest.fixture
def aachen(db):
    region = RegionFactory(key=registrations.AACHEN_REGION_KEY, name="Städteregion Aachen")
    city = CentreFactory(region=region, slug=registrations.CITY_OF_AACHEN_CENTRE)
    city_region = CentreFactory(region=region, slug=registrations.CITY_REGION_AACHEN_CENTRE)
    PostcodeFactory(code="52062", places="Aachen", region=region)
    PostcodeFactory(code="52146", places="Würselen", region=region)
    return city, city_region


def family_client(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def submission(**overrides: str) -> dict[str, str]:
    data = {
        "guardian-TOTAL_FORMS": "2",
        "guardian-INITIAL_FORMS": "0",
        "guardian-MIN_NUM_FORMS": "1",
        "guardian-MAX_NUM_FORMS": "2",
        "guardian-0-given_names": "Олена",
        "guardian-0-family_name": "Коваленко",
        "guardian-0-given_names_latin": "Olena",
        "guardian-0-family_name_latin": "Kovalenko",
        "guardian-0-relation": "mother",
        "guardian-0-phone": "+49 221 1234567",
        "guardian-0-email": "",
        "child-TOTAL_FORMS": "5",
        "child-INITIAL_FORMS": "0",
        "child-MIN_NUM_FORMS": "1",
        "child-MAX_NUM_FORMS": "5",
        "child-0-given_names": "Марія",
        "child-0-family_name": "Коваленко",
        "child-0-given_names_latin": "Mariia",
        "child-0-family_name_latin": "Kovalenko",
        "child-0-birth_date": "2015-03-01",
        "child-0-gender": "female",
        "child-0-first_language": "uk",
        "child-0-other_language": "ru",
        "child-0-years_of_schooling": "3",
        "child-0-last_grade": "3",
        "child-0-schooling_country": "UA",
        "child-0-literate_in_latin_script": "no",
        "street": "Domstraße 1",
        "postcode": "50667",
        "place": "Köln",
        "arrived_on": "2025-09-01",
        "consent": "on",
        "website": "",
        "started": started_token(time.time() - 60),
    }
    data.update(overrides)
    return data


def second_child() -> dict[str, str]:
    return {
        "child-1-given_names": "Іван",
        "child-1-family_name": "Коваленко",
        "child-1-birth_date": "2011-07-15",
        "child-1-gender": "male",
        "child-1-first_language": "uk",
    }


class VisibleText(HTMLParser):
    """The text nodes inside <main>, without the options of selects (country and language names from Babel)."""

    def __init__(self) -> None:
        super().__init__()
        self.in_main = False
        self.skip_depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "main":
            self.in_main = True
        if tag in {"option", "script", "style"}:
            self.skip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.in_main = False
        if tag in {"option", "script", "style"}:
            self.skip_depth -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if self.in_main and not self.skip_depth and any(character.isalpha() for character in text):
            self.texts.append(text)


def visible_texts(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return set(parser.texts)


# Words that are the same in English and the other language, so their sameness proves nothing.
SAME_WORD = {"de": {"optional", "– optional"}}


@pytest.mark.parametrize("language", FAMILY_LANGUAGES)
def test_the_form_speaks_each_family_language_with_its_direction(language, cologne):
    response = family_client(language).get(URL)
    assert response.status_code == 200
    expected_direction = "rtl" if language in {"ar", "fa"} else "ltr"
    assert f'<html lang="{language}" dir="{expected_direction}">' in response.text
    # The header's switch offers all seven languages on a family page.
    for code in FAMILY_LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in response.text


def rendered_texts(language: str) -> set[str]:
    """The visible texts of the empty form and of the form answered with errors, in one language."""
    client = family_client(language)
    empty = client.get(URL).text
    with_errors = client.post(URL, submission(postcode="99999", consent="", **{"child-1-given_names": "X"})).text
    thanks = client.get(reverse("schooling:preregistration_thanks")).text
    return visible_texts(empty) | visible_texts(with_errors) | visible_texts(thanks)


@pytest.mark.parametrize("language", [code for code in FAMILY_LANGUAGES if code != "en"])
def test_no_english_or_german_text_is_left_on_the_family_pages(language, cologne):
    # A string without a translation shows in English (the msgid) or, through Django's fallback, in German.
    texts = rendered_texts(language)
    untranslated = (texts & rendered_texts("en")) - SAME_WORD.get(language, set())
    assert not untranslated, untranslated
    if language != "de":
        assert not texts & rendered_texts("de"), texts & rendered_texts("de")


def test_staff_pages_offer_only_the_staff_languages(staff_client, centre):
    response = staff_client.get(reverse("schooling:preregistration_list"))
    assert '<option value="de" lang="de"' in response.text
    assert '<option value="ar" lang="ar"' not in response.text


def test_a_submission_creates_one_preregistration_in_the_right_centre(cologne):
    client = family_client("uk")
    response = client.post(URL, submission(**second_child()))
    assert response.status_code == 302
    preregistration = PreRegistration.objects.dangerously_unscoped().get()
    assert preregistration.centre == cologne
    assert preregistration.language == "uk"
    assert preregistration.status == PreRegistrationStatus.NEW
    assert [child["given_names"] for child in preregistration.payload["children"]] == ["Марія", "Іван"]
    assert preregistration.payload["children"][0]["languages"] == ["uk", "ru"]
    assert preregistration.payload["children"][0]["literate_in_latin_script"] is False
    assert len(preregistration.payload["guardians"]) == 1
    # Nothing personal in the address the family is sent to.
    assert response.url == reverse("schooling:preregistration_thanks")
    thanks = client.get(response.url)
    with translation.override("uk"):
        assert gettext("Thank you for your registration") in thanks.text
    assert cologne.name in thanks.text


@pytest.mark.parametrize(("postcode", "slug"), [("52062", "stadt-aachen"), ("52146", "staedteregion-aachen")])
def test_aachen_postcodes_go_to_the_city_or_the_city_region(aachen, postcode, slug):
    response = family_client("de").post(URL, submission(postcode=postcode, place="Aachen"))
    assert response.status_code == 302
    assert PreRegistration.objects.dangerously_unscoped().get().centre.slug == slug


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"postcode": "99999"}, "We do not know this postcode in North Rhine-Westphalia. Please check it."),
        (
            {"child-0-birth_date": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()},
            "The date of birth cannot be in the future.",
        ),
        ({"consent": ""}, "This field is required."),
        (
            {"guardian-0-phone": "", "guardian-0-email": ""},
            "Please give a phone number or an e-mail address, so that we can reach you.",
        ),
    ],
)
@pytest.mark.parametrize("language", ["ar", "uk", "fa"])
def test_bad_input_answers_in_the_familys_language_and_writes_nothing(cologne, overrides, message, language):
    response = family_client(language).post(URL, submission(**overrides))
    assert response.status_code == 400
    with translation.override(language):
        translated = gettext(message)
    assert translated != message
    assert escape(translated) in response.text
    assert 'aria-invalid="true"' in response.text or "kern-error" in response.text
    assert not PreRegistration.objects.dangerously_unscoped().exists()


def test_the_honeypot_shows_the_confirmation_and_stores_nothing(cologne):
    response = family_client("de").post(URL, submission(website="https://spam.example"))
    assert response.status_code == 302
    assert not PreRegistration.objects.dangerously_unscoped().exists()


def test_a_form_sent_faster_than_a_person_can_type_is_refused(cologne):
    response = family_client("de").post(URL, submission(started=started_token()))
    assert response.status_code == 400
    assert not PreRegistration.objects.dangerously_unscoped().exists()


def test_a_forged_start_time_is_refused(cologne):
    response = family_client("de").post(URL, submission(started="123"))
    assert response.status_code == 400
    assert not PreRegistration.objects.dangerously_unscoped().exists()


def test_the_rtl_page_keeps_phone_and_postcode_left_to_right(cologne):
    response = family_client("ar").get(URL)
    assert 'dir="ltr"' in response.text
    assert 'name="guardian-0-phone"' in response.text
    assert 'name="guardian-0-given_names" dir="auto"' in response.text or 'dir="auto"' in response.text


# Staff side ------------------------------------------------------------------------------------------------


def submitted(centre, **payload_overrides) -> PreRegistration:
    payload = {
        "guardians": [
            {
                "given_names": "Олена",
                "family_name": "Коваленко",
                "given_names_latin": "Olena",
                "family_name_latin": "Kovalenko",
                "relation": "mother",
                "phone": "+49 221 1234567",
                "email": "",
            }
        ],
        "children": [
            {
                "given_names": "Марія",
                "family_name": "Коваленко",
                "given_names_latin": "Mariia",
                "family_name_latin": "Kovalenko",
                "birth_date": "2015-03-01",
                "gender": "female",
                "languages": ["uk"],
                "years_of_schooling": 3,
                "last_grade": 3,
                "schooling_country": "UA",
                "literate_in_latin_script": False,
            },
            {
                "given_names": "Іван",
                "family_name": "Коваленко",
                "given_names_latin": "",
                "family_name_latin": "",
                "birth_date": "2011-07-15",
                "gender": "male",
                "languages": ["uk"],
                "years_of_schooling": None,
                "last_grade": None,
                "schooling_country": "",
                "literate_in_latin_script": None,
            },
        ],
        "address": {"street": "Domstraße 1", "postcode": "50667", "place": "Köln"},
        "arrived_on": "2025-09-01",
        "consent": {"purpose": "school_placement"},
    }
    payload.update(payload_overrides)
    return registrations.preregistration_submit(centre=centre, language="uk", payload=payload)


def counts(centre) -> tuple[int, ...]:
    return (
        Family.objects.for_centre(centre).count(),
        Person.objects.for_centre(centre).count(),
        GuardianRelation.objects.for_centre(centre).count(),
        Consent.objects.for_centre(centre).count(),
        Intake.objects.for_centre(centre).count(),
    )


@pytest.fixture
def home(cologne):
    return cologne


@pytest.fixture
def home_staff(make_member, home):
    return make_member(Role.CENTRE_STAFF, centre=home)


@pytest.fixture
def home_client(login, home_staff):
    return login(home_staff)


def test_the_list_shows_the_centres_new_preregistrations_and_logs_them(home_client, home_staff, home):
    mine = submitted(home)
    submitted(CentreFactory())
    response = home_client.get(reverse("schooling:preregistration_list"))
    assert response.status_code == 200
    assert "Коваленко" in response.text
    logged = AccessLogEntry.objects.filter(user=home_staff, action=AccessAction.LIST)
    assert list(logged.values_list("record_id", flat=True)) == [str(mine.pk)]


def test_accepting_creates_family_persons_relations_consents_and_intakes(home_client, home_staff, home):
    preregistration = submitted(home)
    response = home_client.post(
        reverse("schooling:preregistration_detail", args=[preregistration.pk]),
        {"guardian-0": "new", "child-0": "new", "child-1": "new"},
    )
    assert response.status_code == 302
    family = Family.objects.for_centre(home).get()
    persons = Person.objects.for_centre(home)
    assert persons.count() == 3
    assert set(persons.values_list("family", flat=True)) == {family.pk}
    mother = persons.get(given_names="Олена")
    assert mother.phone == "+49 221 1234567"
    assert GuardianRelation.objects.for_centre(home).filter(guardian=mother).count() == 2
    consents = Consent.objects.for_centre(home)
    assert consents.count() == 3
    assert set(consents.values_list("purpose", "legal_basis")) == {(Purpose.SCHOOL_PLACEMENT, LegalBasis.CONSENT)}
    intakes = Intake.objects.for_centre(home).order_by("child__birth_date")
    assert [intake.child.given_names for intake in intakes] == ["Іван", "Марія"]
    assert intakes[1].years_of_schooling == 3
    assert intakes[1].schooling_country == "UA"
    assert intakes[1].literate_in_latin_script is False
    assert {intake.status for intake in intakes} == {IntakeStatus.REGISTERED}
    preregistration.refresh_from_db()
    assert preregistration.status == PreRegistrationStatus.ACCEPTED
    assert preregistration.decided_by == home_staff
    assert all(intake.preregistration_id == preregistration.pk for intake in intakes)


def test_likely_duplicates_are_shown_and_a_known_person_is_reused(home_client, home):
    known = PersonFactory(
        centre=home, given_names="Марія", family_name="Коваленко", birth_date=datetime.date(2015, 3, 1)
    )
    preregistration = submitted(home)
    url = reverse("schooling:preregistration_detail", args=[preregistration.pk])
    page = home_client.get(url)
    assert f'value="{known.pk}"' in page.text
    assert reverse("people:person_detail", args=[known.pk]) in page.text
    # With a possible duplicate, staff must decide.
    undecided = home_client.post(url, {"guardian-0": "new", "child-1": "new"})
    assert undecided.status_code == 400
    assert not Intake.objects.for_centre(home).exists()
    home_client.post(url, {"guardian-0": "new", "child-0": str(known.pk), "child-1": "new"})
    assert Person.objects.for_centre(home).count() == 3
    assert Intake.objects.for_centre(home).filter(child=known).exists()


def test_a_failure_midway_through_accepting_writes_nothing(home_client, home):
    known = PersonFactory(
        centre=home, given_names="Іван", family_name="Коваленко", birth_date=datetime.date(2011, 7, 15)
    )
    IntakeFactory(child=known)  # an open intake: a second one is refused after the family and persons exist
    preregistration = submitted(home)
    before = counts(home)
    response = home_client.post(
        reverse("schooling:preregistration_detail", args=[preregistration.pk]),
        {"guardian-0": "new", "child-0": "new", "child-1": str(known.pk)},
    )
    assert response.status_code == 400
    assert counts(home) == before
    preregistration.refresh_from_db()
    assert preregistration.status == PreRegistrationStatus.NEW


def test_rejecting_needs_a_reason_and_creates_nothing(home_client, home_staff, home):
    preregistration = submitted(home)
    url = reverse("schooling:preregistration_reject", args=[preregistration.pk])
    assert home_client.post(url, {"reason": ""}).status_code == 400
    response = home_client.post(url, {"reason": "Test submission"})
    assert response.status_code == 302
    preregistration.refresh_from_db()
    assert preregistration.status == PreRegistrationStatus.REJECTED
    assert preregistration.decision_reason == "Test submission"
    assert counts(home) == (0, 0, 0, 0, 0)
    # A decided pre-registration cannot be accepted afterwards.
    home_client.post(reverse("schooling:preregistration_detail", args=[preregistration.pk]), {"guardian-0": "new"})
    assert counts(home) == (0, 0, 0, 0, 0)


def test_the_detail_is_access_logged(home_client, home_staff, home):
    preregistration = submitted(home)
    home_client.get(reverse("schooling:preregistration_detail", args=[preregistration.pk]))
    entry = AccessLogEntry.objects.get(user=home_staff, action=AccessAction.VIEW)
    assert entry.record_id == str(preregistration.pk)
    assert entry.record_type == "schooling.preregistration"


@pytest.mark.parametrize("name", ["schooling:preregistration_detail", "schooling:preregistration_reject"])
def test_another_centres_staff_get_404_and_change_nothing(login, make_member, home, name):
    preregistration = submitted(home)
    stranger = login(make_member(Role.CENTRE_STAFF, centre=CentreFactory()))
    url = reverse(name, args=[preregistration.pk])
    assert stranger.get(url).status_code == 404
    assert (
        stranger.post(url, {"guardian-0": "new", "child-0": "new", "child-1": "new", "reason": "x"}).status_code == 404
    )
    preregistration.refresh_from_db()
    assert preregistration.status == PreRegistrationStatus.NEW
    assert counts(home) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER])
def test_state_roles_get_403_and_change_nothing(login, make_member, home, role):
    preregistration = submitted(home)
    client = login(make_member(role))
    assert client.get(reverse("schooling:preregistration_list")).status_code == 403
    url = reverse("schooling:preregistration_detail", args=[preregistration.pk])
    assert client.post(url, {"guardian-0": "new", "child-0": "new", "child-1": "new"}).status_code == 403
    preregistration.refresh_from_db()
    assert preregistration.status == PreRegistrationStatus.NEW
    assert counts(home) == (0, 0, 0, 0, 0)


# Catalogues ------------------------------------------------------------------------------------------------

SCHOOLING = Path(__file__).resolve().parents[1]
FAMILY_SOURCES = (
    "templates/schooling/preregistration/form.html",
    "templates/schooling/preregistration/thanks.html",
    "templates/schooling/preregistration/_field.html",
    "templates/schooling/preregistration/_child.html",
    "templates/schooling/letters/",
    "forms_preregistration.py",
)
# Strings of forms_preregistration.py that only staff see (the accept and reject forms).
STAFF_ONLY = {
    "Reason",
    "For the centre's records; the family is not shown this text.",
    "New person",
    "Same person as %(name)s",
}


def family_entries(language: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every entry used on a family page or in a family letter."""
    text = (SCHOOLING / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        lines = block.strip().splitlines()
        locations = " ".join(line[3:] for line in lines if line.startswith("#: "))
        is_plural = any(line.startswith("msgid_plural") for line in lines)
        if is_plural or not any(source in locations for source in FAMILY_SOURCES):
            continue
        strings: dict[str, str] = {}
        key = ""
        for line in lines:
            if line.startswith(("msgid ", "msgstr ")):
                key, value = line.split(" ", 1)
                strings[key] = ast.literal_eval(value)
            elif line.startswith('"') and key:
                strings[key] += ast.literal_eval(line)
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        if strings.get("msgid") and strings["msgid"] not in STAFF_ONLY:
            entries.append((strings["msgid"], strings.get("msgstr", ""), fuzzy))
    return entries


@pytest.mark.parametrize("language", ["de", "ar", "uk", "ru", "tr", "fa"])
def test_every_family_string_is_translated_in_each_family_language(language):
    entries = family_entries(language)
    assert len(entries) > 80
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert not missing, missing
    # Placeholders survive the translation.
    for msgid, msgstr, _fuzzy in entries:
        assert set(re.findall(r"%\(\w+\)s", msgid)) == set(re.findall(r"%\(\w+\)s", msgstr)), msgid
