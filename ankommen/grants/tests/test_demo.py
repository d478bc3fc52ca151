import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.grants.demo import seed_demo
from ankommen.grants.models import Allocation, Grant, GrantStatus, ProgrammeBudget, ProofStatus
from ankommen.network.tests.factories import OrganisationFactory, partner_contact
from ankommen.people.demo.users import demo_email
from ankommen.regions.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def test_demo_budgets_allocations_and_grants_in_every_state_once():
    koeln = CentreFactory(slug="koeln", population_served=1_000_000)
    others = CentreFactory.create_batch(3, population_served=300_000)
    MembershipFactory(user=UserFactory(email=demo_email("analyst")), role=Role.STATE_ANALYST, centre=None)
    UserFactory(email=demo_email("staff1", koeln))
    organisations = OrganisationFactory.create_batch(4, centre=koeln)
    partner = partner_contact(organisations[2], user=UserFactory(email=demo_email("partner", koeln)))
    assert partner

    line = seed_demo(centres=[koeln, *others], seed=3, size="small", log=print)
    assert "9 grants" in line
    assert seed_demo(centres=[koeln, *others], seed=3, size="small", log=print).startswith("Grants: KOMM-AN NRW")
    assert Grant.objects.for_centre(koeln).count() == 9

    year = timezone.localdate().year
    for y in (year, year - 1):
        budget = ProgrammeBudget.objects.get(year=y).amount
        allocated = Allocation.objects.dangerously_unscoped().filter(year=y).aggregate(s=Sum("amount"))["s"]
        assert Decimal(0) < allocated <= budget
        assert Allocation.objects.dangerously_unscoped().filter(year=y).count() == 4
    grants = Grant.objects.for_centre(koeln).filter(year=year)
    assert {g.status for g in grants} == {GrantStatus.APPLIED, GrantStatus.APPROVED, GrantStatus.REJECTED}
    today = timezone.localdate()
    overdue = grants.filter(proof_due_on__lt=today, proof__isnull=True)
    assert overdue.count() == 1
    assert grants.filter(proof_due_on__range=(today, today + datetime.timedelta(days=14)), proof__isnull=True).exists()
    assert grants.filter(proof__status=ProofStatus.ACCEPTED).exists()
    assert grants.filter(proof__status=ProofStatus.SUBMITTED).exists()
    mine = Grant.objects.for_centre(koeln).filter(organisation=organisations[2])
    assert {g.status for g in mine} >= {GrantStatus.APPLIED, GrantStatus.APPROVED}
