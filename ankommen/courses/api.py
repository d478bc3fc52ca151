"""The courses endpoints: the public catalogue, and the organising centre's courses and participants."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from ankommen.api.auth import authenticated
from ankommen.api.scoping import require_centre
from ankommen.core.access import log_access
from ankommen.core.concurrency import idempotent
from ankommen.core.models import AccessAction
from ankommen.courses import selectors, services
from ankommen.courses.models import Audience, Course, Registration, RegistrationStatus, Session, Topic
from ankommen.regions.models import School

router = Router(auth=authenticated, tags=["courses"])


class SessionOut(Schema):
    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    place: str
    is_online: bool


class CatalogueCourseOut(Schema):
    id: int
    title: str
    description: str
    centre: str = Field(..., alias="centre.name")
    topic: str = Field(..., alias="topic.key")
    audiences: list[str]
    is_statewide: bool
    seats: int
    free_seats: int
    credit_hours: Decimal
    sessions: list[SessionOut]

    @staticmethod
    def resolve_audiences(course: Course) -> list[str]:
        return [audience.key for audience in course.audiences.all()]

    @staticmethod
    def resolve_sessions(course: Course) -> list[object]:
        return list(course.sessions.all())


class CourseOut(Schema):
    id: int
    title: str
    topic: str = Field(..., alias="topic.key")
    seats: int
    credit_hours: Decimal
    is_published: bool
    is_statewide: bool
    confirmed: int = Field(..., alias="confirmed_count")
    waiting: int = Field(..., alias="waiting_count")


class CourseIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    topic: str = Field(..., description="Key of a topic, e.g. german-as-a-second-language")
    audiences: list[str] = Field(..., min_length=1, description="Keys of audiences, e.g. teachers")
    seats: int = Field(..., ge=1, le=500)
    credit_hours: Decimal = Field(..., ge=0, le=200)
    is_statewide: bool = False
    is_published: bool = True
    contact_email: str = ""


class RegistrationOut(Schema):
    id: int
    given_name: str
    family_name: str
    email: str
    school_number: str | None = Field(None, alias="school.number")
    organisation: str
    audience: str = Field(..., alias="audience.key")
    status: RegistrationStatus
    created_at: datetime.datetime
    moved_up_at: datetime.datetime | None


class RegistrationIn(Schema):
    given_name: str = Field(..., min_length=1, max_length=120)
    family_name: str = Field(..., min_length=1, max_length=120)
    email: str = Field(..., max_length=254)
    audience: str
    school_number: str = ""
    organisation: str = Field("", max_length=200)
    language: str = Field("", max_length=8, description="The person's language for mails (de, en, …); default de")


class SessionIn(Schema):
    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    place: str = Field("", max_length=200)
    is_online: bool = False
    online_url: str = ""


class SessionCreatedOut(SessionOut):
    id: int


class SessionRemoveIn(Schema):
    reason: str = Field("", max_length=500, description="Goes into the mail to the participants")


class SessionRemovedOut(Schema):
    informed: int = Field(..., description="People registered (confirmed or waiting) who are mailed the new dates")


@router.get("/catalogue", response=list[CatalogueCourseOut], auth=None, summary="The public course catalogue")
def catalogue(request: HttpRequest) -> list[Course]:
    return selectors.catalogue(filters=selectors.CatalogueFilters(), today=timezone.localdate())


@router.get("/", response=list[CourseOut], summary="The centre's courses")
def course_list(request: HttpRequest) -> list[Course]:
    return selectors.courses_of_centre(centre=require_centre(request))


def _by_key(model: type[Topic] | type[Audience], key: str, field: str) -> Topic | Audience:
    found = model.objects.filter(key=key).first()
    if found is None:
        raise ValidationError({field: [_("Unknown key: %(key)s") % {"key": key}]})
    return found


@router.post("/", response={201: CourseOut}, summary="Create a course (its sessions are added on the page)")
@idempotent
def course_create(request: HttpRequest, payload: CourseIn) -> Status[Course]:
    centre = require_centre(request)
    data = payload.dict(exclude={"topic", "audiences"})
    course = services.course_create(
        centre=centre,
        by=request.user,  # type: ignore[arg-type]
        topic=_by_key(Topic, payload.topic, "topic"),  # type: ignore[arg-type]
        audiences=[_by_key(Audience, key, "audiences") for key in payload.audiences],  # type: ignore[misc]
        **data,
    )
    return Status(201, selectors.course_of_centre(centre=centre, course_id=course.pk))


@router.get("/{int:course_id}/registrations", response=list[RegistrationOut], summary="Participants and waiting list")
def registration_list(request: HttpRequest, course_id: int) -> list[Registration]:
    course = selectors.course_of_centre(centre=require_centre(request), course_id=course_id)
    registrations = selectors.registrations_of_course(course=course)
    log_access(request, registrations, action=AccessAction.API)
    return registrations


@router.post(
    "/{int:course_id}/registrations",
    response={201: RegistrationOut},
    summary="Register a participant (e.g. by phone); a full course puts them on the waiting list",
)
@idempotent
def registration_create(request: HttpRequest, course_id: int, payload: RegistrationIn) -> Status[Registration]:
    course = selectors.course_of_centre(centre=require_centre(request), course_id=course_id)
    school = None
    if payload.school_number:
        school = School.objects.filter(number=payload.school_number).first()
        if school is None:
            raise ValidationError({"school_number": [_("There is no school with this number in NRW.")]})
    registration, _secret = services.registration_create(
        course=course,
        given_name=payload.given_name,
        family_name=payload.family_name,
        email=payload.email,
        audience=_by_key(Audience, payload.audience, "audience"),  # type: ignore[arg-type]
        school=school,
        organisation=payload.organisation,
        language=payload.language or "de",
    )
    return Status(201, registration)


@router.post("/{int:course_id}/sessions", response={201: SessionCreatedOut}, summary="Add a session to a course")
@idempotent
def session_create(request: HttpRequest, course_id: int, payload: SessionIn) -> Status[Session]:
    course = selectors.course_of_centre(centre=require_centre(request), course_id=course_id)
    session = services.session_add(course=course, by=request.user, **payload.dict())  # type: ignore[arg-type]
    return Status(201, session)


@router.post(
    "/sessions/{int:session_id}/remove",
    response=SessionRemovedOut,
    summary="Remove (cancel) a session; everyone registered is mailed the changed dates",
)
@idempotent
def session_remove(request: HttpRequest, session_id: int, payload: SessionRemoveIn) -> dict[str, int]:
    session = selectors.session_of_centre(centre=require_centre(request), session_id=session_id)
    informed = services.session_remove(session=session, by=request.user, reason=payload.reason)  # type: ignore[arg-type]
    return {"informed": len(informed)}
