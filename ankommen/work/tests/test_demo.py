import pytest

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.people.demo.users import demo_email
from ankommen.regions.tests.factories import CentreFactory, MunicipalityFactory
from ankommen.work.demo import seed_demo
from ankommen.work.models import Application, CandidateProfile, Employer, EmployerContact, Offer
from ankommen.work.tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_gives_koeln_employers_offers_profiles_and_the_employer_login_its_organisation():
    centre = CentreFactory(slug="koeln", name="Kommunales Integrationszentrum Köln")
    factories.postcode(centre)
    MunicipalityFactory(centre=centre, postcode="50667")
    factories.occupation()
    staff = UserFactory(email=demo_email("staff1", centre))
    MembershipFactory(user=staff, role=Role.CENTRE_STAFF, centre=centre)
    employer_login = UserFactory(email=demo_email("employer", centre))
    MembershipFactory(user=employer_login, role=Role.EMPLOYER_CONTACT, centre=centre)
    for index in range(8):
        factories.person(centre, f"Demo{index}", "Person", by=staff, consent=index % 2 == 0)
    lines = []
    summary = seed_demo(centres=[centre], seed=7, size="small", log=lines.append)
    assert summary.startswith("work: 5 employers")
    assert Offer.objects.for_centre(centre).count() >= 5
    assert CandidateProfile.objects.for_centre(centre).count() == 8
    assert Application.objects.for_centre(centre).exists()
    assert EmployerContact.objects.for_centre(centre).filter(user=employer_login).exists()
    # A second run leaves the centre as it is.
    seed_demo(centres=[centre], seed=7, size="small", log=lines.append)
    assert Employer.objects.for_centre(centre).count() == 5
