"""The periodic job mails the centre's staff once about six-month follow-ups that have fallen due."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from procrastinate.contrib.django import app

from ankommen.accounts.models import Role
from ankommen.work import services
from ankommen.work.models import Application
from ankommen.work.tasks import follow_up_reminders, follow_up_reminders_send
from ankommen.work.tests import factories
from tests.rls import as_app_role


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _contract(centre, employer, staff, *, started_days_ago, given="Amina", family="Haddad", title="Ausbildung"):
    profile = factories.profile(centre, staff, factories.person(centre, given, family, by=staff))
    application = factories.shared_application(factories.offer(employer, staff, title=title), profile, staff)
    services.application_offer(application=application, by=staff)
    start = timezone.localdate() - datetime.timedelta(days=started_days_ago)
    return services.application_contract(
        application=application, by=staff, contract_kind="ausbildung", contract_start=start, signed_on=start
    )


@pytest.mark.django_db
def test_due_follow_ups_are_mailed_once_to_the_centres_staff_with_numbers_and_no_names(
    make_member, centre, other_centre, staff, employer
):
    lead = make_member(Role.CENTRE_LEAD, centre=centre)
    make_member(Role.CENTRE_STAFF, centre=other_centre)
    due = _contract(centre, employer, staff, started_days_ago=200)
    not_yet = _contract(centre, employer, staff, started_days_ago=100, given="Omar", family="Nasser", title="Zwei")
    done = _contract(centre, employer, staff, started_days_ago=250, given="Lina", family="Saleh", title="Drei")
    services.application_follow_up(application=done, by=staff, still_employed=True)

    with as_app_role():  # as a fresh worker runs the job: the application role, no centre
        assert follow_up_reminders_send() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert lead.email in message.to
    assert staff.email in message.to
    assert f"Nr. {due.pk}" in message.body
    assert f"Nr. {not_yet.pk}" not in message.body
    assert f"Nr. {done.pk}" not in message.body
    assert "Haddad" not in message.body
    assert "Amina" not in message.body
    assert "Nachfrage" in message.subject
    assert Application.objects.for_centre(centre).get(pk=due.pk).follow_up_reminded_at is not None
    assert Application.objects.for_centre(centre).get(pk=not_yet.pk).follow_up_reminded_at is None

    # Idempotent: the next run mails nothing for the same application.
    assert follow_up_reminders_send() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_centre_without_staff_is_reminded_once_someone_is_there(make_member, centre, employer):
    from ankommen.accounts.tests.factories import UserFactory

    by = UserFactory()
    due = _contract(centre, employer, by, started_days_ago=190)
    assert follow_up_reminders_send() == 0
    assert Application.objects.for_centre(centre).get(pk=due.pk).follow_up_reminded_at is None
    make_member(Role.CENTRE_STAFF, centre=centre)
    assert follow_up_reminders_send() == 1


@pytest.mark.django_db(transaction=True)
def test_the_job_runs_on_a_real_worker_and_is_periodic(make_member, centre, staff, employer):
    from procrastinate.contrib.django.models import ProcrastinateJob

    due = _contract(centre, employer, staff, started_days_ago=200)
    follow_up_reminders.defer(timestamp=0)
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(queues=["notifications"], wait=False, install_signal_handlers=False, listen_notify=False)
    assert (
        ProcrastinateJob.objects.filter(task_name__endswith="follow_up_reminders", args__timestamp=0).get().status
        == "succeeded"
    )
    assert [f"Nr. {due.pk}" in m.body for m in mail.outbox] == [True]
    periodic_ids = {task.periodic_id for task in app.periodic_registry.periodic_tasks.values()}
    assert "work_follow_up_reminders" in periodic_ids
