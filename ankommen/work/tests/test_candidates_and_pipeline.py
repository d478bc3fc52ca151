import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.core.models import AccessLogEntry
from ankommen.work import figures, services
from ankommen.work.models import Application, ApplicationStep, CandidateProfile, CandidateStatus, Stage
from ankommen.work.tests import factories

pytestmark = pytest.mark.django_db


def _profile_data(person, **changes):
    data = {
        "person": str(person.pk),
        "wish_1": factories.occupation().label,
        "german_level": "B1",
        "languages": ["en"],
        "permit": str(factories.permit().pk),
        "postcode": "50667",
        "mobility_radius_km": "25",
        "available_from": timezone.localdate().isoformat(),
        "years_of_experience": "3",
    }
    data.update(changes)
    return data


def test_staff_create_a_profile_for_a_person_who_consented(staff_client, staff, centre):
    factories.postcode(centre)
    person = factories.person(centre, by=staff)
    response = staff_client.post(reverse("work:candidate_create"), _profile_data(person))
    assert response.status_code == 302
    profile = CandidateProfile.objects.for_centre(centre).get()
    assert [o.label for o in profile.occupation_wishes.all()] == ["Koch/Köchin"]
    assert profile.permit.code == "any_work"


def test_a_profile_without_consent_is_refused(staff_client, staff, centre):
    factories.postcode(centre)
    person = factories.person(centre, by=staff, consent=False)
    response = staff_client.post(reverse("work:candidate_create"), _profile_data(person))
    assert response.status_code == 400
    assert "eingewilligt" in response.content.decode()
    assert not CandidateProfile.objects.for_centre(centre).exists()
    with pytest.raises(services.ValidationError):
        factories.profile(centre, staff, person)


def test_matching_ranks_candidates_with_reasons_and_leaves_out_excluded_ones(staff_client, staff, centre, employer):
    offer = factories.offer(employer, staff)
    fitting = factories.profile(centre, staff, factories.person(centre, "Amina", "Haddad", by=staff))
    weaker = factories.profile(centre, staff, factories.person(centre, "Omar", "Nasser", by=staff), german_level="A1")
    excluded = factories.profile(
        centre, staff, factories.person(centre, "Lina", "Saleh", by=staff), permit=factories.permit("no_work_yet")
    )
    response = staff_client.get(reverse("work:offer_matches", args=[offer.pk]))
    content = response.content.decode()
    assert content.index("Amina Haddad") < content.index("Omar Nasser")
    assert "Lina Saleh" not in content
    assert "derselbe Beruf" in content
    assert "unter dem geforderten A2" in content
    logged = set(AccessLogEntry.objects.filter(action="list").values_list("record_id", flat=True))
    assert {str(fitting.pk), str(weaker.pk)} <= logged
    assert str(excluded.pk) not in logged


def test_the_pipeline_from_proposal_to_follow_up_keeps_every_step(
    staff_client, employer_client, staff, centre, employer
):
    offer = factories.offer(employer, staff)
    profile = factories.profile(centre, staff)
    staff_client.post(reverse("work:application_propose", args=[offer.pk]), {"profile": profile.pk})
    application = Application.objects.for_centre(centre).get()
    assert application.stage == Stage.PROPOSED
    assert application.reasons[0]["code"] == "same_occupation"
    # Not shared yet: the employer does not see it.
    assert employer_client.get(reverse("work:shared_profile", args=[application.pk])).status_code == 404
    assert "Amina" not in employer_client.get(reverse("work:portal")).content.decode()

    staff_client.post(
        reverse("work:application_step", args=[application.pk, "agree"]), {"shared_fields": ["name", "german_level"]}
    )
    assert employer_client.get(reverse("work:shared_profile", args=[application.pk])).status_code == 404
    staff_client.post(reverse("work:application_step", args=[application.pk, "share"]))

    page = employer_client.get(reverse("work:shared_profile", args=[application.pk])).content.decode()
    assert "Amina Haddad" in page
    assert "B1" in page
    assert "+49 221 555 0101" not in page  # contact details were not agreed to

    employer_client.post(
        reverse("work:shared_profile_step", args=[application.pk, "interview"]), {"interview_at": "2026-12-01T10:00"}
    )
    start = timezone.localdate() + datetime.timedelta(days=30)
    employer_client.post(
        reverse("work:shared_profile_step", args=[application.pk, "contract"]),
        {"contract_kind": "ausbildung", "contract_start": start.isoformat(), "signed_on": timezone.localdate()},
    )
    application.refresh_from_db()
    assert application.stage == Stage.CONTRACT
    assert application.follow_up_due == start + datetime.timedelta(days=183)
    profile.refresh_from_db()
    assert profile.status == CandidateStatus.PLACED
    summary = figures.centre_summary(centre=centre)
    assert summary.placements == {"ausbildung": 1, "job": 0, "internship": 0, "eq": 0}
    assert summary.median_days_to_contract == 0

    response = staff_client.post(
        reverse("work:application_step", args=[application.pk, "follow_up"]), {"still_employed": "no", "reason": ""}
    )
    assert response.status_code == 400
    staff_client.post(reverse("work:application_step", args=[application.pk, "follow_up"]), {"still_employed": "yes"})
    application.refresh_from_db()
    assert application.still_employed is True
    stages = list(
        ApplicationStep.objects.for_centre(centre).filter(application=application).values_list("to_stage", flat=True)
    )
    assert stages == ["proposed", "agreed", "shared", "interview", "contract", "followed_up"]


def test_every_exit_needs_a_reason(staff_client, staff, centre, employer):
    application = services.application_propose(
        offer=factories.offer(employer, staff), profile=factories.profile(centre, staff), by=staff
    )
    response = staff_client.post(reverse("work:application_step", args=[application.pk, "end"]), {"reason": ""})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.stage == Stage.PROPOSED
    staff_client.post(reverse("work:application_step", args=[application.pk, "end"]), {"reason": "Umzug"})
    application.refresh_from_db()
    assert (application.stage, application.ended_at_stage, application.end_reason) == ("ended", "proposed", "Umzug")


def test_a_withdrawn_consent_stops_the_sharing(staff_client, staff, centre, employer):
    profile = factories.profile(centre, staff)
    application = services.application_propose(offer=factories.offer(employer, staff), profile=profile, by=staff)
    services.application_agree(application=application, by=staff, shared_fields=["name"])
    profile.person.consents.model.objects.for_centre(centre).filter(person=profile.person).update(
        withdrawn_on=timezone.localdate()
    )
    staff_client.post(reverse("work:application_step", args=[application.pk, "share"]))
    application.refresh_from_db()
    assert application.stage == Stage.AGREED


def test_a_steps_out_of_order_are_refused(staff, centre, employer):
    application = services.application_propose(
        offer=factories.offer(employer, staff), profile=factories.profile(centre, staff), by=staff
    )
    with pytest.raises(services.ValidationError):
        services.application_share(application=application, by=staff)


def test_staff_see_offers_ranked_for_a_candidate(staff_client, staff, centre, employer):
    factories.offer(employer, staff, title="Passt genau")
    factories.offer(
        employer, staff, title="Anderer Beruf", occupation=factories.occupation("esco:nurse", "2221", "Pflegekraft")
    )
    profile = factories.profile(centre, staff)
    content = staff_client.get(reverse("work:candidate_detail", args=[profile.pk])).content.decode()
    assert content.index("Passt genau") < content.index("Anderer Beruf")


def test_the_employer_declines_with_a_reason_and_then_no_longer_sees_the_candidate(
    employer_client, staff, centre, employer
):
    offer, profile = factories.offer(employer, staff), factories.profile(centre, staff)
    application = factories.shared_application(offer, profile, staff)
    url = reverse("work:shared_profile_step", args=[application.pk, "end"])
    assert employer_client.post(url, {"reason": ""}).status_code == 400
    employer_client.post(reverse("work:shared_profile_step", args=[application.pk, "offer"]), {"note": "Zusage"})
    application.refresh_from_db()
    assert application.stage == Stage.OFFERED
    employer_client.post(url, {"reason": "Stelle anders besetzt"})
    application.refresh_from_db()
    assert (application.stage, application.ended_at_stage) == (Stage.ENDED, Stage.OFFERED)
    assert employer_client.get(reverse("work:shared_profile", args=[application.pk])).status_code == 404


def test_the_application_list_puts_due_follow_ups_first(staff_client, staff, centre, employer):
    offer = factories.offer(employer, staff)
    open_one = services.application_propose(offer=offer, profile=factories.profile(centre, staff), by=staff)
    placed = factories.shared_application(
        offer, factories.profile(centre, staff, factories.person(centre, "Omar", "Nasser", by=staff)), staff
    )
    services.application_interview(application=placed, by=staff, interview_at=timezone.now())
    services.application_contract(
        application=placed,
        by=staff,
        contract_kind="ausbildung",
        contract_start=timezone.localdate() - datetime.timedelta(days=20),
        signed_on=timezone.localdate() - datetime.timedelta(days=40),
    )
    Application.objects.for_centre(centre).filter(pk=placed.pk).update(follow_up_due=timezone.localdate())
    content = staff_client.get(reverse("work:application_list")).content.decode()
    assert content.index("Omar Nasser") < content.index("Amina Haddad")
    assert "Nachfragen fällig" in content
    assert open_one.pk
