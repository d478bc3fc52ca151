"""The centre's and the state's dashboards, their downloads, the manual figures, targets and thresholds."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.tests.factories import CentreFactory
from ankommen.reporting.dashboard_services import manual_figure_errors, threshold_set
from ankommen.reporting.indicators import month_start, previous_month
from ankommen.reporting.models import IndicatorTarget, ManualFigure, StatusThreshold
from ankommen.schooling.tests.factories import IntakeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_member, centre):
    return make_member(Role.CENTRE_LEAD, centre=centre)


@pytest.fixture
def analyst(make_member):
    return make_member(Role.STATE_ANALYST)


def intake(centre, **fields):
    child = PersonFactory(centre=centre, birth_date=datetime.date(2015, 3, 1))
    return IntakeFactory(child=child, centre=centre, **fields)


def last_month() -> datetime.date:
    return previous_month(timezone.localdate())


def figures_post(month: datetime.date, **values: str) -> dict[str, str]:
    data = {
        "month": month.strftime("%Y-%m"),
        "counselling_contacts": "12",
        "events_held": "2",
        "event_participants": "40",
        "schools_advised": "1",
    }
    data.update(values)
    return data


# The centre's dashboard ------------------------------------------------------------------------------------


def test_centre_dashboard_shows_trends_attention_and_downloads(staff_client, centre):
    for _index in range(3):
        intake(centre, registered_on=month_start(timezone.localdate()))

    response = staff_client.get(reverse("reporting:centre_dashboard"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content  # the trend charts
    assert reverse("reporting:centre_dashboard_csv") in content
    # No manual figures for last month: the dashboard asks for them.
    assert reverse("reporting:manual_figure_edit") in content
    assert response.context["figures"].series("children_registered")[-1] == 3


def test_centre_dashboard_downloads_are_csv_and_xlsx(staff_client):
    csv = staff_client.get(reverse("reporting:centre_dashboard_csv"))
    xlsx = staff_client.get(reverse("reporting:centre_dashboard_xlsx"))

    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_comparison_hides_other_centres_small_counts(staff_client, centre):
    month = last_month()
    small, big = CentreFactory(), CentreFactory()
    for _index in range(2):
        intake(small, registered_on=month)
    for _index in range(9):
        intake(big, registered_on=month)

    response = staff_client.get(reverse("reporting:centre_dashboard"), {"month": month.strftime("%Y-%m")})

    row = next(r for r in response.context["comparison"] if r.indicator.key == "children_registered")
    assert row.others_hidden == 1
    assert row.others_published == 1
    # The small centre's 2 is in no figure shown: no total, and the median is over published rates only.
    assert row.others_median_per_10000 == pytest.approx(round(9 * 10_000 / big.population_served, 2))


def test_targets_are_set_by_the_lead_and_compared(login, lead, centre):
    client = login(lead)
    response = client.post(reverse("reporting:target_edit"), {"children_placed": "5", "children_waiting": "10"})
    assert response.status_code == 302
    assert IndicatorTarget.objects.for_centre(centre).count() == 2

    page = client.get(reverse("reporting:centre_dashboard"))

    rows = {row.indicator.key: row for row in page.context["targets"]}
    assert rows["children_placed"].met is False  # nobody placed, target 5
    assert rows["children_waiting"].met is True  # nobody waiting, at most 10


def test_staff_cannot_set_targets(staff_client, centre):
    response = staff_client.post(reverse("reporting:target_edit"), {"children_placed": "5"})
    assert response.status_code == 403
    assert not IndicatorTarget.objects.for_centre(centre).exists()


# Manual figures ----------------------------------------------------------------------------------------------


def test_manual_figures_are_saved_and_corrected_with_history(staff_client, centre):
    month = last_month()
    response = staff_client.post(reverse("reporting:manual_figure_edit"), figures_post(month))
    assert response.status_code == 302
    staff_client.post(reverse("reporting:manual_figure_edit"), figures_post(month, counselling_contacts="15"))

    figure = ManualFigure.objects.for_centre(centre).get()
    assert figure.counselling_contacts == 15
    assert ManualFigure.pgh_event_model.objects.filter(centre=centre).count() == 2  # type: ignore[attr-defined]
    page = staff_client.get(reverse("reporting:manual_figure_edit"))
    assert len(page.context["history"]) == 2


@pytest.mark.parametrize(
    ("values", "field", "number"),
    [
        ({"counselling_contacts": "-1"}, "counselling_contacts", "0"),
        ({"events_held": "0", "event_participants": "5"}, "event_participants", ""),
        ({"events_held": "1", "event_participants": "6000"}, "event_participants", "5000"),
        ({"schools_advised": "100001"}, "schools_advised", "100000"),
        ({"events_held": "zwei"}, "events_held", "0"),
    ],
)
def test_impossible_manual_figures_are_refused_with_the_rule(staff_client, centre, values, field, number):
    response = staff_client.post(reverse("reporting:manual_figure_edit"), figures_post(last_month(), **values))

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert number in errors.replace(".", "").replace(",", "")
    assert not ManualFigure.objects.for_centre(centre).exists()


def test_manual_figures_of_a_future_month_are_refused(staff_client, centre):
    future = (month_start(timezone.localdate()) + datetime.timedelta(days=40)).replace(day=1)

    response = staff_client.post(reverse("reporting:manual_figure_edit"), figures_post(future))

    assert response.status_code == 400
    assert "month" in response.context["form"].errors
    assert not ManualFigure.objects.for_centre(centre).exists()


def test_schools_advised_cannot_exceed_the_schools_of_the_area(centre):
    from ankommen.regions.tests.factories import MunicipalityFactory, SchoolFactory

    SchoolFactory(municipality=MunicipalityFactory(centre=centre, region=centre.region))
    values = {"counselling_contacts": 0, "events_held": 0, "event_participants": 0, "schools_advised": 2}

    errors = manual_figure_errors(centre=centre, month=last_month(), values=values)

    assert "schools_advised" in errors


def test_teachers_see_the_dashboard_but_do_not_enter_figures(make_member, login, centre):
    client = login(make_member(Role.CENTRE_TEACHER, centre=centre))
    assert client.get(reverse("reporting:centre_dashboard")).status_code == 200
    response = client.post(reverse("reporting:manual_figure_edit"), figures_post(last_month()))
    assert response.status_code == 403
    assert not ManualFigure.objects.for_centre(centre).exists()


# The state's dashboard -------------------------------------------------------------------------------------


def test_state_dashboard_has_every_centre_map_and_hides_small_counts(login, analyst):
    month = last_month()
    small, big = CentreFactory(), CentreFactory()
    for _index in range(3):
        intake(small, registered_on=month)
    for _index in range(8):
        intake(big, registered_on=month)

    response = login(analyst).get(reverse("reporting:state_dashboard"), {"month": month.strftime("%Y-%m")})

    assert response.status_code == 200
    rows = {row.name: row for row in response.context["rows"]}
    assert set(rows) == {small.name, big.name}
    column = [indicator.key for indicator in response.context["indicators"]].index("children_registered")
    assert rows[small.name].cells[column] == "×"
    content = response.content.decode()
    assert content.count("<svg") >= 4  # three trend charts and the map
    assert "Kovalenko" not in content


def test_state_dashboard_body_is_remembered_only_for_the_same_figures(login, analyst):
    month = last_month()
    busy = CentreFactory()
    for _index in range(8):
        intake(busy, registered_on=month)
    client = login(analyst)
    query = {"month": month.strftime("%Y-%m"), "measure": "count"}
    body = "reporting/dashboard/_state_body.html"

    first = client.get(reverse("reporting:state_dashboard"), query)
    again = client.get(reverse("reporting:state_dashboard"), query)
    intake(busy, registered_on=month)
    changed = client.get(reverse("reporting:state_dashboard"), query)

    assert body in [template.name for template in first.templates]
    assert body not in [template.name for template in again.templates]  # the same figures: from memory
    assert again.content.decode().split("<section", 1)[1] == first.content.decode().split("<section", 1)[1]
    assert body in [template.name for template in changed.templates]  # a new intake is another key
    cells = {row.name: row for row in changed.context["rows"]}[busy.name].cells
    column = [indicator.key for indicator in changed.context["indicators"]].index("children_registered")
    assert cells[column] == "9"


def test_state_status_follows_the_thresholds_in_text_and_shape(login, analyst):
    month = last_month()
    busy, quiet = CentreFactory(population_served=10_000), CentreFactory(population_served=10_000)
    for _index in range(8):
        intake(busy, registered_on=month)
    threshold_set(
        by=analyst,
        indicator="children_registered",
        measure="value",
        on_track_from=Decimal("5"),
        attention_below=Decimal("1"),
    )

    response = login(analyst).get(reverse("reporting:state_dashboard"), {"month": month.strftime("%Y-%m")})

    rows = {row.name: row for row in response.context["rows"]}
    assert rows[busy.name].status.status.value == "on_track"
    assert rows[quiet.name].status.status.value == "action"
    assert rows[quiet.name].status.symbol == "◆"


def test_thresholds_are_set_by_analysts_and_checked(login, analyst, make_member):
    client = login(analyst)
    response = client.post(
        reverse("reporting:threshold_edit"),
        {"indicator": "median_days_to_school", "measure": "value", "on_track_from": "60", "attention_below": "30"},
    )
    assert response.status_code == 400  # lower is better: attention must lie above on track
    assert not StatusThreshold.objects.exists()
    response = client.post(
        reverse("reporting:threshold_edit"),
        {"indicator": "median_days_to_school", "measure": "value", "on_track_from": "30", "attention_below": "60"},
    )
    assert response.status_code == 302
    assert StatusThreshold.objects.get().attention_below == 60

    researcher = login(make_member(Role.RESEARCHER))
    assert researcher.get(reverse("reporting:threshold_edit")).status_code == 403
    assert researcher.get(reverse("reporting:state_dashboard")).status_code == 200


def test_state_downloads_hold_the_suppressed_table(login, analyst):
    month = last_month()
    small = CentreFactory()
    for _index in range(2):
        intake(small, registered_on=month)
    client = login(analyst)

    csv = client.get(reverse("reporting:state_dashboard_csv"), {"month": month.strftime("%Y-%m")})
    xlsx = client.get(reverse("reporting:state_dashboard_xlsx"))

    text = csv.content.decode("utf-8-sig")
    line = next(line for line in text.splitlines() if line.startswith(small.name))
    assert ";×;" in line
    assert ";2;" not in line
    assert xlsx.content[:2] == b"PK"


def test_centre_users_cannot_open_the_state_dashboard(staff_client):
    assert staff_client.get(reverse("reporting:state_dashboard")).status_code == 403
    assert staff_client.get(reverse("reporting:state_dashboard_csv")).status_code == 403


def test_state_users_cannot_open_a_centre_dashboard(login, analyst):
    assert login(analyst).get(reverse("reporting:centre_dashboard")).status_code == 403
