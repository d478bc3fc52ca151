# mypy: disable-error-code="attr-defined, arg-type, union-attr"
from __future__ import annotations

import pytest
from django.urls import reverse

from ankommen.accounts.models import Role
from ankommen.network.models import PartnerContact
from ankommen.network.tests.factories import OrganisationFactory, partner_contact
from ankommen.volunteering import selectors, services
from ankommen.volunteering.models import RequestStatus, SupportRequest
from ankommen.volunteering.tests.factories import postcode_of, volunteer_in

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "activity": "accompaniment",
        "language_0": "ar",
        "postcode": "50667",
        "expected_duration": "weeks",
        "involves_minors": "on",
        "description": "Familie mit zwei Kindern sucht Begleitung zum Jobcenter",
        "day_1": ["0"],
        "family_consented": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def organisation(centre):
    postcode_of(centre)
    return OrganisationFactory(centre=centre, name="Flüchtlingshilfe Nippes")


def test_a_partner_opens_a_request_and_sees_its_status_and_staff_see_who_created_it(
    login, organisation, centre, staff, staff_client
):
    contact = partner_contact(organisation)
    client = login(contact)
    url = reverse("volunteering:partner_request_create")
    assert client.get(url).status_code == 200
    assert client.post(url, _form()).status_code == 302
    support = SupportRequest.objects.for_centre(centre).get()
    assert (support.partner, support.partner_organisation) == (organisation, "Flüchtlingshilfe Nippes")
    assert (support.person, support.family) == (None, None)
    assert support.partner_confirmed_consent
    assert support.created_by == contact
    assert (support.activity, support.languages, support.involves_minors) == ("accompaniment", ["ar"], True)
    assert support.status == RequestStatus.OPEN
    # The centre matches it like any other request.
    volunteer_in(centre, languages={"ar": "native"}, activities=["accompaniment"], availability=0b1000)
    assert selectors.suggestions_for(centre=centre, request=support) == []  # minors: no clearance yet
    detail = staff_client.get(reverse("volunteering:request_detail", args=[support.pk])).content.decode()
    assert contact.display_name in detail
    assert "Flüchtlingshilfe Nippes" in detail
    services.support_request_close(centre=centre, by=staff, request=support, reason="no_volunteer")
    listing = client.get(reverse("volunteering:partner_request_list")).content.decode()
    assert f"#{support.pk}" in listing
    assert "keine ehrenamtliche Person gefunden" in listing or "no volunteer found" in listing


def test_without_the_familys_consent_or_with_a_long_description_nothing_is_stored(login, organisation, centre):
    client = login(partner_contact(organisation))
    url = reverse("volunteering:partner_request_create")
    refused = client.post(url, _form(family_consented=""))
    assert refused.status_code == 400
    assert "Bitte bestätigen Sie, dass die Familie" in refused.content.decode()
    assert client.post(url, _form(description="x" * 301)).status_code == 400
    assert not SupportRequest.objects.for_centre(centre).exists()


def test_a_partner_sees_only_their_own_organisations_requests(login, organisation, centre, staff):
    other = OrganisationFactory(centre=centre, name="Moscheegemeinde")
    services.support_request_create_by_partner(
        organisation=other,
        by=partner_contact(other),
        activity="leisure",
        postcode="50667",
        expected_duration="once",
        family_consented=True,
    )
    client = login(partner_contact(organisation))
    page = client.get(reverse("volunteering:partner_request_list")).content.decode()
    assert "Moscheegemeinde" not in page
    assert "noch keine Anfrage" in page or "not sent any request" in page


def test_a_deactivated_contact_and_other_roles_cannot_open_requests(login, make_member, organisation, centre):
    contact = partner_contact(organisation)
    PartnerContact.objects.for_centre(centre).filter(user=contact).update(is_active=False)
    url = reverse("volunteering:partner_request_create")
    assert login(contact).post(url, _form()).status_code == 403
    assert login(make_member(Role.CENTRE_STAFF, centre=centre)).post(url, _form()).status_code == 403
    assert not SupportRequest.objects.for_centre(centre).exists()
