"""Staff posts of a centre: validation, the justification a rule-breaking entry needs, flags, isolation, names."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ankommen.accounts.models import Role
from ankommen.core.models import AccessLogEntry
from ankommen.core.tests.form_fields import opened_version
from ankommen.regions.models import RegionKind
from ankommen.regions.tests.factories import CentreFactory
from ankommen.staffing import services
from ankommen.staffing.models import FundingSource, StaffFunction, StaffPost
from ankommen.staffing.tests.factories import StaffPostFactory, teacher

pytestmark = pytest.mark.django_db

START = datetime.date(2023, 1, 1)


@pytest.fixture
def city_centre():
    return CentreFactory(region__kind=RegionKind.CITY)


def staffed(centre, state_fte: int = 5) -> None:
    """A centre of a city with `state_fte` full state posts and two teachers from 2023."""
    for _ in range(state_fte):
        StaffPostFactory(centre=centre)
    teacher(centre)
    teacher(centre)


def fields(**more) -> dict:
    data = {
        "title": "Koordination Ehrenamt",
        "function": StaffFunction.COORDINATION,
        "fte": Decimal("1"),
        "funding_source": FundingSource.STATE_INTEGRATION,
        "filled_by": "Jana Beispiel",
        "starts_on": START,
    }
    data.update(more)
    return data


def posts(centre) -> list[StaffPost]:
    return list(StaffPost.objects.for_centre(centre).order_by("pk"))


def test_a_post_within_the_rule_is_saved_without_flag(city_centre):
    staffed(city_centre, state_fte=4)
    post = services.post_create(centre=city_centre, by=None, **fields(fte=Decimal("1")))
    assert not post.breaks_rule
    assert post.justification == ""


def test_a_post_beyond_the_maximum_needs_a_justification_and_nothing_is_saved_without_it(city_centre):
    staffed(city_centre, state_fte=5)
    before = posts(city_centre)
    with pytest.raises(ValidationError) as error:
        services.post_create(centre=city_centre, by=None, **fields())
    assert error.value.error_dict["justification"][0].code == "justification_required"
    message = error.value.message_dict["justification"][0]
    assert "6,0 landesgeförderte VZÄ überschreiten das Maximum von 5,5" in message
    assert posts(city_centre) == before


def test_with_a_justification_the_breaking_post_is_saved_and_flagged(city_centre):
    staffed(city_centre, state_fte=5)
    post = services.post_create(centre=city_centre, by=None, justification="Vertretung Elternzeit", **fields())
    assert post.breaks_rule
    assert "5,5" in post.rule_breach
    assert post.justification == "Vertretung Elternzeit"


def test_a_district_post_never_breaks_the_maximum(city_centre):
    staffed(city_centre, state_fte=5)
    post = services.post_create(centre=city_centre, by=None, **fields(funding_source=FundingSource.DISTRICT))
    assert not post.breaks_rule


def test_a_post_that_breaks_only_under_the_build_up_rule_is_caught_there(city_centre):
    for _ in range(3):
        StaffPostFactory(centre=city_centre, starts_on=datetime.date(2019, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.post_create(centre=city_centre, by=None, **fields(starts_on=datetime.date(2020, 1, 1)))
    assert "3,5" in error.value.message_dict["justification"][0]


def test_ending_a_teacher_post_below_the_minimum_needs_a_justification(city_centre):
    staffed(city_centre, state_fte=3)
    post = StaffPost.objects.for_centre(city_centre).filter(function=StaffFunction.TEACHER).first()
    with pytest.raises(ValidationError) as error:
        services.post_end(post=post, by=None, ends_on=datetime.date(2024, 7, 31))
    assert "1 Lehrerstelle, mindestens 2 erforderlich" in error.value.message_dict["justification"][0]
    post.refresh_from_db()
    assert post.ends_on is None
    ended = services.post_end(post=post, by=None, ends_on=datetime.date(2024, 7, 31), justification="Versetzung")
    assert ended.breaks_rule
    assert ended.ends_on == datetime.date(2024, 7, 31)


def test_a_breach_that_was_there_before_needs_no_justification_for_an_unrelated_change(city_centre):
    staffed(city_centre, state_fte=6)  # breaks the maximum already (written directly)
    post = StaffPost.objects.for_centre(city_centre).filter(function=StaffFunction.COORDINATION).first()
    changed = services.post_update(post=post, by=None, filled_by="Neue Kollegin")
    assert not changed.breaks_rule


def test_a_flagged_post_stays_flagged_while_the_breach_lasts(city_centre):
    staffed(city_centre, state_fte=5)
    post = services.post_create(centre=city_centre, by=None, justification="Vertretung", **fields())
    changed = services.post_update(post=post, by=None, title="Koordination Ehrenamt (Vertretung)")
    assert changed.breaks_rule
    assert changed.justification == "Vertretung"
    lowered = services.post_update(post=post, by=None, fte=Decimal("0.5"))
    assert not lowered.breaks_rule
    assert lowered.justification == ""


@pytest.mark.parametrize(
    ("more", "field"),
    [
        ({"fte": Decimal("0")}, "fte"),
        ({"fte": Decimal("1.5")}, "fte"),
        ({"funding_source": FundingSource.PROGRAMME}, "programme_name"),
        ({"programme_name": "KOMM-AN NRW"}, "programme_name"),
        ({"funding_source": FundingSource.SCHOOL_MINISTRY}, "function"),
        ({"filled_by": ""}, "vacant_since"),
        ({"vacant_since": START}, "vacant_since"),
        ({"filled_by": "", "vacant_since": datetime.date(2022, 1, 1)}, "vacant_since"),
        ({"ends_on": datetime.date(2022, 12, 31)}, "ends_on"),
    ],
)
def test_invalid_posts_are_refused_with_a_message_on_the_field(city_centre, more, field):
    with pytest.raises(ValidationError) as error:
        services.post_create(centre=city_centre, by=None, **fields(**more))
    assert field in error.value.message_dict
    assert posts(city_centre) == []


def test_a_vacant_post_counts_for_the_rule(city_centre):
    staffed(city_centre, state_fte=5)
    with pytest.raises(ValidationError):
        services.post_create(centre=city_centre, by=None, **fields(filled_by="", vacant_since=START))


# --- pages ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def lead(make_member, login, city_centre):
    return login(make_member(Role.CENTRE_LEAD, centre=city_centre))


def form_data(**more) -> dict:
    data = {
        "title": "Koordination Arbeit",
        "function": "coordination",
        "fte": "1",
        "funding_source": "state_integration",
        "filled_by": "Jana Beispiel",
        "starts_on": "2023-01-01",
    }
    data.update(more)
    return data


def test_the_form_shows_the_broken_rule_and_asks_for_a_justification(lead, city_centre):
    staffed(city_centre, state_fte=5)
    response = lead.post("/stellen/neu/", form_data())
    assert response.status_code == 400
    content = response.content.decode()
    assert "6,0 landesgeförderte VZÄ überschreiten das Maximum von 5,5" in content
    assert "Begründung" in content
    assert len(posts(city_centre)) == 7
    response = lead.post("/stellen/neu/", form_data(justification="Vertretung einer Elternzeit"))
    assert response.status_code == 302
    assert posts(city_centre)[-1].breaks_rule


def test_the_list_shows_the_flag_the_compliance_and_the_names_to_the_lead(lead, city_centre):
    staffed(city_centre, state_fte=5)
    services.post_create(centre=city_centre, by=None, justification="Vertretung einer Elternzeit", **fields())
    content = lead.get("/stellen/?on=2024-06-01").content.decode()
    assert "markiert" in content
    assert "Vertretung einer Elternzeit" in content
    assert "6,0 landesgeförderte VZÄ überschreiten das Maximum von 5,5" in content
    assert "Jana Beispiel" in content
    logged = AccessLogEntry.objects.filter(record_type="staffing.staffpost", centre=city_centre)
    assert logged.count() == 8


def test_staff_and_teachers_see_the_posts_but_no_names_and_may_not_change_them(make_member, login, city_centre):
    staffed(city_centre, state_fte=2)
    post = posts(city_centre)[0]
    for role in (Role.CENTRE_STAFF, Role.CENTRE_TEACHER):
        client = login(make_member(role, centre=city_centre))
        content = client.get("/stellen/").content.decode()
        assert post.title in content
        assert post.filled_by not in content
        assert client.get("/stellen/neu/").status_code == 403
        assert client.post(f"/stellen/{post.pk}/bearbeiten/", form_data()).status_code == 403
    assert AccessLogEntry.objects.filter(record_type="staffing.staffpost").count() == 0
    post.refresh_from_db()
    assert post.title != "Koordination Arbeit"


def test_another_centres_post_does_not_exist_for_a_lead(make_member, login, city_centre):
    other = StaffPostFactory()
    client = login(make_member(Role.CENTRE_LEAD, centre=city_centre))
    assert client.get(f"/stellen/{other.pk}/bearbeiten/").status_code == 404
    assert client.post(f"/stellen/{other.pk}/beenden/", {"ends_on": "2024-01-01"}).status_code == 404
    other.refresh_from_db()
    assert other.ends_on is None
    assert other.title not in client.get("/stellen/").content.decode()


def test_the_lead_ends_a_post_and_it_stays_in_the_list(lead, city_centre):
    staffed(city_centre, state_fte=2)
    post = posts(city_centre)[0]
    assert lead.post(f"/stellen/{post.pk}/beenden/", {"ends_on": "2024-03-31"}).status_code == 302
    post.refresh_from_db()
    assert post.ends_on == datetime.date(2024, 3, 31)
    assert post.events.count() == 2  # insert and the end, in the history


def test_the_lead_edits_a_post(lead, city_centre):
    post = services.post_create(centre=city_centre, by=None, **fields())
    url = f"/stellen/{post.pk}/bearbeiten/"
    response = lead.post(url, {**form_data(title="Koordination Bildung", fte="0.5"), **opened_version(lead, url)})
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.title, post.fte) == ("Koordination Bildung", Decimal("0.5"))


def test_the_lead_downloads_the_posts_as_csv_and_xlsx(lead, city_centre):
    staffed(city_centre, state_fte=1)
    csv = lead.get("/stellen/export/csv/")
    assert csv.status_code == 200
    assert "Erika Musterfrau" in csv.content.decode("utf-8-sig")
    xlsx = lead.get("/stellen/export/xlsx/")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    assert lead.get("/stellen/export/pdf/").status_code == 404
    assert (
        AccessLogEntry.objects.filter(record_type="staffing.staffpost", action="export").count() == 6
    )  # three posts, two files
