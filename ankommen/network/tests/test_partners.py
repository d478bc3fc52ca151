"""The partner portal: staff invite a person of an organisation, who then keeps that organisation's entry."""

import pytest
from django.core import mail
from django.urls import reverse

from ankommen.accounts.models import Membership, Role
from ankommen.accounts.tests.factories import UserFactory
from ankommen.core.tests.form_fields import opened_version
from ankommen.network import services
from ankommen.network.models import Organisation, PartnerContact, Service
from ankommen.network.navigation import navigation_entries
from ankommen.network.partners import partner_organisation
from ankommen.network.tests.factories import OrganisationFactory, ServiceFactory, partner_contact, partner_link

pytestmark = pytest.mark.django_db


def test_staff_invite_creates_the_login_role_and_link_and_mails_a_password_link(
    staff_client, centre, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(centre=centre, name="Beratungsstelle Ost")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("network:partner_invite", args=[organisation.pk]),
            {"email": "Leitung@Beratung.example", "name": "Frau Leitung"},
        )
    assert response.status_code == 302
    contact = PartnerContact.objects.for_centre(centre).get(organisation=organisation)
    assert contact.user.email == "leitung@beratung.example"
    assert contact.user.display_name == "Frau Leitung"
    assert not contact.user.has_usable_password()
    assert Membership.objects.filter(user=contact.user, role=Role.PARTNER_CONTACT, centre=centre, is_active=True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["leitung@beratung.example"]
    assert "/konto/passwort/neu/" in mail.outbox[0].body or "passwort" in mail.outbox[0].body
    assert "Beratungsstelle Ost" in mail.outbox[0].subject
    assert contact.events.count() == 1  # history row  # type: ignore[attr-defined]
    page = staff_client.get(reverse("network:organisation_detail", args=[organisation.pk]))
    assert "leitung@beratung.example" in page.content.decode()


def test_invite_reuses_an_existing_user_and_reactivates_a_deactivated_link(staff, centre):
    organisation = OrganisationFactory(centre=centre)
    existing = UserFactory(email="bekannt@example.org")
    contact = services.partner_invite(organisation=organisation, by=staff, email="bekannt@example.org")
    assert contact.user == existing
    services.partner_deactivate(contact=contact, by=staff)
    assert partner_organisation(user=existing, centre=centre) is None
    assert not Membership.objects.get(user=existing, role=Role.PARTNER_CONTACT).is_active
    again = services.partner_invite(organisation=organisation, by=staff, email="bekannt@example.org")
    assert again.pk == contact.pk
    assert again.is_active
    assert partner_organisation(user=existing, centre=centre) == organisation
    assert Membership.objects.get(user=existing, role=Role.PARTNER_CONTACT).is_active


def test_deactivation_from_the_organisation_page_closes_the_portal(staff_client, login, centre):
    organisation = OrganisationFactory(centre=centre)
    contact = partner_link(organisation)
    partner = contact.user
    assert login(partner).get(reverse("network:partner_home")).status_code == 200
    response = staff_client.post(reverse("network:partner_deactivate", args=[organisation.pk, contact.pk]))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert not contact.is_active
    # The membership has ended with the last link: the portal is closed.
    assert login(partner).get(reverse("network:partner_home")).status_code == 403


def test_deactivating_another_organisations_link_is_not_found(staff_client, centre):
    organisation = OrganisationFactory(centre=centre)
    elsewhere = OrganisationFactory(centre=centre)
    contact = partner_link(elsewhere)
    response = staff_client.post(reverse("network:partner_deactivate", args=[organisation.pk, contact.pk]))
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.is_active


def test_partner_sees_and_edits_only_their_own_organisation(login, centre):
    own = OrganisationFactory(centre=centre, name="Eigene Beratung", languages=["de"])
    ServiceFactory(organisation=own, name="Eigene Sprechstunde")
    other = OrganisationFactory(centre=centre, name="Fremde Beratung")
    ServiceFactory(organisation=other, name="Fremde Sprechstunde")
    client = login(partner_contact(own))
    page = client.get(reverse("network:partner_home")).content.decode()
    assert "Eigene Beratung" in page
    assert "Eigene Sprechstunde" in page
    assert "Fremde" not in page
    response = client.post(
        reverse("network:partner_entry_edit"),
        {
            "opening_hours": "Di 10–14 Uhr",
            "languages": ["ar", "de"],
            "phone": "0221 123",
            **opened_version(client, reverse("network:partner_entry_edit")),
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.opening_hours == "Di 10–14 Uhr"
    assert own.languages == ["ar", "de"]
    assert own.name == "Eigene Beratung"
    assert own.postcode == "50667"


def test_partner_cannot_change_what_the_centre_keeps(staff, centre):
    organisation = OrganisationFactory(centre=centre)
    with pytest.raises(TypeError):
        services.partner_entry_update(organisation=organisation, by=staff, name="Umbenannt")
    with pytest.raises(TypeError):
        services.partner_entry_update(organisation=organisation, by=staff, is_listed=False)


def test_partner_manages_own_services_and_never_another_organisations(login, centre):
    own = OrganisationFactory(centre=centre)
    other = OrganisationFactory(centre=centre)
    foreign_service = ServiceFactory(organisation=other, name="Fremd")
    client = login(partner_contact(own))
    response = client.post(
        reverse("network:partner_service_create"), {"category": "legal_advice", "name": "Rechtsberatung"}
    )
    assert response.status_code == 302
    created = Service.objects.for_centre(centre).get(organisation=own, name="Rechtsberatung")
    response = client.post(
        reverse("network:partner_service_edit", args=[created.pk]),
        {
            "category": "legal_advice",
            "name": "Aufenthaltsrecht",
            "languages": ["fa"],
            **opened_version(client, reverse("network:partner_service_edit", args=[created.pk])),
        },
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.name, created.languages) == ("Aufenthaltsrecht", ["fa"])
    for name in ("network:partner_service_edit", "network:partner_service_remove"):
        assert (
            client.post(reverse(name, args=[foreign_service.pk]), {"name": "x", "category": "other"}).status_code == 404
        )
    foreign_service.refresh_from_db()
    assert foreign_service.name == "Fremd"
    assert client.post(reverse("network:partner_service_remove", args=[created.pk])).status_code == 302
    assert not Service.objects.for_centre(centre).filter(pk=created.pk).exists()


def test_another_centres_organisation_and_service_answer_404(login, centre, other_centre):
    own = OrganisationFactory(centre=centre)
    foreign = ServiceFactory(organisation=OrganisationFactory(centre=other_centre))
    client = login(partner_contact(own))
    assert client.get(reverse("network:partner_service_edit", args=[foreign.pk])).status_code == 404
    # Staff pages stay closed to partners.
    assert client.get(reverse("network:organisation_detail", args=[own.pk])).status_code == 403


def test_partner_role_without_an_active_link_is_refused(login, make_member, centre):
    user = make_member(Role.PARTNER_CONTACT, centre=centre)
    assert login(user).get(reverse("network:partner_home")).status_code == 403
    assert partner_organisation(user=user, centre=centre) is None


def test_a_link_in_another_centre_does_not_count(centre, other_centre):
    user = partner_contact(OrganisationFactory(centre=other_centre))
    assert partner_organisation(user=user, centre=centre) is None
    assert isinstance(partner_organisation(user=user, centre=other_centre), Organisation)


def test_partner_navigation_leads_to_the_portal(centre):
    user = partner_contact(OrganisationFactory(centre=centre))
    membership = user.memberships.get()
    assert ("network:partner_home") in [name for _label, name in navigation_entries(membership)]
