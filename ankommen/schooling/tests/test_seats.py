# mypy: disable-error-code="attr-defined"

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from ankommen.accounts.models import Role
from ankommen.core.tests.form_fields import opened_version
from ankommen.regions.tests.factories import MunicipalityFactory, SchoolFactory
from ankommen.schooling.models import SeatKind, SeatOffer
from ankommen.schooling.selectors import capacity_by_area, term_choices, term_of
from ankommen.schooling.services import seat_offer_set
from ankommen.schooling.tests.factories import SeatOfferFactory

pytestmark = pytest.mark.django_db

TERM = term_of(timezone.localdate())


@pytest.fixture
def school(centre):
    return SchoolFactory(municipality=MunicipalityFactory(centre=centre))


@pytest.fixture
def contact(make_member, school):
    return make_member(Role.SCHOOL_CONTACT, school=school)


@pytest.fixture
def contact_client(login, contact):
    return login(contact)


def _offers():
    return SeatOffer.objects.dangerously_unscoped()


def _post_seats(client, **overrides):
    data = {"term": TERM, "grade": "5", "kind": SeatKind.INITIAL_SUPPORT, "seats": "12", **overrides}
    return client.post(reverse("schooling:seat_create"), data)


def test_school_contact_adds_seats_for_their_school_in_the_schools_centre(contact_client, school, centre):
    response = _post_seats(contact_client)
    assert response.status_code == 302
    offer = _offers().get()
    assert (offer.school, offer.centre, offer.term, offer.grade, offer.seats) == (school, centre, TERM, 5, 12)


def test_adding_seats_again_changes_the_number_and_keeps_the_history(contact_client, contact, school):
    _post_seats(contact_client, seats="12")
    _post_seats(contact_client, seats="8")
    offer = _offers().get()
    assert offer.seats == 8
    events = SeatOffer.pgh_event_model.objects.filter(pgh_obj_id=offer.pk).order_by("pgh_id")
    assert [event.seats for event in events] == [12, 8]
    assert all(event.pgh_context.metadata["user"] == contact.pk for event in events)
    history = contact_client.get(reverse("schooling:seat_history"))
    assert "12 → 8" in history.text


def test_school_contact_sees_only_their_schools_seats(contact_client, school, centre):
    SeatOfferFactory(school=school, term=TERM, grade=3, seats=7)
    neighbour = SchoolFactory(municipality=school.municipality, name="Nachbarschule")
    SeatOfferFactory(school=neighbour, term=TERM, grade=4, seats=99)
    response = contact_client.get(reverse("schooling:seat_list"), {"term": TERM})
    assert response.status_code == 200
    assert [offer.seats for offer in response.context["offers"]] == [7]


def test_school_contact_cannot_see_or_change_another_schools_seats(contact_client, school):
    neighbour = SchoolFactory(municipality=school.municipality)
    offer = SeatOfferFactory(school=neighbour, term=TERM, seats=9)
    assert contact_client.get(reverse("schooling:seat_edit", args=[offer.pk])).status_code == 404
    assert contact_client.post(reverse("schooling:seat_edit", args=[offer.pk]), {"seats": "0"}).status_code == 404
    offer.refresh_from_db()
    assert offer.seats == 9
    assert SeatOffer.pgh_event_model.objects.filter(pgh_obj_id=offer.pk).count() == 1


def test_history_shows_only_the_own_schools_changes(contact_client, contact, school):
    seat_offer_set(school=school, by=contact, term=TERM, grade=2, kind=SeatKind.REGULAR_CLASS, seats=4)
    neighbour = SchoolFactory(municipality=school.municipality)
    seat_offer_set(school=neighbour, by=contact, term=TERM, grade=2, kind=SeatKind.REGULAR_CLASS, seats=31)
    entries = contact_client.get(reverse("schooling:seat_history")).context["entries"]
    assert len(entries) == 1


def test_school_contact_edits_their_seats(contact_client, school):
    offer = SeatOfferFactory(school=school, term=TERM, seats=9)
    url = reverse("schooling:seat_edit", args=[offer.pk])
    response = contact_client.post(url, {"seats": "3", **opened_version(contact_client, url)})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.seats == 3


def test_negative_seats_are_refused_in_german_and_nothing_is_written(contact_client):
    response = _post_seats(contact_client, seats="-2")
    assert response.status_code == 400
    assert "Die Zahl der Plätze kann nicht negativ sein." in response.text
    assert 'aria-describedby="id_seats-error"' in response.text
    assert not _offers().exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("grade", "14", "Die Klassen reichen von 1 bis 13."),
        ("grade", "0", "Die Klassen reichen von 1 bis 13."),
        ("term", "2019/20-1", "Wählen Sie das laufende oder eines der nächsten Halbjahre."),
        ("kind", "x", "Unbekannte Art von Plätzen."),
    ],
)
def test_unknown_grades_terms_and_kinds_are_refused_in_german(contact_client, field, value, message):
    response = _post_seats(contact_client, **{field: value})
    assert response.status_code == 400
    assert message in response.text
    assert f'aria-describedby="id_{field}-error"' in response.text
    assert not _offers().exists()


def test_service_refuses_bad_values_with_german_messages_and_writes_nothing(school, contact):
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        seat_offer_set(school=school, by=contact, term="2026/28-1", grade=14, kind="x", seats=-1)
    assert refused.value.message_dict == {
        "term": ["Dieses Halbjahr gibt es nicht. Geben Sie ein Halbjahr wie 2026/27-1 ein."],
        "grade": ["Die Klassen reichen von 1 bis 13."],
        "kind": ["Unbekannte Art von Plätzen."],
        "seats": ["Die Zahl der Plätze kann nicht negativ sein."],
    }
    assert not _offers().exists()


def test_centre_staff_see_capacity_by_area_and_grade(staff_client, school, centre):
    SeatOfferFactory(school=school, term=TERM, grade=5, kind=SeatKind.INITIAL_SUPPORT, seats=10)
    SeatOfferFactory(school=school, term=TERM, grade=5, kind=SeatKind.REGULAR_CLASS, seats=3)
    second = SchoolFactory(municipality=school.municipality)
    SeatOfferFactory(school=second, term=TERM, grade=5, kind=SeatKind.INITIAL_SUPPORT, seats=5)
    SeatOfferFactory(school=second, term=TERM, grade=7, kind=SeatKind.INITIAL_SUPPORT, seats=2)
    elsewhere = SchoolFactory()
    SeatOfferFactory(school=elsewhere, term=TERM, grade=5, seats=100)
    response = staff_client.get(reverse("schooling:capacity"), {"term": TERM})
    assert response.status_code == 200
    rows = [(row.municipality, row.grade, row.initial_support, row.regular_class) for row in response.context["rows"]]
    assert rows == [(school.municipality, 5, 15, 3), (school.municipality, 7, 2, 0)]
    assert response.context["total"] == 20


def test_capacity_counts_only_the_chosen_term(school, centre):
    SeatOfferFactory(school=school, term="2026/27-1", grade=5, seats=10)
    SeatOfferFactory(school=school, term="2026/27-2", grade=5, seats=4)
    assert [row.total for row in capacity_by_area(centre=centre, term="2026/27-2")] == [4]


@pytest.mark.parametrize("role", [Role.STATE_ANALYST, Role.RESEARCHER, Role.SCHOOL_CONTACT])
def test_capacity_is_refused_to_state_roles_and_school_contacts(make_member, login, role):
    client = login(make_member(role))
    assert client.get(reverse("schooling:capacity")).status_code == 403


@pytest.mark.parametrize("role", [Role.CENTRE_STAFF, Role.STATE_ANALYST])
def test_only_school_contacts_keep_seats(make_member, login, centre, role):
    client = login(make_member(role, centre=centre if role == Role.CENTRE_STAFF else None))
    assert client.get(reverse("schooling:seat_list")).status_code == 403
    response = _post_seats(client)
    assert response.status_code == 403
    assert not _offers().exists()


def test_the_empty_seat_form_offers_the_current_and_next_terms(contact_client):
    response = contact_client.get(reverse("schooling:seat_create"))
    assert response.status_code == 200
    terms = [value for value, _label in response.context["form"].fields["term"].choices]
    assert terms == [value for value, _label in term_choices()]
    assert terms[0] == TERM


@pytest.mark.parametrize(
    ("today", "terms"),
    [
        (datetime.date(2027, 1, 31), ["2026/27-1", "2026/27-2", "2027/28-1", "2027/28-2"]),
        (datetime.date(2027, 2, 1), ["2026/27-2", "2027/28-1", "2027/28-2", "2028/29-1"]),
        (datetime.date(2099, 8, 1), ["2099/00-1", "2099/00-2", "2100/01-1", "2100/01-2"]),
    ],
)
def test_terms_start_on_first_august_and_first_february(today, terms):
    assert [value for value, _label in term_choices(today)] == terms
