# mypy: disable-error-code="attr-defined, arg-type, union-attr"
from __future__ import annotations

import pytest
from django.urls import reverse

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.core.tests.form_fields import opened_version
from ankommen.volunteering.models import Volunteer
from ankommen.volunteering.tests.factories import postcode_of, volunteer_in

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {
        "phone": "0221 555",
        "postcode": "50667",
        "radius_km": "30",
        "max_parallel": "4",
        "activities": ["leisure", "interpreting"],
        "language_0": "ar",
        "level_0": "native",
        "language_1": "de",
        "level_1": "B2",
        "day_2": ["0", "1"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def volunteer(centre):
    postcode_of(centre)
    return volunteer_in(centre, languages={"uk": "native"})


def test_staff_change_a_volunteers_profile_with_history_and_read_log(staff_client, staff, centre, volunteer):
    url = reverse("volunteering:volunteer_edit", args=[volunteer.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert 'value="50667"' in page.content.decode()
    assert staff_client.post(url, {**_data(), **opened_version(staff_client, url)}).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.languages == {"ar": "native", "de": "B2"}
    assert volunteer.activities == ["leisure", "interpreting"]
    assert (volunteer.radius_km, volunteer.max_parallel, volunteer.phone) == (30, 4, "0221 555")
    assert volunteer.availability == (1 << 6) | (1 << 7)
    event = Volunteer.pgh_event_model.objects.filter(pgh_obj_id=volunteer.pk).order_by("pgh_id").last()
    assert event.pgh_label == "update"
    assert event.pgh_context.metadata["user"] == staff.pk
    assert AccessLogEntry.objects.filter(
        user=staff, record_type="volunteering.volunteer", record_id=str(volunteer.pk), action=AccessAction.VIEW
    ).exists()


def test_bad_values_are_refused_in_the_staff_members_language_and_nothing_changes(staff_client, centre, volunteer):
    url = reverse("volunteering:volunteer_edit", args=[volunteer.pk])
    volunteer.open_assignments = 2
    volunteer.save()
    refused = staff_client.post(
        url,
        {**_data(radius_km="500", max_parallel="1", day_2=[]), **opened_version(staff_client, url)},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Der Umkreis muss zwischen 1 und 100 km liegen." in body
    assert "Die oder der Ehrenamtliche hat 2 offene Einsätze: Die Zahl kann nicht niedriger sein." in body
    assert "Bitte wählen Sie mindestens eine Zeit in der Woche" in body
    before = volunteer.radius_km
    volunteer.refresh_from_db()
    assert (volunteer.radius_km, volunteer.languages) == (before, {"uk": "native"})


def test_another_centres_postcode_is_refused(staff_client, centre, other_centre, volunteer):
    postcode_of(other_centre, code="44135", latitude=51.51, longitude=7.47)
    url = reverse("volunteering:volunteer_edit", args=[volunteer.pk])
    refused = staff_client.post(url, {**_data(postcode="44135"), **opened_version(staff_client, url)})
    assert refused.status_code == 400
    assert "Diese Postleitzahl gehört zu einem anderen Integrationszentrum." in refused.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.postcode == "50667"


def test_staff_of_another_centre_and_volunteers_cannot_edit(make_member, login, other_centre, volunteer):
    url = reverse("volunteering:volunteer_edit", args=[volunteer.pk])
    stranger = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    assert stranger.post(url, _data()).status_code == 404
    other_volunteer = volunteer_in(volunteer.centre)
    assert login(other_volunteer.user).post(url, _data()).status_code == 403
    volunteer.refresh_from_db()
    assert volunteer.radius_km == 10


def test_the_volunteer_list_shows_a_page_at_a_time_and_logs_only_that_page(staff_client, staff, centre):
    from ankommen.volunteering.views.staff import PAGE_SIZE

    postcode_of(centre)
    volunteers = [volunteer_in(centre) for _ in range(PAGE_SIZE + 3)]
    url = reverse("volunteering:volunteer_list")

    first = staff_client.get(url)
    listed = AccessLogEntry.objects.filter(user=staff, record_type="volunteering.volunteer", action=AccessAction.LIST)
    assert len(first.context["volunteers"]) == PAGE_SIZE
    assert f"{PAGE_SIZE + 3} Ehrenamtliche" in first.content.decode()
    assert listed.count() == PAGE_SIZE

    second = staff_client.get(url, {"page": 2})
    shown = {volunteer.pk for volunteer in [*first.context["volunteers"], *second.context["volunteers"]]}
    assert shown == {volunteer.pk for volunteer in volunteers}
    assert listed.count() == PAGE_SIZE + 3
