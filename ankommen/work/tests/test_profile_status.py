"""Staff pause, resume and close a candidate profile, always with a reason at an exit; the matching leaves out
profiles that are not looking."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.people.models import Consent
from ankommen.work import matching, services
from ankommen.work.models import (
    Application,
    ApplicationStep,
    CandidateProfile,
    CandidateStatus,
    CandidateStatusChange,
    Stage,
)
from ankommen.work.tests import factories

pytestmark = pytest.mark.django_db


def _status_url(profile, move):
    return reverse("work:candidate_status", args=[profile.pk, move])


def test_staff_pause_and_resume_a_profile_with_the_reason_in_the_history(staff_client, staff, centre, employer):
    offer = factories.offer(employer, staff)
    profile = factories.profile(centre, staff)
    assert [row.profile.pk for row in matching.candidates_for_offer(offer=offer)] == [profile.pk]

    response = staff_client.post(_status_url(profile, "pause"), {"pause-reason": "Sprachkurs bis März"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == CandidateStatus.PAUSED
    # The matching leaves a paused profile out, both ways, and the propose button is gone.
    assert matching.candidates_for_offer(offer=offer) == []
    page = staff_client.get(reverse("work:candidate_detail", args=[profile.pk])).content.decode()
    assert "Sprachkurs bis März" in page
    assert reverse("work:application_propose", args=[offer.pk]) not in page
    assert "schlägt keine Angebote vor" in page
    with pytest.raises(services.ValidationError):
        services.application_propose(offer=offer, profile=profile, by=staff)

    response = staff_client.post(_status_url(profile, "resume"), {"resume-note": "Kurs beendet"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == CandidateStatus.ACTIVE
    assert [row.profile.pk for row in matching.candidates_for_offer(offer=offer)] == [profile.pk]
    changes = list(CandidateStatusChange.objects.for_centre(centre).filter(profile=profile))
    assert [(c.from_status, c.to_status, c.reason, c.by_id) for c in changes] == [
        ("active", "paused", "Sprachkurs bis März", staff.pk),
        ("paused", "active", "Kurs beendet", staff.pk),
    ]
    # pghistory keeps every status of the profile as well.
    statuses = list(
        CandidateProfile.pgh_event_model.objects.filter(pgh_obj=profile)
        .order_by("pgh_id")
        .values_list("status", flat=True)
    )
    assert statuses[-2:] == ["paused", "active"]


@pytest.mark.parametrize("move", ["pause", "close"])
def test_pausing_or_closing_without_a_reason_is_refused_and_nothing_written(staff_client, staff, centre, move):
    profile = factories.profile(centre, staff)
    response = staff_client.post(_status_url(profile, move), {f"{move}-reason": "   "})
    assert response.status_code == 400
    assert "Geben Sie einen Grund an." in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == CandidateStatus.ACTIVE
    assert not CandidateStatusChange.objects.for_centre(centre).exists()


def test_closing_ends_the_open_applications_before_a_contract_but_keeps_a_contract_and_its_follow_up(
    staff_client, staff, centre, employer
):
    profile = factories.profile(centre, staff)
    early = services.application_propose(offer=factories.offer(employer, staff), profile=profile, by=staff)
    signed = factories.shared_application(factories.offer(employer, staff, title="Zweite"), profile, staff)
    services.application_offer(application=signed, by=staff)
    services.application_contract(
        application=signed, by=staff, contract_kind="ausbildung", contract_start=timezone.localdate()
    )
    profile.refresh_from_db()
    assert profile.status == CandidateStatus.PLACED

    response = staff_client.post(_status_url(profile, "close"), {"close-reason": "Weggezogen nach Hamburg"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == CandidateStatus.CLOSED
    early = Application.objects.for_centre(centre).get(pk=early.pk)
    assert (early.stage, early.ended_at_stage) == (Stage.ENDED, Stage.PROPOSED)
    assert "Weggezogen nach Hamburg" in early.end_reason
    assert ApplicationStep.objects.for_centre(centre).filter(application=early, to_stage=Stage.ENDED).exists()
    signed = Application.objects.for_centre(centre).get(pk=signed.pk)
    assert signed.stage == Stage.CONTRACT
    assert signed.follow_up_due is not None
    # Ending the contract later does not reopen a closed profile.
    services.application_end(application=signed, by=staff, reason="Probezeit nicht bestanden")
    profile.refresh_from_db()
    assert profile.status == CandidateStatus.CLOSED


def test_a_closed_profile_can_be_reopened_only_while_the_consent_stands(staff_client, staff, centre):
    profile = factories.profile(centre, staff)
    services.candidate_profile_close(profile=profile, by=staff, reason="Keine Unterstützung mehr gewünscht")
    Consent.objects.for_centre(centre).filter(person=profile.person).update(
        withdrawn_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = staff_client.post(_status_url(profile, "resume"), {"resume-note": ""})
    assert response.status_code == 400
    assert "eingewilligt" in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == CandidateStatus.CLOSED
    assert CandidateStatusChange.objects.for_centre(centre).count() == 1


def test_moves_that_do_not_fit_the_status_are_refused(staff_client, staff, centre):
    profile = factories.profile(centre, staff)
    response = staff_client.post(_status_url(profile, "resume"), {"resume-note": ""})
    assert response.status_code == 400
    assert "nicht möglich" in response.content.decode()
    assert staff_client.post(_status_url(profile, "delete"), {}).status_code == 404
    services.candidate_profile_pause(profile=profile, by=staff, reason="Krank")
    with pytest.raises(services.ValidationError):
        services.candidate_profile_pause(profile=profile, by=staff, reason="Noch einmal")
    assert CandidateStatusChange.objects.for_centre(centre).count() == 1


def test_another_centres_profile_answers_404_and_stays_as_it_is(staff_client, staff, other_centre):
    profile = factories.profile(other_centre, staff)
    response = staff_client.post(_status_url(profile, "pause"), {"pause-reason": "Krank"})
    assert response.status_code == 404
    profile.refresh_from_db()
    assert profile.status == CandidateStatus.ACTIVE


def test_the_figures_count_only_looking_candidates(staff, centre):
    from ankommen.work import figures

    looking = factories.profile(centre, staff)
    paused = factories.profile(centre, staff, factories.person(centre, "Omar", "Nasser", by=staff))
    closed = factories.profile(centre, staff, factories.person(centre, "Lina", "Saleh", by=staff))
    services.candidate_profile_pause(profile=paused, by=staff, reason="Krank")
    services.candidate_profile_close(profile=closed, by=staff, reason="Weggezogen")
    assert looking.status == CandidateStatus.ACTIVE
    assert figures.centre_summary(centre=centre).active_candidates == 1
