# mypy: disable-error-code="attr-defined"
import pytest
from django.db import InternalError, ProgrammingError, transaction
from django.urls import reverse

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.people import services
from ankommen.people.models import Person
from ankommen.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client(make_member, login, centre):
    return login(make_member(Role.CENTRE_LEAD, centre=centre))


def test_lead_sees_changes_of_the_centre_only(lead_client, staff, centre, other_centre):
    mine = services.person_create(centre=centre, by=staff, given_names="Amina", family_name="Haidari")
    services.person_update(centre=centre, by=staff, person=mine, family_name="Haidary")
    services.person_create(centre=other_centre, by=staff, given_names="Other", family_name="Elsewhere")
    response = lead_client.get(reverse("audit:change_log"))
    assert response.status_code == 200
    assert "Haidari → Haidary" in response.text
    assert "Elsewhere" not in response.text
    filtered = lead_client.get(reverse("audit:change_log"), {"record_type": "people.family"})
    assert "Haidary" not in filtered.text


def test_lead_sees_and_filters_the_access_log(lead_client, staff_client, centre):
    person = PersonFactory(centre=centre)
    staff_client.get(reverse("people:person_detail", args=[person.pk]))
    response = lead_client.get(reverse("audit:access_log"), {"action": AccessAction.VIEW, "record_id": str(person.pk)})
    assert response.status_code == 200
    assert str(person.pk) in response.text
    empty = lead_client.get(reverse("audit:access_log"), {"action": AccessAction.EXPORT})
    assert str(person.pk) not in empty.text


@pytest.mark.parametrize("role", [Role.CENTRE_STAFF, Role.CENTRE_TEACHER])
def test_only_the_lead_reaches_the_audit_pages(make_member, login, centre, role):
    client = login(make_member(role, centre=centre))
    assert client.get(reverse("audit:change_log")).status_code == 403
    assert client.get(reverse("audit:access_log")).status_code == 403


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER])
def test_state_roles_do_not_reach_the_audit_pages(make_member, login, role):
    client = login(make_member(role))
    assert client.get(reverse("audit:change_log")).status_code == 403
    assert client.get(reverse("audit:access_log")).status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_history_and_access_log_rows_cannot_be_altered(centre, staff):
    person = services.person_create(centre=centre, by=staff, given_names="A", family_name="B")
    AccessLogEntry.objects.create(
        user=staff,
        centre=centre,
        role="centre_staff",
        record_type="people.person",
        record_id=str(person.pk),
        action=AccessAction.VIEW,
        purpose="case_work",
    )
    event_model = Person.pgh_event_model
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        event_model.objects.filter(pgh_obj_id=person.pk).update(family_name="Forged")
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        AccessLogEntry.objects.update(action=AccessAction.EXPORT)
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        AccessLogEntry.objects.all().delete()
    assert event_model.objects.get(pgh_obj_id=person.pk).family_name == "B"
    assert AccessLogEntry.objects.get().action == AccessAction.VIEW
