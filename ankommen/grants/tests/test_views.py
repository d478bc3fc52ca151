"""The pages of centre staff, the state and partner organisations, each seeing only what is theirs."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.models import AccessLogEntry
from ankommen.grants import services
from ankommen.grants.models import Allocation, Grant, GrantStatus, Payment, ProofOfUse, ProofStatus
from ankommen.grants.tests import factories
from ankommen.network.tests.factories import partner_contact

pytestmark = pytest.mark.django_db
YEAR = factories.THIS_YEAR
DUE = (timezone.localdate() + datetime.timedelta(days=100)).isoformat()


def _application_post(**extra):
    return {
        "programme": str(factories.komm_an().pk),
        "year": str(YEAR),
        "title": "Sprachcafé",
        "description": "Jeden Dienstag",
        "requested_amount": "2500,50",
        "contact_name": "Maria Beispiel",
        "contact_email": "maria@example.org",
        **extra,
    }


def test_staff_record_decide_pay_and_download_the_letter(centre, staff, staff_client, funded):
    organisation = factories.organisation(centre)
    response = staff_client.post(reverse("grants:grant_create"), _application_post(organisation=organisation.pk))
    assert response.status_code == 302
    grant = Grant.objects.for_centre(centre).get()
    assert grant.requested_amount == Decimal("2500.50")

    response = staff_client.post(
        reverse("grants:grant_decide", args=[grant.pk]),
        {"decision": "approve", "approved_amount": "2000", "proof_due_on": DUE},
    )
    assert response.status_code == 302
    letter = staff_client.get(reverse("grants:grant_letter", args=[grant.pk]))
    assert letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")

    refused = staff_client.post(
        reverse("grants:payment_create", args=[grant.pk]),
        {"amount": "2000,01", "paid_on": timezone.localdate().isoformat()},
    )
    assert refused.status_code == 400
    assert "höchstens 2.000,00 €" in refused.content.decode()
    assert not Payment.objects.for_centre(centre).exists()

    detail = staff_client.get(reverse("grants:grant_detail", args=[grant.pk]))
    assert "Maria Beispiel" in detail.content.decode()
    assert AccessLogEntry.objects.filter(record_type="grants.grant", record_id=str(grant.pk)).exists()


def test_a_decision_beyond_the_allocation_is_refused_on_the_page_with_what_is_left(centre, staff, staff_client):
    factories.allocation(centre, "1000")
    grant = factories.application(centre, staff, requested="5000")
    response = staff_client.post(
        reverse("grants:grant_decide", args=[grant.pk]),
        {"decision": "approve", "approved_amount": "1500", "proof_due_on": DUE},
    )
    assert response.status_code == 400
    assert "1.000,00 € sind übrig" in response.content.decode()
    assert Grant.objects.for_centre(centre).get().status == GrantStatus.APPLIED


def test_another_centres_grant_answers_404_and_is_not_changed(centre, other_centre, staff, make_member, login, funded):
    grant = factories.approved(centre, staff)
    stranger = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    assert stranger.get(reverse("grants:grant_detail", args=[grant.pk])).status_code == 404
    assert stranger.get(reverse("grants:grant_letter", args=[grant.pk])).status_code == 404
    response = stranger.post(
        reverse("grants:payment_create", args=[grant.pk]), {"amount": "1", "paid_on": "2026-01-01"}
    )
    assert response.status_code == 404
    assert not Payment.objects.for_centre(centre).exists()


def test_partner_applies_sees_only_its_own_and_submits_the_proof(centre, staff, login, funded):
    mine, theirs = factories.organisation(centre), factories.organisation(centre)
    partner = login(partner_contact(mine))
    response = partner.post(reverse("grants:partner_apply"), _application_post())
    assert response.status_code == 302
    grant = Grant.objects.for_centre(centre).get()
    assert grant.organisation == mine
    other = factories.approved(centre, staff, organisation_=theirs)
    assert partner.get(reverse("grants:partner_application_detail", args=[other.pk])).status_code == 404
    assert partner.get(reverse("grants:partner_letter", args=[grant.pk])).status_code == 404  # not decided yet
    listing = partner.get(reverse("grants:partner_application_list")).content.decode()
    assert grant.number in listing
    assert other.number not in listing

    services.grant_approve(
        grant=grant,
        by=staff,
        approved_amount=Decimal("2000"),
        proof_due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert partner.get(reverse("grants:partner_letter", args=[grant.pk])).content.startswith(b"%PDF")
    response = partner.post(
        reverse("grants:partner_proof", args=[grant.pk]), {"report": "Zehn Treffen", "spent_amount": "1950"}
    )
    assert response.status_code == 302
    assert ProofOfUse.objects.for_centre(centre).get().status == ProofStatus.SUBMITTED
    refused = partner.post(reverse("grants:partner_proof", args=[other.pk]), {"report": "x", "spent_amount": "1"})
    assert refused.status_code == 404
    assert not ProofOfUse.objects.for_centre(centre).filter(grant=other).exists()


def test_analyst_allocates_within_the_budget_and_researcher_may_only_read(centre, login):
    factories.budget("1000")
    programme = factories.komm_an()
    analyst = login(factories.analyst())
    url = reverse("grants:allocation_edit", args=[programme.pk])
    assert analyst.post(url, {"centre": centre.pk, "year": YEAR, "amount": "1000,01"}).status_code == 400
    assert analyst.post(url, {"centre": centre.pk, "year": YEAR, "amount": "1000"}).status_code == 302
    assert Allocation.objects.for_centre(centre).get().amount == Decimal("1000.00")

    from ankommen.accounts.tests.factories import MembershipFactory, UserFactory

    researcher_user = UserFactory()
    MembershipFactory(user=researcher_user, role=Role.RESEARCHER, centre=None)
    researcher = login(researcher_user)
    assert researcher.post(url, {"centre": centre.pk, "year": YEAR, "amount": "1"}).status_code == 403
    assert researcher.get(reverse("grants:state_budget")).status_code == 200


def test_state_table_has_every_centre_with_sums_and_no_contact(centre, other_centre, staff, login, funded):
    grant = factories.approved(centre, staff, amount="3000")
    services.payment_record(grant=grant, by=staff, amount=Decimal("1000"))
    client = login(factories.analyst())
    page = client.get(reverse("grants:state_budget"), {"year": YEAR}).content.decode()
    assert centre.name in page
    assert other_centre.name in page
    assert "3.000,00" in page
    assert "1.000,00" in page
    assert "Maria Beispiel" not in page
    assert "maria.beispiel" not in page
    csv = client.get(reverse("grants:state_budget_export", args=["csv"]), {"year": YEAR})
    assert csv["Content-Type"].startswith("text/csv")
    assert f"{centre.name};20000,00;3000,00;1000,00;0,00;0;0" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("grants:state_budget_export", args=["xlsx"]), {"year": YEAR})
    assert xlsx.content.startswith(b"PK")
    assert client.get(reverse("grants:state_budget_export", args=["pdf"])).status_code == 404


def test_centre_budget_counts_allocated_granted_paid_and_proven(centre, staff, staff_client, funded):
    grant = factories.approved(centre, staff, amount="3000")
    services.payment_record(grant=grant, by=staff, amount=Decimal("3000"))
    services.proof_submit(grant=grant, by=staff, report="Bericht", spent_amount=Decimal("3500"))
    services.proof_check(grant=grant, by=staff, accept=True)
    from ankommen.grants.figures import centre_budget

    [line] = centre_budget(centre=centre, year=YEAR)
    assert (line.figures.allocated, line.figures.granted, line.figures.paid, line.figures.proven) == (
        Decimal("20000"),
        Decimal("3000"),
        Decimal("3000"),
        Decimal("3000"),  # spent beyond the grant does not count
    )
    page = staff_client.get(reverse("grants:centre_budget"), {"year": YEAR}).content.decode()
    assert "17.000,00" in page
    xlsx = staff_client.get(reverse("grants:centre_budget_export", args=["xlsx"]), {"year": YEAR})
    assert xlsx.status_code == 200


def test_partner_attaches_receipts_to_the_proof_and_staff_download_them(centre, staff, staff_client, login, funded):
    from django.core.files.uploadedfile import SimpleUploadedFile

    organisation = factories.organisation(centre)
    partner = login(partner_contact(organisation))
    grant = factories.approved(centre, staff, organisation_=organisation)
    url = reverse("grants:partner_proof", args=[grant.pk])
    script = SimpleUploadedFile("belege.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    refused = partner.post(url, {"report": "Bericht", "spent_amount": "100", "attachment": script})
    assert refused.status_code == 400
    assert "PDF-, PNG- oder JPEG-Datei" in refused.content.decode()
    assert not ProofOfUse.objects.for_centre(centre).exists()

    pdf = SimpleUploadedFile("Belege März.pdf", b"%PDF-1.4\n%belege\n", content_type="application/pdf")
    assert partner.post(url, {"report": "Bericht", "spent_amount": "100", "attachment": pdf}).status_code == 302
    detail = staff_client.get(reverse("grants:grant_detail", args=[grant.pk])).content.decode()
    assert "Belege März.pdf" in detail
    download = staff_client.get(reverse("grants:proof_attachment", args=[grant.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download.content == b"%PDF-1.4\n%belege\n"
    assert partner.get(reverse("grants:partner_proof_attachment", args=[grant.pk])).status_code == 200
    other = factories.approved(centre, staff)
    assert partner.get(reverse("grants:partner_proof_attachment", args=[other.pk])).status_code == 404
