import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.network import services
from ankommen.network.models import Cooperation, FollowUpTask, Meeting
from ankommen.network.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_cooperation_needs_a_sensible_period_and_a_topic(staff, centre):
    organisation = OrganisationFactory(centre=centre)
    with pytest.raises(ValidationError) as error:
        services.cooperation_create(
            centre=centre,
            by=staff,
            organisation=organisation,
            partner=organisation,
            kind="agreement",
            since=datetime.date(2026, 5, 1),
            until=datetime.date(2026, 1, 1),
            topics=[],
        )
    assert set(error.value.message_dict) == {"until", "partner", "topics"}
    assert not Cooperation.objects.for_centre(centre).exists()


def test_cooperation_with_another_centres_organisation_is_refused(staff, centre, other_centre):
    foreign = OrganisationFactory(centre=other_centre)
    with pytest.raises(ValidationError):
        services.cooperation_create(
            centre=centre,
            by=staff,
            organisation=foreign,
            partner=None,
            kind="agreement",
            since=datetime.date(2026, 1, 1),
            until=None,
            topics=["school"],
        )


def test_network_view_draws_the_cooperations_as_svg_with_a_table(staff_client, staff, centre):
    awo = OrganisationFactory(centre=centre, name="AWO Ortsverein")
    school = OrganisationFactory(centre=centre, name="Grundschule Nord")
    ended = OrganisationFactory(centre=centre, name="Beendetes Projekt")
    today = timezone.localdate()
    services.cooperation_create(
        centre=centre,
        by=staff,
        organisation=awo,
        partner=None,
        kind="agreement",
        since=today - datetime.timedelta(days=100),
        until=None,
        topics=["counselling"],
    )
    services.cooperation_create(
        centre=centre,
        by=staff,
        organisation=awo,
        partner=school,
        kind="project",
        since=today - datetime.timedelta(days=10),
        until=None,
        topics=["school", "language"],
    )
    services.cooperation_create(
        centre=centre,
        by=staff,
        organisation=ended,
        partner=None,
        kind="agreement",
        since=today - datetime.timedelta(days=400),
        until=today - datetime.timedelta(days=1),
        topics=["housing"],
    )
    content = staff_client.get(reverse("network:network_view")).content.decode()
    assert "<svg" in content
    assert content.count("<line") >= 2 + 4  # two cooperations and the legend's four patterns
    assert 'stroke-dasharray="3 4"' in content  # the project, drawn dotted
    assert "Grundschule Nord" in content
    assert "Beendetes Projekt" not in content  # ended yesterday
    assert "<script" not in content.split("<main", 1)[1]
    assert "style=" not in content


def test_meeting_with_decision_and_follow_up_task(staff_client, staff, centre):
    organisation = OrganisationFactory(centre=centre)
    response = staff_client.post(
        reverse("network:meeting_list"),
        {
            "title": "Netzwerktreffen Frühjahr",
            "date": "2026-03-10",
            "participants": [str(organisation.pk)],
            "agenda": "1. Sprachmittlung",
            "minutes": "Alle anwesend.",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.for_centre(centre).get()
    detail = reverse("network:meeting_detail", args=[meeting.pk])
    response = staff_client.post(detail, {"text": "Pool für Sprachmittlung", "task": "Liste erstellen"})
    assert response.status_code == 400  # a task needs a due date
    assert not FollowUpTask.objects.for_centre(centre).exists()
    staff_client.post(
        detail,
        {
            "text": "Pool für Sprachmittlung",
            "task": "Liste erstellen",
            "responsible": str(organisation.pk),
            "due_on": "2026-04-01",
        },
    )
    task = FollowUpTask.objects.for_centre(centre).get()
    assert "Liste erstellen" in staff_client.get(reverse("network:meeting_list")).content.decode()
    staff_client.post(reverse("network:task_done", args=[task.pk]))
    task.refresh_from_db()
    assert task.done_on == timezone.localdate()


def test_another_centre_cannot_open_or_change_the_network(login, make_member, centre, other_centre, staff):
    organisation = OrganisationFactory(centre=centre)
    meeting = services.meeting_create(centre=centre, by=staff, title="Treffen", date=datetime.date(2026, 2, 2))
    outsider = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    assert outsider.get(reverse("network:organisation_detail", args=[organisation.pk])).status_code == 404
    assert outsider.get(reverse("network:meeting_detail", args=[meeting.pk])).status_code == 404
    response = outsider.post(reverse("network:organisation_edit", args=[organisation.pk]), {"name": "Übernommen"})
    assert response.status_code == 404
    organisation.refresh_from_db()
    assert organisation.name != "Übernommen"
