import datetime

import pytest
from django.urls import reverse

from ankommen.core.models import AccessLogEntry
from ankommen.network.models import Referral, ReferralOutcome
from ankommen.network.tests.factories import OrganisationFactory, ServiceFactory
from ankommen.people.models import Consent, LegalBasis, Purpose
from ankommen.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(centre):
    return PersonFactory(centre=centre)


@pytest.fixture
def service(centre):
    return ServiceFactory(organisation=OrganisationFactory(centre=centre))


def test_referral_without_consent_is_refused_and_with_consent_recorded(staff_client, staff, centre, person, service):
    url = reverse("network:referral_create", args=[person.pk])
    data = {"service": str(service.pk), "referred_on": "2026-03-02", "note": "Termin vereinbart"}
    response = staff_client.post(url, data)
    assert response.status_code == 400
    assert not Referral.objects.for_centre(centre).exists()
    Consent.objects.create(
        centre=centre,
        person=person,
        purpose=Purpose.REFERRAL,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2026, 3, 1),
        recorded_by=staff,
    )
    assert staff_client.post(url, data).status_code == 302
    referral = Referral.objects.for_centre(centre).get()
    assert referral.outcome == ReferralOutcome.OPEN
    assert referral.referred_by == staff
    response = staff_client.post(
        reverse("network:referral_outcome", args=[referral.pk]), {"outcome": "taken_up", "outcome_on": "2026-03-20"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.TAKEN_UP
    assert referral.outcome_on == datetime.date(2026, 3, 20)
    staff_client.get(reverse("network:referral_list"))
    assert AccessLogEntry.objects.filter(record_id=str(person.pk), action="list").exists()


def test_a_withdrawn_consent_stops_referrals(staff_client, staff, centre, person, service):
    Consent.objects.create(
        centre=centre,
        person=person,
        purpose=Purpose.REFERRAL,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2026, 1, 1),
        withdrawn_on=datetime.date(2026, 2, 1),
        recorded_by=staff,
    )
    response = staff_client.post(
        reverse("network:referral_create", args=[person.pk]), {"service": str(service.pk), "referred_on": "2026-03-02"}
    )
    assert response.status_code == 400
    assert not Referral.objects.for_centre(centre).exists()


def test_another_centres_person_or_service_cannot_be_referred(login, make_member, other_centre, person, service):
    from ankommen.accounts.models import Role

    outsider = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    response = outsider.post(
        reverse("network:referral_create", args=[person.pk]), {"service": str(service.pk), "referred_on": "2026-03-02"}
    )
    assert response.status_code == 404
