# mypy: disable-error-code="misc, return-value, arg-type"
"""Permission-matrix rows of the volunteers module (KOMM-AN)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from ankommen.accounts.models import Membership, Role
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.people.models import Consent, LegalBasis, Purpose
from ankommen.volunteering import shifts
from ankommen.volunteering.models import (
    Assignment,
    AssignmentStatus,
    BatchRun,
    BatchRunStatus,
    HoursEntry,
    MeetingPoint,
    RequestStatus,
    Shift,
    ShiftSignup,
    SupportRequest,
    Volunteer,
    VolunteerStatus,
)
from tests.matrix_types import Access, ApiRoute, Route, World

C = Access.CENTRE
V = Access.VOLUNTEER


def _volunteer(centre: Any, user: Any, **fields: Any) -> Volunteer:
    return Volunteer.objects.create(
        centre=centre,
        user=user,
        status=VolunteerStatus.VERIFIED,
        postcode="50667",
        latitude=50.94,
        longitude=6.95,
        radius_km=10,
        max_parallel=2,
        languages={"uk": "native"},
        activities=["homework_help"],
        availability=0b111,
        consent_given_at=timezone.now(),
        **fields,
    )


def member(role: Role, centre: Any) -> tuple[Any, Membership] | None:
    """A volunteer of the matrix has a verified profile in the centre (without the world's assignment)."""
    if role != Role.VOLUNTEER:
        return None
    user = UserFactory()
    membership = MembershipFactory(user=user, role=role, centre=centre)
    _volunteer(centre, user)
    return user, membership


def extend_world(world: World) -> None:
    centre = world.centre
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, role=Role.CENTRE_STAFF, centre=centre)
    owner = UserFactory()
    MembershipFactory(user=owner, role=Role.VOLUNTEER, centre=centre)
    volunteer = _volunteer(centre, owner, open_assignments=1)
    Consent.objects.create(
        centre=centre,
        person=world.person,
        purpose=Purpose.VOLUNTEER_SUPPORT,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2026, 1, 2),
        recorded_by=coordinator,
    )
    support = SupportRequest.objects.create(
        centre=centre,
        person=world.person,
        activity="homework_help",
        languages=["uk"],
        availability=0b1,
        postcode="50667",
        latitude=50.94,
        longitude=6.95,
        expected_duration="weeks",
        status=RequestStatus.ACTIVE,
        created_by=coordinator,
    )
    assignment = Assignment.objects.create(
        centre=centre, request=support, volunteer=volunteer, proposed_by=coordinator, status=AssignmentStatus.ACTIVE
    )
    entry = HoursEntry.objects.create(
        centre=centre,
        volunteer=volunteer,
        assignment=assignment,
        date=datetime.date(2026, 2, 1),
        hours=2,
        activity="homework_help",
    )
    point = MeetingPoint.objects.create(centre=centre, name="Ankommenscafé", address="Domplatz 1")
    today = timezone.localdate()
    shift = Shift.objects.create(
        centre=centre,
        meeting_point=point,
        title="Café",
        weekday=(today + datetime.timedelta(days=1)).weekday(),
        starts_at=datetime.time(15),
        ends_at=datetime.time(18),
        slots=3,
        first_date=today,
        last_date=today + datetime.timedelta(days=30),
    )
    signup = ShiftSignup.objects.create(
        centre=centre, shift=shift, date=today + datetime.timedelta(days=1), volunteer=volunteer
    )
    run = BatchRun.objects.create(
        centre=centre,
        started_by=coordinator,
        status=BatchRunStatus.READY,
        summary={"open_requests": 0, "optimal": {"matched": 0}, "greedy": {"matched": 0}},
    )
    world.extra.update(
        batch_run=run,
        shift=shift,
        signup=signup,
        volunteer=volunteer,
        support_request=support,
        assignment=assignment,
        hours_entry=entry,
        coordinator=coordinator,
    )


def _other_volunteers_object(role: Role | None, own_centre: bool) -> set[int]:
    # Another volunteer's assignment does not exist for a volunteer; other roles may not enter at all.
    if role is None:
        return {302}
    return {404} if role == Role.VOLUNTEER else {403}


def _own_centre_volunteer_write(role: Role | None, own_centre: bool) -> set[int]:
    # A volunteer of the centre may sign up for its shifts; one of another centre finds no such shift.
    if role is None:
        return {302}
    if role == Role.VOLUNTEER:
        return {200} if own_centre else {404}
    return {403}


def _volunteer_page(role: Role | None, own_centre: bool) -> set[int]:
    if role is None:
        return {302}
    return {200} if role == Role.VOLUNTEER else {403}


def _request_post(world: World) -> dict[str, Any]:
    return {
        "person": str(world.person.pk),
        "activity": "homework_help",
        "postcode": "50667",
        "expected_duration": "weeks",
        "day_0": ["0"],
    }


def _signup_post(world: World) -> dict[str, Any]:
    return {"display_name": "Matrix"}


volunteer_kwargs = {"kwargs": lambda w: {"volunteer_id": w.extra["volunteer"].pk}, "names_centre_object": True}
batch_kwargs = {"kwargs": lambda w: {"run_id": w.extra["batch_run"].pk}, "names_centre_object": True}
request_kwargs = {"kwargs": lambda w: {"request_id": w.extra["support_request"].pk}, "names_centre_object": True}

ROUTES: dict[str, Route] = {
    "volunteering:signup": Route(Access.PUBLIC, post=_signup_post),
    "volunteering:signup_thanks": Route(Access.PUBLIC),
    "volunteering:signup_confirm": Route(
        Access.PUBLIC, kwargs=lambda w: {"token": "not-a-token"}, expect=lambda role, own: {400}
    ),
    "volunteering:portal": Route(V, expect=_volunteer_page),
    "volunteering:assignment_respond": Route(
        V,
        kwargs=lambda w: {"assignment_id": w.extra["assignment"].pk},
        post=lambda w: {"decision": "decline", "reason": "no time"},
        get_allowed=False,
        expect=_other_volunteers_object,
    ),
    "volunteering:hours_log": Route(
        V,
        post=lambda w: {"assignment": str(w.extra["assignment"].pk), "date": "2026-02-02", "hours": "3"},
        get_allowed=False,
        expect=_volunteer_page,
    ),
    "volunteering:profile_edit": Route(
        V,
        post=lambda w: {"postcode": "50667", "radius_km": "5", "max_parallel": "1", "activities": ["leisure"]},
        expect=_volunteer_page,
    ),
    "volunteering:consent_withdraw": Route(V, post=lambda w: {"confirm": "on"}, expect=_volunteer_page),
    "volunteering:shift_board": Route(V, expect=_volunteer_page),
    "volunteering:shift_sign_up": Route(
        V,
        kwargs=lambda w: {"shift_id": w.extra["shift"].pk},
        post=lambda w: {"date": w.extra["signup"].date.isoformat()},
        get_allowed=False,
        expect=_own_centre_volunteer_write,
    ),
    "volunteering:shift_cancel": Route(
        V,
        kwargs=lambda w: {"signup_id": w.extra["signup"].pk},
        post=lambda w: {},
        get_allowed=False,
        expect=_other_volunteers_object,
    ),
    "volunteering:calendar_feed": Route(
        Access.PUBLIC, kwargs=lambda w: {"token": shifts.feed_token(w.extra["volunteer"])}
    ),
    "volunteering:partner_request_list": Route(Access.PARTNER),
    "volunteering:partner_request_create": Route(
        Access.PARTNER,
        post=lambda w: {
            "activity": "leisure",
            "postcode": "50667",
            "expected_duration": "once",
            "day_0": ["0"],
            "family_consented": "on",
        },
    ),
    "volunteering:shift_plan": Route(C, post=lambda w: {"point-name": "Kleiderkammer", "point-address": "Weg 1"}),
    "volunteering:shift_edit": Route(
        C,
        kwargs=lambda w: {"shift_id": w.extra["shift"].pk},
        post=lambda w: {
            "shift-meeting_point": str(w.extra["shift"].meeting_point_id),
            "shift-title": "Geändert",
            "shift-weekday": str(w.extra["shift"].weekday),
            "shift-starts_at": "15:00",
            "shift-ends_at": "19:00",
            "shift-slots": "4",
            "shift-first_date": w.extra["shift"].first_date.isoformat(),
            "shift-last_date": w.extra["shift"].last_date.isoformat(),
        },
        names_centre_object=True,
    ),
    "volunteering:shift_delete": Route(
        C,
        kwargs=lambda w: {"shift_id": w.extra["shift"].pk},
        post=lambda w: {},
        get_allowed=False,
        names_centre_object=True,
    ),
    "volunteering:shift_hours": Route(C, kwargs=lambda w: {"shift_id": w.extra["shift"].pk}, names_centre_object=True),
    "volunteering:shift_hours_log": Route(
        V,
        kwargs=lambda w: {"signup_id": w.extra["signup"].pk},
        post=lambda w: {"hours": "2"},
        get_allowed=False,
        expect=_other_volunteers_object,
    ),
    "volunteering:volunteer_list": Route(C),
    "volunteering:volunteer_detail": Route(C, **volunteer_kwargs),
    "volunteering:volunteer_edit": Route(
        C,
        post=lambda w: {
            "postcode": "50667",
            "radius_km": "20",
            "max_parallel": "3",
            "activities": ["leisure"],
            "language_0": "uk",
            "level_0": "native",
            "day_0": ["0"],
        },
        **volunteer_kwargs,
    ),
    "volunteering:volunteer_verify": Route(
        C, post=lambda w: {"identity_document_seen": "on"}, get_allowed=False, **volunteer_kwargs
    ),
    "volunteering:clearance_record": Route(
        C,
        post=lambda w: {"issued_on": "2026-01-05", "inspected_on": "2026-01-10", "no_relevant_entry": "on"},
        **volunteer_kwargs,
    ),
    "volunteering:engagement_certificate": Route(C, **volunteer_kwargs),
    "volunteering:request_list": Route(C),
    "volunteering:request_create": Route(C, post=_request_post),
    "volunteering:request_detail": Route(C, **request_kwargs),
    "volunteering:request_propose": Route(
        C, post=lambda w: {"volunteer": str(w.extra["volunteer"].pk)}, get_allowed=False, **request_kwargs
    ),
    "volunteering:request_close": Route(C, post=lambda w: {"reason": "completed"}, get_allowed=False, **request_kwargs),
    "volunteering:batch": Route(C, post=lambda w: {}),
    "volunteering:batch_run_detail": Route(C, **batch_kwargs),
    "volunteering:batch_run_progress": Route(C, **batch_kwargs),
    "volunteering:batch_run_apply": Route(C, post=lambda w: {}, get_allowed=False, **batch_kwargs),
    "volunteering:hours_list": Route(C),
    "volunteering:hours_decide": Route(
        C,
        kwargs=lambda w: {"entry_id": w.extra["hours_entry"].pk},
        post=lambda w: {"decision": "confirm"},
        get_allowed=False,
        names_centre_object=True,
    ),
}


def _api_own(role: Role | None, own_centre: bool) -> tuple[set[int], set[int]]:
    if role is None:
        return set(), {401}
    return ({200}, set()) if role == Role.VOLUNTEER else (set(), {403})


def _api_other_volunteers_object(role: Role | None, own_centre: bool) -> tuple[set[int], set[int]]:
    if role is None:
        return set(), {401}
    return set(), ({404} if role == Role.VOLUNTEER else {403})


API = "/api/v1/volunteering"
API_ROUTES: dict[tuple[str, str], ApiRoute] = {
    ("get", f"{API}/volunteers"): ApiRoute(C, lambda w: f"{API}/volunteers"),
    ("get", f"{API}/volunteers/{{volunteer_id}}"): ApiRoute(
        C, lambda w: f"{API}/volunteers/{w.extra['volunteer'].pk}", names_centre_object=True
    ),
    ("get", f"{API}/requests"): ApiRoute(C, lambda w: f"{API}/requests"),
    ("post", f"{API}/requests"): ApiRoute(
        C,
        lambda w: f"{API}/requests",
        body=lambda w: {
            "person_id": str(w.person.pk),
            "activity": "homework_help",
            "postcode": "50667",
            "expected_duration": "weeks",
        },
        names_centre_object=True,
    ),
    ("get", f"{API}/requests/{{request_id}}/suggestions"): ApiRoute(
        C, lambda w: f"{API}/requests/{w.extra['support_request'].pk}/suggestions", names_centre_object=True
    ),
    ("get", f"{API}/assignments"): ApiRoute(C, lambda w: f"{API}/assignments"),
    ("get", f"{API}/shifts/unfilled"): ApiRoute(C, lambda w: f"{API}/shifts/unfilled"),
    ("get", f"{API}/hours"): ApiRoute(C, lambda w: f"{API}/hours"),
    ("get", f"{API}/figures"): ApiRoute(C, lambda w: f"{API}/figures"),
    ("get", f"{API}/me"): ApiRoute(V, lambda w: f"{API}/me", expect=_api_own),
    ("post", f"{API}/me/assignments/{{assignment_id}}"): ApiRoute(
        V,
        lambda w: f"{API}/me/assignments/{w.extra['assignment'].pk}",
        body=lambda w: {"accept": False, "reason": "no time"},
        expect=_api_other_volunteers_object,
    ),
}

TABLES = [
    "volunteering_volunteer",
    "volunteering_clearanceinspection",
    "volunteering_supportrequest",
    "volunteering_assignment",
    "volunteering_requeststep",
    "volunteering_hoursentry",
    "volunteering_shiftsignup",
    "volunteering_meetingpoint",
    "volunteering_shift",
    "volunteering_batchrun",
]
