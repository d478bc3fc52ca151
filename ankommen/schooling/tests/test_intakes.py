# mypy: disable-error-code="attr-defined"

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.core.models import AccessAction, AccessLogEntry
from ankommen.people.models import Consent, Family, GuardianRelation, LegalBasis, Person, Purpose
from ankommen.people.tests.factories import FamilyFactory, PersonFactory, PostcodeFactory
from ankommen.regions.tests.factories import MunicipalityFactory
from ankommen.schooling.models import DocumentKind, Intake, IntakeStatus
from ankommen.schooling.tests.factories import AssessmentFactory, IntakeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(centre):
    PostcodeFactory(code="53111", latitude=50.73, longitude=7.10)
    MunicipalityFactory(centre=centre, name="Fernort", latitude=51.5, longitude=6.5)
    return MunicipalityFactory(centre=centre, name="Bonn", latitude=50.74, longitude=7.09)


def _intake_post(**overrides):
    return {
        "child_given_names": "Olena",
        "child_family_name": "Kovalenko",
        "child_birth_date": "2015-03-01",
        "child_gender": "female",
        "child_languages": ["uk", "ru"],
        "child_arrived_in_germany": "2026-09-01",
        "street": "Beispielweg 3",
        "postcode": "53111",
        "place": "Bonn",
        "guardian1_given_names": "Iryna",
        "guardian1_family_name": "Kovalenko",
        "guardian1_kind": "mother",
        "guardian1_phone": "0228 123",
        "years_of_schooling": "4",
        "last_grade": "4",
        "schooling_country": "UA",
        "literate_in_latin_script": "no",
        "documents_seen": [DocumentKind.PASSPORT, DocumentKind.VACCINATION_RECORD],
        "registered_on": timezone.localdate().isoformat(),
        "legal_basis": LegalBasis.PUBLIC_TASK,
        **overrides,
    }


def _counts():
    return (
        Person.objects.dangerously_unscoped().count(),
        Family.objects.dangerously_unscoped().count(),
        GuardianRelation.objects.dangerously_unscoped().count(),
        Consent.objects.dangerously_unscoped().count(),
        Intake.objects.dangerously_unscoped().count(),
    )


def test_staff_register_a_child_with_guardian_address_schooling_and_legal_basis(staff_client, centre, area):
    response = staff_client.post(reverse("schooling:intake_create"), _intake_post())
    assert response.status_code == 302
    intake = Intake.objects.for_centre(centre).get()
    child = intake.child
    assert response.url == reverse("schooling:intake_detail", args=[intake.pk])
    assert (child.given_names, child.languages, child.arrived_in_germany) == (
        "Olena",
        ["uk", "ru"],
        datetime.date(2026, 9, 1),
    )
    assert child.family.postcode == "53111"
    assert intake.municipality == area
    assert (intake.years_of_schooling, intake.last_grade, intake.schooling_country) == (4, 4, "UA")
    assert intake.literate_in_latin_script is False
    assert intake.documents_seen == [DocumentKind.PASSPORT, DocumentKind.VACCINATION_RECORD]
    relation = GuardianRelation.objects.for_centre(centre).get(child=child)
    assert (relation.guardian.given_names, relation.guardian.family_id, relation.kind) == (
        "Iryna",
        child.family_id,
        "mother",
    )
    consent = Consent.objects.for_centre(centre).get(person=child)
    assert (consent.purpose, consent.legal_basis) == (Purpose.SCHOOL_PLACEMENT, LegalBasis.PUBLIC_TASK)


def test_likely_duplicate_is_shown_and_nothing_is_written_until_staff_decide(staff_client, staff, centre, area):
    existing = PersonFactory(
        centre=centre, given_names="Olena", family_name="Kovalenko", birth_date=datetime.date(2015, 3, 1)
    )
    before = _counts()
    response = staff_client.post(reverse("schooling:intake_create"), _intake_post())
    assert response.status_code == 200
    assert f'value="{existing.pk}"' in response.text
    assert 'name="match_child"' in response.text
    assert _counts() == before
    shown = AccessLogEntry.objects.filter(user=staff, action=AccessAction.SEARCH)
    assert str(existing.pk) in set(shown.values_list("record_id", flat=True))


def test_staff_choose_the_same_person_and_the_intake_uses_the_existing_record(staff_client, centre, area):
    existing = PersonFactory(
        centre=centre, given_names="Olena", family_name="Kovalenko", birth_date=datetime.date(2015, 3, 1)
    )
    response = staff_client.post(
        reverse("schooling:intake_create"), _intake_post(match_child=str(existing.pk), match_guardian1="new")
    )
    assert response.status_code == 302
    intake = Intake.objects.for_centre(centre).get()
    assert intake.child == existing
    assert Person.objects.for_centre(centre).filter(given_names="Olena").count() == 1
    existing.refresh_from_db()
    assert existing.family is not None


def test_staff_choose_a_new_person_despite_the_similar_name(staff_client, centre, area):
    PersonFactory(centre=centre, given_names="Olena", family_name="Kovalenko", birth_date=datetime.date(2015, 3, 1))
    response = staff_client.post(
        reverse("schooling:intake_create"), _intake_post(match_child="new", match_guardian1="new")
    )
    assert response.status_code == 302
    assert Person.objects.for_centre(centre).filter(given_names="Olena").count() == 2


def test_an_existing_guardian_is_linked_not_copied(staff_client, centre, area):
    family = FamilyFactory(centre=centre, postcode="53111")
    mother = PersonFactory(centre=centre, given_names="Iryna", family_name="Kovalenko", family=family, birth_date=None)
    response = staff_client.post(
        reverse("schooling:intake_create"), _intake_post(match_guardian1=str(mother.pk), match_child="new")
    )
    assert response.status_code == 302
    child = Intake.objects.for_centre(centre).get().child
    assert child.family == family
    assert GuardianRelation.objects.for_centre(centre).get(child=child).guardian == mother
    assert Person.objects.for_centre(centre).filter(given_names="Iryna").count() == 1


def test_a_duplicate_of_another_centre_is_never_shown(staff_client, centre, other_centre, area):
    PersonFactory(
        centre=other_centre, given_names="Olena", family_name="Kovalenko", birth_date=datetime.date(2015, 3, 1)
    )
    response = staff_client.post(reverse("schooling:intake_create"), _intake_post())
    assert response.status_code == 302


def test_bad_input_shows_the_form_again_in_german_and_writes_nothing(staff_client, area):
    before = _counts()
    response = staff_client.post(
        reverse("schooling:intake_create"),
        _intake_post(postcode="99999", last_grade="14", child_languages=["xx"]),
    )
    assert response.status_code == 400
    assert 'aria-describedby="id_last_grade-error"' in response.text
    assert 'aria-describedby="id_child_languages-error"' in response.text
    assert _counts() == before


def test_a_refused_postcode_leaves_nothing_half_written(staff_client, area):
    before = _counts()
    response = staff_client.post(reverse("schooling:intake_create"), _intake_post(postcode="99999"))
    assert response.status_code == 400
    assert "Diese Postleitzahl gibt es nicht." in response.text
    assert 'aria-describedby="id_postcode-error"' in response.text
    assert _counts() == before


def test_a_child_with_an_open_intake_is_not_registered_twice(staff_client, centre, area):
    existing = PersonFactory(
        centre=centre, given_names="Olena", family_name="Kovalenko", birth_date=datetime.date(2015, 3, 1)
    )
    IntakeFactory(child=existing)
    before = _counts()
    response = staff_client.post(
        reverse("schooling:intake_create"), _intake_post(match_child=str(existing.pk), match_guardian1="new")
    )
    assert response.status_code == 400
    assert "Für dieses Kind gibt es bereits eine offene Schulanmeldung." in response.text
    assert _counts() == before


def test_list_shows_days_waiting_marks_long_waits_and_logs_each_child(staff_client, staff, centre, settings):
    settings.SCHOOLING_WAITING_ALERT_DAYS = 28
    today = timezone.localdate()
    long = IntakeFactory(child=PersonFactory(centre=centre), registered_on=today - datetime.timedelta(days=40))
    short = IntakeFactory(child=PersonFactory(centre=centre), registered_on=today - datetime.timedelta(days=3))
    response = staff_client.get(reverse("schooling:intake_list"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row.pk, row.days_waiting, row.over_limit) for row in rows] == [(long.pk, 40, True), (short.pk, 3, False)]
    assert "über 28 Tage" in response.text
    assert AccessLogEntry.objects.filter(user=staff, action=AccessAction.LIST).count() == 2


def test_list_filters_by_status_grade_and_area(staff_client, centre, area):
    assessed = IntakeFactory(child=PersonFactory(centre=centre), status=IntakeStatus.ASSESSED, municipality=area)
    AssessmentFactory(intake=assessed, recommended_grade=7)
    IntakeFactory(child=PersonFactory(centre=centre), status=IntakeStatus.REGISTERED)
    url = reverse("schooling:intake_list")
    assert [row.pk for row in staff_client.get(url, {"status": "assessed"}).context["rows"]] == [assessed.pk]
    assert [row.pk for row in staff_client.get(url, {"grade": "7"}).context["rows"]] == [assessed.pk]
    assert [row.pk for row in staff_client.get(url, {"area": area.pk}).context["rows"]] == [assessed.pk]


def test_detail_shows_the_case_and_logs_the_view(staff_client, staff, centre):
    intake = IntakeFactory(child=PersonFactory(centre=centre, given_names="Amir"), schooling_country="SY")
    response = staff_client.get(reverse("schooling:intake_detail", args=[intake.pk]))
    assert response.status_code == 200
    assert "Amir" in response.text
    assert "Syrien" in response.text
    logged = set(
        AccessLogEntry.objects.filter(user=staff, action=AccessAction.VIEW).values_list("record_type", "record_id")
    )
    assert logged == {("schooling.intake", str(intake.pk)), ("people.person", str(intake.child.pk))}


def test_staff_of_another_centre_get_404_on_intakes(make_member, login, centre, other_centre):
    intake = IntakeFactory(child=PersonFactory(centre=centre))
    client = login(make_member(Role.CENTRE_STAFF, centre=other_centre))
    assert client.get(reverse("schooling:intake_detail", args=[intake.pk])).status_code == 404
    assert client.get(reverse("schooling:intake_list")).context["rows"] == []
    assert not AccessLogEntry.objects.filter(record_id=str(intake.child.pk)).exists()


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER, Role.SCHOOL_CONTACT])
def test_state_roles_and_school_contacts_never_reach_intakes(make_member, login, centre, area, role):
    intake = IntakeFactory(child=PersonFactory(centre=centre))
    client = login(make_member(role))
    before = _counts()
    assert client.get(reverse("schooling:intake_list")).status_code == 403
    assert client.get(reverse("schooling:intake_detail", args=[intake.pk])).status_code == 403
    assert client.post(reverse("schooling:intake_create"), _intake_post()).status_code == 403
    assert _counts() == before


def test_the_empty_intake_form_opens_for_centre_teachers(make_member, login, centre):
    response = login(make_member(Role.CENTRE_TEACHER, centre=centre)).get(reverse("schooling:intake_create"))
    assert response.status_code == 200
    assert 'name="child_given_names"' in response.text
