import datetime

import pytest

from ankommen.network.figures import Period, centre_network_figures, state_network_figures
from ankommen.network.models import Cooperation, OrganisationKind, Referral
from ankommen.network.tests.factories import OrganisationFactory, ServiceFactory
from ankommen.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PERIOD = Period(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))


def _referrals(centre, staff, count):
    service = ServiceFactory(organisation=OrganisationFactory(centre=centre))
    for _ in range(count):
        Referral.objects.create(
            centre=centre,
            person=PersonFactory(centre=centre),
            service=service,
            referred_on=datetime.date(2026, 3, 1),
            referred_by=staff,
        )


def test_centre_network_figures(centre, staff):
    awo = OrganisationFactory(centre=centre, kind=OrganisationKind.WELFARE_ASSOCIATION, welfare_association="awo")
    OrganisationFactory(centre=centre, kind=OrganisationKind.MIGRANT_ORGANISATION)
    Cooperation.objects.create(
        centre=centre, organisation=awo, kind="agreement", since=datetime.date(2025, 1, 1), topics=["school"]
    )
    Cooperation.objects.create(
        centre=centre,
        organisation=awo,
        kind="project",
        since=datetime.date(2025, 1, 1),
        until=datetime.date(2025, 12, 31),
        topics=["school"],
    )
    _referrals(centre, staff, 2)
    figures = centre_network_figures(centre=centre, period=PERIOD)
    assert figures.organisations_by_kind["welfare_association"] == 1
    assert figures.organisations_by_kind["migrant_organisation"] == 1
    assert figures.cooperations_active == 1
    assert figures.referrals_by_outcome["open"] == 2


def test_state_network_figures_suppress_small_referral_counts(centre, other_centre, staff):
    _referrals(centre, staff, 2)
    _referrals(other_centre, staff, 9)
    figures = state_network_figures(period=PERIOD)
    shown = dict(figures.referrals_by_centre)
    assert shown[centre.name].shown is None
    assert shown[other_centre.name].shown is None
    assert figures.referrals.shown == 11
