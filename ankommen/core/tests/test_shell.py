from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from ankommen.accounts.models import Role
from ankommen.core.context_processors import navigation, text_direction
from ankommen.people.models import Person
from ankommen.regions.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def html_tag(content: str) -> str:
    match = re.search(r"<html[^>]*>", content)
    assert match is not None
    return match.group(0)


def test_public_home_says_what_a_family_can_do_in_german_by_default(client):
    response = client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert html_tag(content) == '<html lang="de" dir="ltr">'
    assert 'href="#main"' in content
    assert 'id="main"' in content
    assert "kern-kopfzeile" in content
    assert "Willkommen bei Ankommen" in content


def test_public_home_in_english_after_switching_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    content = client.get("/").content.decode()
    assert html_tag(content) == '<html lang="en" dir="ltr">'
    assert "Welcome to Ankommen" in content


def test_language_switch_offers_the_configured_languages_with_a_label(client):
    content = client.get("/").content.decode()
    assert '<label class="kern-label kern-label--small" for="language-switch">' in content
    assert 'name="language"' in content
    assert 'value="de"' in content
    assert 'value="en"' in content
    assert 'action="/i18n/setlang/"' in content


def test_right_to_left_language_sets_the_direction():
    request = RequestFactory().get("/")
    with translation.override("ar"):
        assert navigation(request)["text_direction"] == "rtl"
    with translation.override("de"):
        assert navigation(request)["text_direction"] == "ltr"
    assert text_direction("fa-ir") == "rtl"
    assert text_direction("uk") == "ltr"


def test_centre_staff_sees_the_figures_of_their_own_centre_only(login, make_member, centre, other_centre):
    Person.objects.create(centre=centre, given_names="Olena", family_name="Test")
    Person.objects.create(centre=other_centre, given_names="Amir", family_name="Test")
    Person.objects.create(centre=other_centre, given_names="Karim", family_name="Test")
    client = login(make_member(Role.CENTRE_STAFF, centre=centre))

    response = client.get("/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "core/home_centre.html" in [template.name for template in response.templates]
    assert response.context["figures"].persons == 1
    assert centre.name in content
    assert other_centre.name not in content
    assert "Olena" not in content  # figures only, no names on the start page


def test_state_analyst_sees_the_table_of_all_centres(login, make_member, centre):
    CentreFactory()
    client = login(make_member(Role.STATE_ANALYST))
    response = client.get("/")
    assert response.status_code == 200
    assert "core/home_state.html" in [template.name for template in response.templates]
    assert len(response.context["table"].rows) == 2
    assert "Personen je 10.000 Einwohnerinnen und Einwohner" in response.content.decode()


def test_volunteer_gets_the_public_start_page_with_their_role(login, make_member, centre):
    client = login(make_member(Role.VOLUNTEER, centre=centre))
    response = client.get("/")
    assert response.templates[0].name == "core/home_public.html"
    assert "Ehrenamtliche" in response.content.decode() or "ehrenamtlich" in response.content.decode()


def test_logged_in_header_names_the_user_and_the_membership(login, staff):
    content = login(staff).get("/").content.decode()
    assert staff.display_name in content


def test_navigation_for_a_centre_role_shows_start_and_hides_the_public_directories(login, make_member, centre):
    client = login(make_member(Role.CENTRE_STAFF, centre=centre))
    items = client.get("/").context["navigation_items"]
    assert items[0].url == "/"
    assert items[0].is_current
    labels = [str(item.label) for item in items]
    assert "Protokoll" not in labels


def test_navigation_of_a_centre_lead_may_show_the_audit_log_and_staff_does_not(rf, make_member, centre):
    from ankommen.core.context_processors import navigation_entries

    lead = make_member(Role.CENTRE_LEAD, centre=centre).memberships.get()
    staff_membership = make_member(Role.CENTRE_STAFF, centre=centre).memberships.get()
    with translation.override("en"):
        assert "Audit log" in [str(label) for label, _ in navigation_entries(lead)]
        assert "Audit log" not in [str(label) for label, _ in navigation_entries(staff_membership)]
        public = navigation_entries(None)
        assert [str(label) for label, _ in public[:3]] == [
            "Centre directory",
            "School directory",
            "Register a child for school",
        ]
        public_pages = {name for _, name in public}
        # State users and school contacts see their own pages first, then what the modules add for them.
        state = navigation_entries(make_member(Role.STATE_ANALYST).memberships.get())
        assert [str(label) for label, _ in state[:2]] == ["Start", "Centres"]
        school = navigation_entries(make_member(Role.SCHOOL_CONTACT).memberships.get())
        assert [str(label) for label, _ in school[:3]] == ["Start", "Seats for newcomers", "Proposals"]
        assert {name for _, name in school[3:]} <= public_pages


def test_sources_page_shows_the_attribution_file(client, settings):
    response = client.get("/quellen/")
    assert response.status_code == 200
    attribution = (settings.BASE_DIR / "data" / "reference" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    first_line = next(line for line in attribution.splitlines() if line.strip())
    assert first_line.strip()[:30] in response.content.decode()


def test_accessibility_statement_is_honest_about_its_status(client):
    content = client.get("/barrierefreiheit/").content.decode()
    assert "BITV" in content
    assert "teilweise" in content


def test_footer_links_sources_api_docs_and_accessibility(client):
    content = client.get("/").content.decode()
    assert 'href="/quellen/"' in content
    assert 'href="/api/v1/docs/"' in content
    assert 'href="/barrierefreiheit/"' in content
    assert "Demo-Installation" in content


def test_unknown_page_answers_with_the_kern_404_page(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "kern-alert" in content
    assert "Seite nicht gefunden" in content


@pytest.mark.parametrize(
    ("template", "german"),
    [
        ("400.html", "Ungültige Anfrage"),
        ("403.html", "Zugriff verweigert"),
        ("403_csrf.html", "Das Formular ist abgelaufen"),
        ("404.html", "Seite nicht gefunden"),
        ("429.html", "Zu viele Versuche"),
        ("500.html", "Serverfehler"),
        ("503.html", "Vorübergehend nicht verfügbar"),
    ],
)
def test_error_pages_render_without_a_request_and_in_german(template, german):
    with translation.override("de"):
        content = render_to_string(template)
    assert german in content
    assert 'dir="ltr"' in content
    assert "kern-alert" in content


def test_error_pages_are_translated_to_english():
    with translation.override("en"):
        assert "Page not found" in render_to_string("404.html")


def test_messages_are_shown_as_kern_alerts(rf, staff):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    content = render_to_string(
        "core/partials/messages.html",
        {"messages": [Message(constants.ERROR, "Kaputt"), Message(constants.SUCCESS, "Gut")]},
    )
    assert "kern-alert--danger" in content
    assert "kern-alert--success" in content
    assert 'role="alert"' in content


def test_centre_lead_navigation_links_the_audit_log(login, make_member, centre):
    items = login(make_member(Role.CENTRE_LEAD, centre=centre)).get("/").context["navigation_items"]
    assert any(str(item.label) == "Protokoll" and item.url.startswith("/protokoll/") for item in items)


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER])
def test_every_page_in_a_state_users_navigation_opens_for_them(make_member, login, role):
    from django.urls import reverse

    from ankommen.core.context_processors import navigation_entries

    user = make_member(role)
    client = login(user)
    for _label, name in navigation_entries(user.memberships.get()):
        assert client.get(reverse(name)).status_code == 200, name
