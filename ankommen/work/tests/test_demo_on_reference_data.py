"""The work demo on the real reference data (ESCO occupations, postcodes, centres), as `make run` seeds it."""

from io import StringIO

import pytest
from django.core.management import call_command

from ankommen.regions.models import Centre, Postcode
from ankommen.work.models import (
    EMPLOYER_VISIBLE_STAGES,
    Application,
    ApplicationStep,
    CandidateProfile,
    CandidateStatus,
    Employer,
    EmployerContact,
    EmployerStatus,
    Offer,
    Stage,
)
from ankommen.work.services import has_employment_consent

pytestmark = pytest.mark.django_db


def test_the_work_demo_on_the_real_reference_data_is_there_and_consistent():
    call_command("load_reference_data", stdout=StringIO())
    call_command("seed_demo", per_centre=40, centres="koeln", stdout=StringIO())
    centre = Centre.objects.get(slug="koeln")

    employers = list(Employer.objects.for_centre(centre))
    offers = list(Offer.objects.for_centre(centre).select_related("employer", "occupation"))
    profiles = list(CandidateProfile.objects.for_centre(centre).select_related("person"))
    applications = list(Application.objects.for_centre(centre).select_related("offer", "profile"))
    assert employers
    assert offers
    assert profiles
    assert applications
    assert any(e.status == EmployerStatus.VERIFIED for e in employers)
    postcodes = set(Postcode.objects.values_list("code", flat=True))
    for offer in offers:
        assert offer.employer.centre_id == centre.pk
        assert offer.employer.is_verified
        assert offer.postcode in postcodes
        assert offer.occupation.isco_code
        assert 1 <= offer.seats <= 100
    for profile in profiles:
        assert profile.person.centre_id == centre.pk
        assert has_employment_consent(profile.person)
        assert profile.postcode in postcodes
        assert profile.occupation_wishes.exists()
    placed = {a.profile_id for a in applications if a.stage in (Stage.CONTRACT, Stage.FOLLOWED_UP)}
    for application in applications:
        assert application.offer.centre_id == centre.pk
        assert application.profile.centre_id == centre.pk
        assert ApplicationStep.objects.for_centre(centre).filter(application=application).exists()
        if application.stage in EMPLOYER_VISIBLE_STAGES:
            assert application.shared_fields
        if application.stage == Stage.CONTRACT:
            assert application.contract_start is not None
            assert application.follow_up_due is not None
        if application.stage == Stage.ENDED:
            assert application.end_reason
    for profile in profiles:
        if profile.status == CandidateStatus.PLACED:
            assert profile.pk in placed
    # The employer login acts for a verified organisation of the centre.
    assert (
        EmployerContact.objects.for_centre(centre)
        .filter(user__email__startswith="employer", employer__status=EmployerStatus.VERIFIED)
        .exists()
    )
