"""Named participants of network meetings (contact persons or a name with an organisation), the minutes, the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.core.models import AccessLogEntry
from ankommen.core.tests.form_fields import opened_version
from ankommen.network import services
from ankommen.network.models import Contact, Meeting, MeetingPerson
from ankommen.network.tests.factories import OrganisationFactory, partner_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(centre):
    return Meeting.objects.create(centre=centre, title="Netzwerktreffen Süd", date=datetime.date(2026, 5, 4))


def test_staff_add_a_contact_person_and_a_guest_shown_on_the_page_and_in_the_minutes(staff_client, centre, meeting):
    awo = OrganisationFactory(centre=centre, name="AWO Süd")
    contact = Contact.objects.create(centre=centre, organisation=awo, name="Frau Yilmaz")
    url = reverse("network:meeting_person_add", args=[meeting.pk])
    assert staff_client.post(url, {"person-contact": str(contact.pk)}).status_code == 302
    response = staff_client.post(url, {"person-name": "Herr Gast", "person-organisation_name": "Stadtteilbüro"})
    assert response.status_code == 302
    page = staff_client.get(reverse("network:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Frau Yilmaz (AWO Süd)" in page
    assert "Herr Gast (Stadtteilbüro)" in page
    assert AccessLogEntry.objects.filter(record_type="network.meetingperson", action="list").exists()
    pdf = staff_client.get(reverse("network:meeting_minutes_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_minutes_template_names_every_participant(staff, centre, meeting):
    from django.template.loader import render_to_string

    from ankommen.network import selectors

    organisation = OrganisationFactory(centre=centre, name="Caritas")
    services.meeting_person_add(meeting=meeting, by=staff, name="Frau Neu", organisation=organisation)
    scoped = selectors.meeting_of_centre(centre=centre, meeting_id=meeting.pk)
    html = render_to_string(
        "network/meetings/minutes_pdf.html",
        {"meeting": scoped, "persons": selectors.persons_of_meeting(meeting=meeting), "decisions": []},
    )
    assert "Frau Neu" in html
    assert "Caritas" in html


def test_a_participant_is_a_contact_or_a_name_never_both_nor_another_centres(staff, centre, other_centre, meeting):
    contact = Contact.objects.create(centre=centre, organisation=OrganisationFactory(centre=centre), name="A")
    with pytest.raises(ValidationError):
        services.meeting_person_add(meeting=meeting, by=staff, contact=contact, name="B")
    with pytest.raises(ValidationError):
        services.meeting_person_add(meeting=meeting, by=staff)
    with pytest.raises(ValidationError):
        services.meeting_person_add(
            meeting=meeting, by=staff, name="C", organisation=OrganisationFactory(centre=other_centre)
        )
    services.meeting_person_add(meeting=meeting, by=staff, contact=contact)
    with pytest.raises(ValidationError):
        services.meeting_person_add(meeting=meeting, by=staff, contact=contact)  # listed already
    assert MeetingPerson.objects.for_centre(centre).count() == 1


def test_remove_a_participant_and_another_centre_gets_404(
    staff_client, login, make_member, other_centre, staff, meeting
):
    person = services.meeting_person_add(meeting=meeting, by=staff, name="Herr Weg")
    stranger = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    assert stranger.post(reverse("network:meeting_person_remove", args=[person.pk])).status_code == 404
    assert stranger.get(reverse("network:meeting_minutes_pdf", args=[meeting.pk])).status_code == 404
    assert staff_client.post(reverse("network:meeting_person_remove", args=[person.pk])).status_code == 302
    assert not MeetingPerson.objects.for_centre(meeting.centre).exists()


def test_agenda_and_minutes_are_written_on_their_page(staff_client, meeting):
    url = reverse("network:meeting_edit", args=[meeting.pk])
    response = staff_client.post(
        url, {"agenda": "1. Sprachmittlung", "minutes": "Alle berichten.", **opened_version(staff_client, url)}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Alle berichten."


def _bearer(membership):
    _token, secret = api_token_create(membership=membership, name="t", expires_in_days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_api_lists_meetings_with_named_participants(client, staff, centre, meeting):
    services.meeting_person_add(meeting=meeting, by=staff, name="Herr Gast", organisation_name="Stadtteilbüro")
    headers = _bearer(MembershipFactory(user=UserFactory(), role=Role.CENTRE_STAFF, centre=centre))
    response = client.get("/api/v1/network/meetings", **headers)
    assert response.status_code == 200
    [item] = response.json()
    assert item["persons"] == [{"name": "Herr Gast", "organisation": "Stadtteilbüro", "contact_id": None}]


def test_partner_reads_and_changes_their_entry_through_the_api(client, centre):
    organisation = OrganisationFactory(centre=centre, name="Beratung Nord")
    link = partner_link(organisation)
    headers = _bearer(link.user.memberships.get(role=Role.PARTNER_CONTACT))
    assert client.get("/api/v1/network/partner/organisation", **headers).json()["name"] == "Beratung Nord"
    response = client.patch(
        "/api/v1/network/partner/organisation",
        {"opening_hours": "Mi 14–18 Uhr", "languages": ["ar", "de"]},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.languages == ["ar", "de"]
    refused = client.patch(
        "/api/v1/network/partner/organisation", {"languages": ["xx"]}, content_type="application/json", **headers
    )
    assert refused.status_code in {400, 422}
    staff_headers = _bearer(MembershipFactory(user=UserFactory(), role=Role.CENTRE_STAFF, centre=centre))
    assert client.get("/api/v1/network/partner/organisation", **staff_headers).status_code == 403
