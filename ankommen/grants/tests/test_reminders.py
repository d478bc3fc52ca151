"""The periodic job reminds the organisation before its proof of use falls due and tells the centre once it is
overdue; each stage is mailed once."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from procrastinate.contrib.django import app

from ankommen.accounts.models import Role
from ankommen.grants import services
from ankommen.grants.models import Grant
from ankommen.grants.tasks import proof_reminders, proof_reminders_send
from ankommen.grants.tests import factories
from tests.rls import as_app_role

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.django_db
def test_each_stage_is_mailed_once(make_member, centre, other_centre, staff, funded):
    lead = make_member(Role.CENTRE_LEAD, centre=centre)
    make_member(Role.CENTRE_STAFF, centre=other_centre)
    soon = factories.set_due(factories.approved(centre, staff, amount="1000"), TODAY + datetime.timedelta(days=10))
    later = factories.approved(centre, staff, amount="1000", due_in_days=60)
    overdue = factories.set_due(factories.approved(centre, staff, amount="1000"), TODAY - datetime.timedelta(days=3))
    submitted = factories.set_due(factories.approved(centre, staff, amount="1000"), TODAY - datetime.timedelta(days=3))
    services.proof_submit(grant=submitted, by=staff, report="Bericht", spent_amount=Decimal("900"))

    with as_app_role():  # as a fresh worker runs the job: the application role, no centre
        assert proof_reminders_send() == (1, 1)
    to_organisation, to_centre = mail.outbox
    assert to_organisation.to == ["maria.beispiel@example.org"]
    assert soon.number in to_organisation.body
    assert soon.proof_due_on.strftime("%d.%m.%Y") in to_organisation.body
    assert "Verwendungsnachweis" in to_organisation.subject
    assert set(to_centre.to) == {lead.email, staff.email}
    assert overdue.number in to_centre.body
    assert submitted.number not in to_centre.body
    assert later.number not in to_organisation.body + to_centre.body

    with as_app_role():
        assert proof_reminders_send() == (0, 0)
    assert len(mail.outbox) == 2
    # Once it is overdue too, the centre hears about the first one; the organisation is not reminded again.
    with as_app_role():
        assert proof_reminders_send(today=TODAY + datetime.timedelta(days=11)) == (0, 1)
    assert soon.number in mail.outbox[-1].body
    assert Grant.objects.for_centre(centre).get(pk=soon.pk).proof_overdue_sent_at is not None


@pytest.mark.django_db
def test_questions_on_a_proof_make_it_outstanding_again(centre, staff, funded):
    grant = factories.set_due(factories.approved(centre, staff, amount="1000"), TODAY + datetime.timedelta(days=5))
    services.proof_submit(grant=grant, by=staff, report="Bericht", spent_amount=Decimal("900"))
    assert proof_reminders_send() == (0, 0)
    services.proof_check(grant=grant, by=staff, accept=False, note="Bitte Belege nennen.")
    assert proof_reminders_send() == (1, 0)


@pytest.mark.django_db
def test_a_centre_without_staff_hears_once_someone_is_there(make_member, centre, funded):
    from ankommen.accounts.tests.factories import UserFactory

    by = UserFactory()
    grant = factories.set_due(factories.approved(centre, by, amount="1000"), TODAY - datetime.timedelta(days=1))
    assert proof_reminders_send() == (0, 0)
    assert Grant.objects.for_centre(centre).get(pk=grant.pk).proof_overdue_sent_at is None
    make_member(Role.CENTRE_STAFF, centre=centre)
    assert proof_reminders_send() == (0, 1)


@pytest.mark.django_db(transaction=True)
def test_the_job_runs_on_a_real_worker_and_is_periodic(centre, staff):
    factories.allocation(centre, "5000")
    grant = factories.set_due(factories.approved(centre, staff, amount="1000"), TODAY + datetime.timedelta(days=3))
    proof_reminders.defer(timestamp=0)
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(queues=["notifications"], wait=False, install_signal_handlers=False, listen_notify=False)
    from procrastinate.contrib.django.models import ProcrastinateJob

    assert (
        ProcrastinateJob.objects.filter(task_name__endswith="proof_reminders", args__timestamp=0).get().status
        == "succeeded"
    )
    assert [grant.number in m.body for m in mail.outbox] == [True]
    periodic_ids = {task.periodic_id for task in app.periodic_registry.periodic_tasks.values()}
    assert "grants_proof_reminders" in periodic_ids
