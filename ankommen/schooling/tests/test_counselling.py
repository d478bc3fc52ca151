# mypy: disable-error-code="attr-defined"

from __future__ import annotations

import datetime

import factory
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.crypto import decrypt_text
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.core.tests.form_fields import opened_version
from ankommen.people.tests.factories import PersonFactory
from ankommen.regions.tests.factories import CentreFactory
from ankommen.schooling import counselling
from ankommen.schooling.models import Assessment, CounsellingAppointment, CounsellingSlot, IntakeStatus
from ankommen.schooling.tests.factories import IntakeFactory

pytestmark = pytest.mark.django_db


class CounsellingSlotFactory(factory.django.DjangoModelFactory[CounsellingSlot]):
    class Meta:
        model = CounsellingSlot

    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=45))
    place = "Integrationszentrum, Raum 2.14, Marktplatz 1"


@pytest.fixture
def intake(centre):
    return IntakeFactory(child=PersonFactory(centre=centre, given_names="Марія", family_name="Коваленко"))


@pytest.fixture
def slot(centre, staff):
    return CounsellingSlotFactory(centre=centre, counsellor=staff)


def test_staff_create_a_slot_for_a_teacher_of_the_centre(staff_client, centre, make_member):
    teacher = make_member(Role.CENTRE_TEACHER, centre=centre)
    day = timezone.localdate() + datetime.timedelta(days=5)
    response = staff_client.post(
        reverse("schooling:slot_create"),
        {"counsellor": teacher.pk, "day": day.isoformat(), "starts_at": "09:00", "ends_at": "09:45", "place": "Raum 1"},
    )
    assert response.status_code == 302
    slot = CounsellingSlot.objects.for_centre(centre).get()
    assert slot.counsellor == teacher
    assert timezone.localtime(slot.starts_at).hour == 9
    assert list(counselling.free_slots(centre=centre)) == [slot]


def test_a_slot_for_someone_outside_the_centre_or_ending_before_it_starts_is_refused(staff_client, centre, make_member):
    outsider = make_member(Role.CENTRE_STAFF, centre=CentreFactory())
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    outside = {"counsellor": outsider.pk, "day": day, "starts_at": "09:00", "ends_at": "09:45", "place": "Raum 1"}
    assert staff_client.post(reverse("schooling:slot_create"), outside).status_code == 400
    staff = staff_client.get(reverse("schooling:slot_list")).wsgi_request.user
    backwards = {**outside, "counsellor": staff.pk, "starts_at": "10:00", "ends_at": "09:00"}
    response = staff_client.post(reverse("schooling:slot_create"), backwards)
    assert response.status_code == 400
    assert "nach dem Beginn" in response.text or "after the start" in response.text
    assert not CounsellingSlot.objects.for_centre(centre).exists()


def test_overlapping_slots_of_one_counsellor_are_refused(centre, staff):
    start = timezone.now() + datetime.timedelta(days=2)
    counselling.slot_create(
        centre=centre,
        by=staff,
        counsellor=staff,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        place="A",
    )
    with pytest.raises(counselling.ValidationError):
        counselling.slot_create(
            centre=centre,
            by=staff,
            counsellor=staff,
            starts_at=start + datetime.timedelta(minutes=30),
            ends_at=start + datetime.timedelta(hours=2),
            place="B",
        )
    assert CounsellingSlot.objects.for_centre(centre).count() == 1


def test_inviting_books_the_slot_and_marks_the_intake_invited(staff_client, staff, centre, intake, slot):
    response = staff_client.post(
        reverse("schooling:invitation_create", args=[intake.pk]),
        {"slot": slot.pk, "letter_language": "uk", "interpreter_needed": "on", "interpreter_language": "uk"},
    )
    assert response.status_code == 302
    appointment = CounsellingAppointment.objects.for_centre(centre).get()
    assert appointment.slot == slot
    assert appointment.interpreter_needed is True
    assert appointment.letter_language == "uk"
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.INVITED
    assert not counselling.free_slots(centre=centre).exists()
    assert AccessLogEntry.objects.filter(user=staff, record_id=str(intake.child_id)).exists()


def test_an_interpreter_needs_a_language(staff_client, centre, intake, slot):
    response = staff_client.post(
        reverse("schooling:invitation_create", args=[intake.pk]),
        {"slot": slot.pk, "letter_language": "de", "interpreter_needed": "on", "interpreter_language": ""},
    )
    assert response.status_code == 400
    assert not CounsellingAppointment.objects.for_centre(centre).exists()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.REGISTERED


def test_a_taken_slot_cannot_be_booked_twice(centre, staff, intake, slot):
    counselling.appointment_create(centre=centre, by=staff, intake=intake, slot=slot, interpreter_needed=False)
    other = IntakeFactory(child=PersonFactory(centre=centre))
    with pytest.raises(counselling.ValidationError):
        counselling.appointment_create(centre=centre, by=staff, intake=other, slot=slot, interpreter_needed=False)
    other.refresh_from_db()
    assert other.status == IntakeStatus.REGISTERED


def test_the_letter_language_defaults_to_the_language_of_the_preregistration(centre, staff, staff_client, slot):
    from ankommen.people.tests.factories import PostcodeFactory
    from ankommen.schooling.preregistration import preregistration_accept, preregistration_submit

    PostcodeFactory(code="50667", places="Köln", region=centre.region)
    child = {"given_names": "Ali", "family_name": "Haidari", "birth_date": "2014-01-02", "gender": "male"}
    guardian = {"given_names": "Zahra", "family_name": "Haidari", "relation": "mother", "phone": "0221 123456"}
    address = {"street": "Domstraße 1", "postcode": "50667", "place": "Köln"}
    preregistration = preregistration_submit(
        centre=centre, language="fa", payload={"guardians": [guardian], "children": [child], "address": address}
    )
    [intake] = preregistration_accept(
        centre=centre, by=staff, preregistration=preregistration, same_person={"guardian-0": None, "child-0": None}
    )
    assert counselling.family_language(centre=centre, intake=intake) == "fa"
    page = staff_client.get(reverse("schooling:invitation_create", args=[intake.pk]))
    assert '<option value="fa" selected>' in page.text


def test_the_assessment_is_saved_the_intake_assessed_and_health_notes_encrypted(staff_client, centre, intake):
    intake.status = IntakeStatus.INVITED
    intake.save()
    notes = "Asthma, Notfallspray im Ranzen"
    response = staff_client.post(
        reverse("schooling:assessment_edit", args=[intake.pk]),
        {
            "german_level": "A1",
            "maths_level": "at",
            "recommended_grade": "5",
            "acceptable_school_forms": ["Gesamtschule", "Realschule"],
            "special_needs_indicated": "",
            "notes": "Motiviert",
            "health_notes": notes,
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.for_centre(centre).get()
    assert assessment.acceptable_school_forms == ["Gesamtschule", "Realschule"]
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.ASSESSED
    with connection.cursor() as cursor:
        cursor.execute("SELECT health_notes_encrypted FROM schooling_assessment WHERE id = %s", [assessment.pk])
        raw = bytes(cursor.fetchone()[0])
    assert notes.encode() not in raw
    assert b"Asthma" not in raw
    assert decrypt_text(raw) == notes
    # Decrypted again on the assessment page, for the centre.
    page = staff_client.get(reverse("schooling:assessment_edit", args=[intake.pk]))
    assert notes in page.text


def test_health_notes_never_reach_the_history_table():
    event_fields = {field.name for field in Assessment.pgh_event_model._meta.get_fields()}
    assert "health_notes_encrypted" not in event_fields
    assert "german_level" in event_fields


def test_an_unknown_school_form_is_refused(staff_client, centre, intake):
    response = staff_client.post(
        reverse("schooling:assessment_edit", args=[intake.pk]),
        {"german_level": "A1", "maths_level": "at", "recommended_grade": "5", "acceptable_school_forms": ["Uni"]},
    )
    assert response.status_code == 400
    assert not Assessment.objects.for_centre(centre).exists()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.REGISTERED


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("schooling:invitation_create", "intake"),
        ("schooling:assessment_edit", "intake"),
        ("schooling:invitation_letter", "appointment"),
        ("schooling:invitation_sent", "appointment"),
    ],
)
def test_another_centres_staff_get_404_and_change_nothing(login, make_member, centre, staff, intake, slot, name, kind):
    appointment = counselling.appointment_create(
        centre=centre, by=staff, intake=intake, slot=slot, interpreter_needed=False
    )
    stranger = login(make_member(Role.CENTRE_STAFF, centre=CentreFactory()))
    url = reverse(name, args=[intake.pk if kind == "intake" else appointment.pk])
    assert stranger.get(url).status_code == 404
    post = {"german_level": "A1", "maths_level": "at", "recommended_grade": "5", "slot": slot.pk}
    assert stranger.post(url, post).status_code in {404, 405}
    assert not Assessment.objects.for_centre(centre).exists()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.INVITED
    assert not AccessLogEntry.objects.exclude(user=staff).exists()


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER])
@pytest.mark.parametrize(
    "name", ["schooling:slot_list", "schooling:slot_create", "schooling:invitation_create", "schooling:assessment_edit"]
)
def test_state_roles_get_403_and_change_nothing(login, make_member, centre, intake, role, name):
    client = login(make_member(role))
    url = reverse(name) if name in {"schooling:slot_list", "schooling:slot_create"} else reverse(name, args=[intake.pk])
    assert client.get(url).status_code == 403
    post = {"german_level": "A1", "maths_level": "at", "recommended_grade": "5"}
    assert client.post(url, post).status_code == 403
    assert not Assessment.objects.for_centre(centre).exists()
    assert not CounsellingSlot.objects.for_centre(centre).exists()


def test_the_slot_list_logs_the_children_it_shows(staff_client, staff, centre, intake, slot):
    counselling.appointment_create(centre=centre, by=staff, intake=intake, slot=slot, interpreter_needed=False)
    response = staff_client.get(reverse("schooling:slot_list"))
    assert "Коваленко" in response.text
    assert AccessLogEntry.objects.filter(user=staff, action=AccessAction.LIST, record_id=str(intake.child_id)).exists()


def test_notes_written_with_another_key_are_kept_and_not_shown(staff_client, centre, intake, settings):
    from cryptography.fernet import Fernet

    from ankommen.schooling.tests.factories import AssessmentFactory

    old_key = Fernet.generate_key()
    assessment = AssessmentFactory(intake=intake, health_notes_encrypted=Fernet(old_key).encrypt(b"Allergie"))
    url = reverse("schooling:assessment_edit", args=[intake.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "Allergie" not in page.text
    version = opened_version(staff_client, url)
    response = staff_client.post(url, {"german_level": "A2", "maths_level": "at", "recommended_grade": "6", **version})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.german_level == "A2"
    assert Fernet(old_key).decrypt(bytes(assessment.health_notes_encrypted)) == b"Allergie"
