"""Applications, decisions and proofs of use; approvals stay within the centre's allocation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ankommen.grants import services
from ankommen.grants.models import Grant, GrantStatus, ProofStatus
from ankommen.grants.tests import factories

pytestmark = pytest.mark.django_db
DUE = timezone.localdate() + datetime.timedelta(days=120)


def test_approvals_up_to_the_allocation_pass_and_beyond_it_are_refused_with_what_is_left(centre, staff, funded):
    factories.approved(centre, staff, amount="15000", requested="15000")
    grant = factories.application(centre, staff, requested="6000")
    with pytest.raises(ValidationError) as refused:
        services.grant_approve(grant=grant, by=staff, approved_amount=Decimal("6000"), proof_due_on=DUE)
    message = str(refused.value)
    assert "Zuweisung des Zentrums von 20.000,00 €" in message
    assert "5.000,00 € sind übrig" in message
    assert Grant.objects.for_centre(centre).get(pk=grant.pk).status == GrantStatus.APPLIED
    approved = services.grant_approve(grant=grant, by=staff, approved_amount=Decimal("5000"), proof_due_on=DUE)
    assert approved.status == GrantStatus.APPROVED


def test_without_an_allocation_nothing_can_be_approved(centre, staff):
    grant = factories.application(centre, staff)
    with pytest.raises(ValidationError) as refused:
        services.grant_approve(grant=grant, by=staff, approved_amount=Decimal("100"), proof_due_on=DUE)
    assert "keine Zuweisung" in str(refused.value)


def test_no_more_than_requested_can_be_approved(centre, staff, funded):
    grant = factories.application(centre, staff, requested="1000")
    with pytest.raises(ValidationError):
        services.grant_approve(grant=grant, by=staff, approved_amount=Decimal("1000.01"), proof_due_on=DUE)


def test_a_rejection_needs_a_reason_and_a_decision_is_final(centre, staff, funded):
    grant = factories.application(centre, staff)
    with pytest.raises(ValidationError):
        services.grant_reject(grant=grant, by=staff, reason="  ")
    rejected = services.grant_reject(grant=grant, by=staff, reason="Das Vorhaben liegt außerhalb des Programms.")
    assert rejected.status == GrantStatus.REJECTED
    with pytest.raises(ValidationError):
        services.grant_approve(grant=grant, by=staff, approved_amount=Decimal("100"), proof_due_on=DUE)


def test_rejected_grants_do_not_use_up_the_allocation(centre, staff, funded):
    services.grant_reject(grant=factories.application(centre, staff, requested="20000"), by=staff, reason="Nein")
    grant = factories.application(centre, staff, requested="20000")
    services.grant_approve(grant=grant, by=staff, approved_amount=Decimal("20000"), proof_due_on=DUE)


def test_an_organisation_of_another_centre_cannot_apply_here(centre, other_centre, staff):
    with pytest.raises(ValidationError):
        factories.application(centre, staff, organisation_=factories.organisation(other_centre))


def test_payments_never_exceed_the_approved_amount(centre, staff, funded):
    grant = factories.approved(centre, staff, amount="4000")
    services.payment_record(grant=grant, by=staff, amount=Decimal("2500"))
    with pytest.raises(ValidationError) as refused:
        services.payment_record(grant=grant, by=staff, amount=Decimal("1500.01"))
    assert "höchstens 1.500,00 €" in str(refused.value)
    services.payment_record(grant=grant, by=staff, amount=Decimal("1500"))
    assert services.paid_sum(grant) == Decimal("4000.00")


def test_an_application_without_approval_cannot_be_paid(centre, staff, funded):
    with pytest.raises(ValidationError):
        services.payment_record(grant=factories.application(centre, staff), by=staff, amount=Decimal("1"))


def test_the_database_refuses_payments_beyond_the_approved_amount_even_past_the_service(centre, staff, funded):
    from django.db import IntegrityError, transaction

    from ankommen.grants.models import Payment

    grant = factories.approved(centre, staff, amount="1000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            centre=centre, grant=grant, paid_on=timezone.localdate(), amount=Decimal("1000.01"), recorded_by=staff
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            centre=centre,
            grant=factories.application(centre, staff),
            paid_on=timezone.localdate(),
            amount=Decimal("1"),
            recorded_by=staff,
        )


def test_proof_of_use_goes_back_with_questions_and_is_accepted_on_the_second_round(centre, staff, funded):
    grant = factories.approved(centre, staff)
    partner = staff  # whoever submits; the partner flow is tested in test_partner_views
    proof = services.proof_submit(grant=grant, by=partner, report="Zwölf Treffen.", spent_amount=Decimal("3900"))
    assert proof.status == ProofStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.proof_submit(grant=grant, by=partner, report="Noch einmal", spent_amount=Decimal("1"))
    with pytest.raises(ValidationError):
        services.proof_check(grant=grant, by=staff, accept=False, note="")
    asked = services.proof_check(grant=grant, by=staff, accept=False, note="Bitte die Belege der Miete nennen.")
    assert asked.status == ProofStatus.QUESTIONS
    again = services.proof_submit(
        grant=grant, by=partner, report="Zwölf Treffen, Miete 600 €.", spent_amount=Decimal("3900")
    )
    assert again.pk == proof.pk
    accepted = services.proof_check(grant=grant, by=staff, accept=True)
    assert accepted.status == ProofStatus.ACCEPTED


def test_grants_leave_history_rows_in_the_same_transaction(centre, staff, funded):
    from ankommen.grants.models import GrantEvent  # type: ignore[attr-defined]

    grant = factories.approved(centre, staff)
    labels = list(GrantEvent.objects.filter(pgh_obj_id=grant.pk).order_by("pgh_id").values_list("pgh_label", "status"))
    assert labels == [("insert", "applied"), ("update", "approved")]
