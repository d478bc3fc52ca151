import pytest
from django.core import mail
from django.urls import reverse

from ankommen.accounts.models import Membership, Role, User
from ankommen.work.models import Employer, EmployerContact, EmployerStatus
from ankommen.work.tests import factories

pytestmark = pytest.mark.django_db


def _signup(centre, **changes):
    data = {
        "centre": str(centre.pk),
        "name": "Bäckerei Sonnenschein",
        "postcode": "50667",
        "place": "Köln",
        "email": "info@baeckerei.example",
        "applicant_name": "Jana Brot",
        "applicant_email": "jana@baeckerei.example",
        "accepts_terms": "on",
    }
    data.update(changes)
    return data


def test_an_employer_signs_up_on_the_public_page_and_waits_for_verification(client, centre):
    factories.postcode(centre)
    response = client.post(reverse("work:employer_signup"), _signup(centre))
    assert response.status_code == 302
    employer = Employer.objects.for_centre(centre).get()
    assert employer.status == EmployerStatus.PENDING
    assert not User.objects.filter(email="jana@baeckerei.example").exists()


def test_a_sign_up_with_an_unknown_postcode_is_refused_in_german_and_writes_nothing(client, centre):
    response = client.post(reverse("work:employer_signup"), _signup(centre, postcode="00000"))
    assert response.status_code == 400
    assert "Diese Postleitzahl gibt es nicht." in response.content.decode()
    assert not Employer.objects.for_centre(centre).exists()


def test_a_sign_up_in_english_gets_english_messages(client, centre):
    response = client.post(
        reverse("work:employer_signup"), _signup(centre, accepts_terms=""), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Please confirm that you act for the organisation." in response.content.decode()


def test_staff_verify_an_employer_and_the_applicant_gets_a_login_with_a_password_link(
    staff_client, centre, django_capture_on_commit_callbacks
):
    employer = factories.employer(centre, verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("work:employer_verify", args=[employer.pk]))
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.VERIFIED
    user = User.objects.get(email=employer.applicant_email)
    assert Membership.objects.filter(user=user, role=Role.EMPLOYER_CONTACT, centre=centre).exists()
    assert EmployerContact.objects.for_centre(centre).filter(user=user, employer=employer).exists()
    assert len(mail.outbox) == 1
    assert "/konto/" in mail.outbox[0].body


def test_a_rejection_needs_a_reason_and_a_decided_sign_up_cannot_be_verified(staff_client, centre):
    employer = factories.employer(centre, verified=False)
    response = staff_client.post(reverse("work:employer_reject", args=[employer.pk]), {"reason": ""})
    assert response.status_code == 400
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.PENDING
    staff_client.post(reverse("work:employer_reject", args=[employer.pk]), {"reason": "Kein Ausbildungsbetrieb"})
    staff_client.post(reverse("work:employer_verify", args=[employer.pk]))
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.REJECTED
    assert not EmployerContact.objects.for_centre(centre).exists()


def test_another_centre_cannot_verify_the_sign_up(login, make_member, centre, other_centre):
    employer = factories.employer(centre, verified=False)
    stranger = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    assert stranger.post(reverse("work:employer_verify", args=[employer.pk])).status_code == 404
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.PENDING


def test_an_employer_contact_without_a_verified_organisation_is_turned_away(login, make_member, centre):
    client = login(make_member(Role.EMPLOYER_CONTACT, centre=centre))
    assert client.get(reverse("work:portal")).status_code == 403


def test_staff_add_a_further_contact_who_then_reaches_the_portal(staff_client, login, centre):
    employer = factories.employer(centre)
    response = staff_client.post(
        reverse("work:employer_contact_add", args=[employer.pk]), {"name": "Max Koch", "email": "Max@Example.org"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="max@example.org")
    assert login(user).get(reverse("work:portal")).status_code == 200


def test_a_pending_employer_gets_no_contact(staff_client, centre):
    employer = factories.employer(centre, verified=False)
    staff_client.post(reverse("work:employer_contact_add", args=[employer.pk]), {"name": "X", "email": "x@example.org"})
    assert not User.objects.filter(email="x@example.org").exists()
