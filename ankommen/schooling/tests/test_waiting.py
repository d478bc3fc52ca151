# mypy: disable-error-code="attr-defined"

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.tests.factories import MunicipalityFactory
from ankommen.schooling.models import IntakeStatus
from ankommen.schooling.selectors import median_days_to_school_by_month
from ankommen.schooling.tasks import waiting_alert_send
from ankommen.schooling.tests.factories import IntakeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.SCHOOLING_WAITING_ALERT_DAYS = 28
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _intake(centre, *, days, status=IntakeStatus.REGISTERED, **fields):
    child = PersonFactory(centre=centre, family_name="Haidari", birth_date=datetime.date(2016, 3, 1))
    return IntakeFactory(
        child=child,
        status=status,
        registered_on=timezone.localdate() - datetime.timedelta(days=days),
        **fields,
    )


def test_alert_sends_one_mail_per_centre_with_the_count_and_no_names(make_member, centre, other_centre):
    leads = [make_member(Role.CENTRE_LEAD, centre=centre) for _ in range(2)]
    make_member(Role.CENTRE_STAFF, centre=centre)
    other_lead = make_member(Role.CENTRE_LEAD, centre=other_centre)
    for days in (29, 40, 100):
        _intake(centre, days=days)
    _intake(centre, days=28)
    _intake(centre, days=90, status=IntakeStatus.CONFIRMED)
    _intake(other_centre, days=35)
    assert waiting_alert_send() == 2
    assert len(mail.outbox) == 2
    by_recipients = {tuple(sorted(message.to)): message for message in mail.outbox}
    ours = by_recipients[tuple(sorted(lead.email for lead in leads))]
    theirs = by_recipients[(other_lead.email,)]
    assert "3 Kinder warten länger als 28 Tage" in ours.body
    assert "1 Kind wartet länger als 28 Tage" in theirs.body
    assert "/schule/anmeldungen/?over_limit=on" in ours.body
    assert "Haidari" not in ours.body + ours.subject


def test_alert_stays_silent_when_no_child_waits_too_long(make_member, centre):
    make_member(Role.CENTRE_LEAD, centre=centre)
    _intake(centre, days=5)
    assert waiting_alert_send() == 0
    assert mail.outbox == []


def test_alert_skips_centres_without_a_lead(make_member, centre):
    make_member(Role.CENTRE_STAFF, centre=centre)
    _intake(centre, days=50)
    assert waiting_alert_send() == 0
    assert mail.outbox == []


def test_dashboard_shows_waiting_children_by_area_and_grade(staff_client, centre):
    town = MunicipalityFactory(centre=centre, name="Troisdorf")
    _intake(centre, days=40, municipality=town)
    _intake(centre, days=2, municipality=town)
    response = staff_client.get(reverse("schooling:waiting"))
    assert response.status_code == 200
    cells = [(cell.municipality, cell.grade, cell.waiting, cell.over_limit) for cell in response.context["cells"]]
    assert cells == [(town, 5 if timezone.localdate().month >= 8 else 4, 2, 1)]
    assert "Troisdorf" in response.text
    assert (response.context["total_waiting"], response.context["total_over_limit"]) == (2, 1)


def test_median_days_to_school_per_month_over_the_last_year(centre):
    today = datetime.date(2026, 11, 25)
    for registered, started in [
        (datetime.date(2026, 9, 1), datetime.date(2026, 11, 2)),  # 62 days
        (datetime.date(2026, 10, 1), datetime.date(2026, 11, 10)),  # 40 days
        (datetime.date(2026, 10, 20), datetime.date(2026, 11, 20)),  # 31 days
        (datetime.date(2026, 1, 5), datetime.date(2026, 2, 4)),  # 30 days
        (datetime.date(2025, 1, 5), datetime.date(2025, 2, 4)),  # too long ago
    ]:
        IntakeFactory(
            child=PersonFactory(centre=centre),
            status=IntakeStatus.STARTED,
            registered_on=registered,
            first_school_day=started,
        )
    months = median_days_to_school_by_month(centre=centre, today=today)
    assert len(months) == 12
    assert months[0].month == datetime.date(2025, 12, 1)
    by_month = {figure.month: (figure.started, figure.median_days) for figure in months}
    assert by_month[datetime.date(2026, 11, 1)] == (3, 40)
    assert by_month[datetime.date(2026, 2, 1)] == (1, 30)
    assert by_month[datetime.date(2026, 3, 1)] == (0, None)


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER, Role.SCHOOL_CONTACT])
def test_state_roles_get_no_waiting_dashboard(make_member, login, role):
    assert login(make_member(role)).get(reverse("schooling:waiting")).status_code == 403
