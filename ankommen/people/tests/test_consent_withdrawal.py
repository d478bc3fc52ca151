# mypy: disable-error-code="attr-defined, arg-type"

"""A withdrawn consent takes effect at once: third parties stop seeing the person, queued jobs leave them out."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.people import services
from ankommen.people.models import Consent, LegalBasis, Purpose
from ankommen.schooling import placement
from ankommen.schooling.models import Placement, PlacementRun, PlacementRunStatus
from ankommen.schooling.tests.placement_factories import TERM, released_placement, school_in, seats_at, waiting_child
from ankommen.volunteering import batch
from ankommen.volunteering import services as volunteer_services
from ankommen.volunteering.models import Assignment
from ankommen.volunteering.tests.factories import open_request, postcode_of, volunteer_in
from ankommen.work.tests import factories as work_factories

pytestmark = pytest.mark.django_db


def _consent(person, purpose, by):
    return Consent.objects.create(
        centre=person.centre,
        person=person,
        purpose=purpose,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2026, 1, 5),
        recorded_by=by,
    )


def _token(user):
    return api_token_create(membership=user.memberships.get(), name="Fachverfahren", expires_in_days=1)[1]


@pytest.fixture
def school(centre):
    return school_in(centre, latitude=50.9400, longitude=6.9600)


def test_withdrawing_on_the_persons_page_hides_the_child_from_the_school_at_once(
    login, make_member, staff, staff_client, centre, school
):
    proposal = released_placement(centre, school, staff)
    child = proposal.intake.child
    consent = _consent(child, Purpose.SCHOOL_PLACEMENT, staff)
    school_client = login(make_member(Role.SCHOOL_CONTACT, school=school))
    assert child.family_name in school_client.get(reverse("schooling:school_proposal_list")).text
    confirm_url = reverse("schooling:school_proposal_confirm", args=[proposal.pk])
    assert school_client.get(confirm_url).status_code == 200

    response = staff_client.post(
        reverse("people:consent_withdraw", args=[child.pk, consent.pk]), {"withdrawn_on": "2026-02-01"}
    )
    assert response.status_code == 302

    assert child.family_name not in school_client.get(reverse("schooling:school_proposal_list")).text
    assert school_client.get(confirm_url).status_code == 404
    assert school_client.post(confirm_url, {"start_date": "2026-09-01"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "released"


def test_a_consent_recorded_again_shares_again(login, make_member, staff, centre, school):
    proposal = released_placement(centre, school, staff)
    child = proposal.intake.child
    services.consent_withdraw(centre=centre, by=staff, consent=_consent(child, Purpose.SCHOOL_PLACEMENT, staff))
    school_client = login(make_member(Role.SCHOOL_CONTACT, school=school))
    assert child.family_name not in school_client.get(reverse("schooling:school_proposal_list")).text
    _consent(child, Purpose.SCHOOL_PLACEMENT, staff)
    assert child.family_name in school_client.get(reverse("schooling:school_proposal_list")).text


def test_withdrawing_through_the_api_hides_the_candidate_from_the_employer_at_once(login, staff, centre):
    employer = work_factories.employer(centre)
    employer_client = login(work_factories.employer_contact(employer))
    profile = work_factories.profile(centre, staff)
    application = work_factories.shared_application(work_factories.offer(employer, staff), profile, staff)
    shared_url = reverse("work:shared_profile", args=[application.pk])
    assert profile.person.family_name in employer_client.get(shared_url).text
    assert shared_url in employer_client.get(reverse("work:portal")).text

    consent = Consent.objects.for_centre(centre).get(person=profile.person, purpose=Purpose.EMPLOYMENT)
    token = _token(staff)
    response = Client().post(
        f"/api/v1/people/{profile.person.pk}/consents/{consent.pk}/withdraw",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["withdrawn_on"] is not None

    assert employer_client.get(shared_url).status_code == 404
    assert shared_url not in employer_client.get(reverse("work:portal")).text


def test_the_api_refuses_a_second_withdrawal_and_changes_nothing(staff, centre, client):
    child = waiting_child(centre)
    consent = _consent(child.child, Purpose.SCHOOL_PLACEMENT, staff)
    services.consent_withdraw(centre=centre, by=staff, consent=consent, withdrawn_on=datetime.date(2026, 2, 1))
    token = _token(staff)
    response = client.post(
        f"/api/v1/people/{child.child.pk}/consents/{consent.pk}/withdraw",
        {"withdrawn_on": "2026-03-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in {400, 422}
    consent.refresh_from_db()
    assert consent.withdrawn_on == datetime.date(2026, 2, 1)


@pytest.mark.django_db(transaction=True)
def test_a_queued_placement_run_leaves_out_a_child_whose_consent_was_withdrawn_after_queueing(centre, staff):
    school = school_in(centre, latitude=50.9400, longitude=6.9600)
    seats_at(school, seats=5)
    kept, withdrawn = waiting_child(centre), waiting_child(centre)
    _consent(kept.child, Purpose.SCHOOL_PLACEMENT, staff)
    consent = _consent(withdrawn.child, Purpose.SCHOOL_PLACEMENT, staff)

    run = placement.placement_run_start(centre=centre, by=staff, term=TERM)
    job = ProcrastinateJob.objects.get(task_name="schooling.placement_run", args__run_id=run.pk)
    assert (job.status, job.args) == ("todo", {"run_id": run.pk})

    services.consent_withdraw(centre=centre, by=staff, consent=consent)
    # The same worker as `manage.py procrastinate worker`: its own connection, not the test's.
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(queues=["placement"], wait=False, install_signal_handlers=False, listen_notify=False)

    job.refresh_from_db()
    assert job.status == "succeeded"
    run = PlacementRun.objects.for_centre(centre).get(pk=run.pk)
    assert run.status == PlacementRunStatus.REVIEW
    proposals = Placement.objects.for_centre(centre).filter(run=run)
    assert list(proposals.values_list("intake_id", flat=True)) == [kept.pk]
    assert run.summary["placed"] == 1


def test_withdrawing_hides_the_person_from_their_volunteer_at_once(login, staff, centre):
    postcode_of(centre)
    volunteer = volunteer_in(centre)
    request = open_request(centre, staff)
    assignment = volunteer_services.assignment_propose(centre=centre, by=staff, request=request, volunteer=volunteer)
    volunteer_services.assignment_accept(volunteer=volunteer, assignment=assignment)
    volunteer_client = login(volunteer.user)
    assert "Kovalenko" in volunteer_client.get(reverse("volunteering:portal")).text
    assert len(volunteer_client.get("/api/v1/volunteering/me").json()["assignments"]) == 1

    consent = Consent.objects.for_centre(centre).get(person=request.person, purpose=Purpose.VOLUNTEER_SUPPORT)
    services.consent_withdraw(centre=centre, by=staff, consent=consent)

    assert "Kovalenko" not in volunteer_client.get(reverse("volunteering:portal")).text
    assert volunteer_client.get("/api/v1/volunteering/me").json()["assignments"] == []
    respond = reverse("volunteering:assignment_respond", kwargs={"assignment_id": assignment.pk})
    assert volunteer_client.post(respond, {"decision": "decline", "reason": "x"}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_queued_volunteer_batch_leaves_out_a_request_whose_consent_was_withdrawn_after_queueing(centre, staff):
    postcode_of(centre)
    volunteer_in(centre, max_parallel=1)
    volunteer_in(centre, max_parallel=1)
    kept, dropped = open_request(centre, staff), open_request(centre, staff)
    run = batch.batch_run_start(centre=centre, by=staff)
    job = ProcrastinateJob.objects.get(task_name="volunteering.batch_run", args__run_id=run.pk)
    assert job.status == "todo"

    consent = Consent.objects.for_centre(centre).get(person=dropped.person, purpose=Purpose.VOLUNTEER_SUPPORT)
    services.consent_withdraw(centre=centre, by=staff, consent=consent)
    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        worker_app.run_worker(queues=["matching"], wait=False, install_signal_handlers=False, listen_notify=False)

    job.refresh_from_db()
    assert job.status == "succeeded"
    run.refresh_from_db()
    assert run.summary["open_requests"] == 1
    assert [proposal["request"] for proposal in run.proposals] == [kept.pk]


def test_applying_a_batch_skips_a_request_whose_consent_was_withdrawn_after_the_run(centre, staff):
    postcode_of(centre)
    volunteer_in(centre, max_parallel=1)
    volunteer_in(centre, max_parallel=1)
    kept, dropped = open_request(centre, staff), open_request(centre, staff)
    run = batch.batch_run_start(centre=centre, by=staff)
    batch.batch_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert sorted(proposal["request"] for proposal in run.proposals) == sorted([kept.pk, dropped.pk])

    consent = Consent.objects.for_centre(centre).get(person=dropped.person, purpose=Purpose.VOLUNTEER_SUPPORT)
    services.consent_withdraw(centre=centre, by=staff, consent=consent)
    run = batch.batch_run_apply(centre=centre, by=staff, run=run)

    assert (run.summary["applied"], run.summary["skipped"]) == (1, 1)
    assert list(Assignment.objects.for_centre(centre).values_list("request_id", flat=True)) == [kept.pk]
