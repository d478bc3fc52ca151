import pytest

from ankommen.accounts.tests.factories import UserFactory
from ankommen.network.demo import seed_demo
from ankommen.network.models import Cooperation, Organisation, Referral, ReferralOutcome
from ankommen.people.demo.users import demo_email
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.models import Postcode
from ankommen.regions.tests.factories import CentreFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_demo_network_is_seeded_once():
    centre = CentreFactory(slug="koeln")
    UserFactory(email=demo_email("staff1", centre))
    MunicipalityFactory(centre=centre, postcode="50667")
    Postcode.objects.update_or_create(
        code="50667", defaults={"places": "Köln", "region": centre.region, "latitude": 50.94, "longitude": 6.95}
    )
    persons = PersonFactory.create_batch(3, centre=centre)
    assert "8 organisations" in seed_demo(centres=[centre], seed=1, size="small", log=print)
    assert seed_demo(centres=[centre], seed=1, size="small", log=print).startswith("Network: 0")
    assert Organisation.objects.for_centre(centre).filter(latitude=50.94).count() == 8
    assert Cooperation.objects.for_centre(centre).count() == 6
    # Demo persons consented to referrals and were referred, with outcomes.
    referrals = list(Referral.objects.for_centre(centre).order_by("referred_on"))
    assert {r.person.pk for r in referrals} == {p.pk for p in persons}
    assert [r.outcome for r in referrals] == [
        ReferralOutcome.TAKEN_UP,
        ReferralOutcome.TAKEN_UP,
        ReferralOutcome.NOT_TAKEN_UP,
    ]
