"""Permission matrix rows of the work module (see tests/matrix_types.py).

The world's centre has a verified employer with one offer, a pending sign-up, two candidate profiles, one
application shared with the employer and one the candidate has agreed to but the centre has not shared yet. The
matrix's employer contact of the world's centre acts for the world's employer; the one of the other centre for
an employer there.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ankommen.accounts.models import CENTRE_ROLES, STATE_ROLES, Role
from ankommen.accounts.tests.factories import UserFactory
from ankommen.people.models import Consent, LegalBasis, Purpose
from ankommen.work import services
from ankommen.work.tests import factories
from tests.matrix_types import Access, ApiRoute, Route, World

C, E, P = Access.CENTRE, Access.EMPLOYER, Access.PUBLIC
_world_employer: dict[str, Any] = {}


def _offer_post(world: World) -> dict[str, Any]:
    return {
        "kind": "ausbildung",
        "title": "Geänderte Ausbildung",
        "occupation": world.extra["work_occupation"].label,
        "postcode": "50667",
        "place": "Köln",
        "start_date": (timezone.localdate().replace(day=1).replace(year=timezone.localdate().year + 1)).isoformat(),
        "seats": "3",
        "hours_per_week": "39",
        "german_level": "A2",
        "minimum_age": "16",
    }


def _profile_post(world: World) -> dict[str, Any]:
    return {
        "wish_1": world.extra["work_occupation"].label,
        "german_level": "B2",
        "permit": str(factories.permit().pk),
        "postcode": "50667",
        "mobility_radius_km": "30",
        "available_from": timezone.localdate().isoformat(),
        "years_of_experience": "2",
    }


def _employer_post(world: World) -> dict[str, Any]:
    return {"name": "Geändert GmbH", "postcode": "50667", "place": "Köln", "email": "neu@example.org"}


def _application(world: World) -> dict[str, Any]:
    return {"application_id": world.extra["work_shared_application"].pk}


ROUTES: dict[str, Route] = {
    "work:offer_board": Route(P),
    "work:offer_board_detail": Route(P, kwargs=lambda w: {"offer_id": w.extra["work_offer"].pk}),
    "work:occupation_suggest": Route(P),
    "work:employer_signup": Route(P),
    "work:employer_signup_thanks": Route(P),
    "work:employer_list": Route(C),
    "work:employer_detail": Route(
        C, kwargs=lambda w: {"employer_id": w.extra["work_employer"].pk}, names_centre_object=True
    ),
    "work:employer_verify": Route(
        C,
        kwargs=lambda w: {"employer_id": w.extra["work_pending_employer"].pk},
        post=lambda w: {},
        names_centre_object=True,
        get_allowed=False,
    ),
    "work:employer_reject": Route(
        C,
        kwargs=lambda w: {"employer_id": w.extra["work_pending_employer"].pk},
        post=lambda w: {"reason": "Kein Betrieb"},
        names_centre_object=True,
        get_allowed=False,
    ),
    "work:employer_contact_add": Route(
        C,
        kwargs=lambda w: {"employer_id": w.extra["work_employer"].pk},
        post=lambda w: {"name": "Zweite Person", "email": "zweite@example.org"},
        names_centre_object=True,
        get_allowed=False,
    ),
    "work:offer_list": Route(C),
    "work:offer_matches": Route(C, kwargs=lambda w: {"offer_id": w.extra["work_offer"].pk}, names_centre_object=True),
    "work:application_propose": Route(
        C,
        kwargs=lambda w: {"offer_id": w.extra["work_offer"].pk},
        post=lambda w: {"profile": str(w.extra["work_second_profile"].pk)},
        names_centre_object=True,
        get_allowed=False,
    ),
    "work:candidate_list": Route(C),
    "work:candidate_create": Route(C),
    "work:candidate_detail": Route(
        C, kwargs=lambda w: {"profile_id": w.extra["work_profile"].pk}, names_centre_object=True
    ),
    "work:candidate_edit": Route(
        C, kwargs=lambda w: {"profile_id": w.extra["work_profile"].pk}, post=_profile_post, names_centre_object=True
    ),
    "work:candidate_status": Route(
        C,
        kwargs=lambda w: {"profile_id": w.extra["work_profile"].pk, "move": "pause"},
        post=lambda w: {"pause-reason": "Sprachkurs"},
        names_centre_object=True,
        get_allowed=False,
    ),
    "work:qualification_add": Route(
        C,
        kwargs=lambda w: {"profile_id": w.extra["work_profile"].pk},
        post=lambda w: {"title": "Koch (Syrien)", "recognition": "in_progress"},
        names_centre_object=True,
    ),
    "work:application_list": Route(C),
    "work:application_detail": Route(C, kwargs=_application, names_centre_object=True),
    "work:application_step": Route(
        C,
        kwargs=lambda w: {"application_id": w.extra["work_agreed_application"].pk, "step": "share"},
        post=lambda w: {},
        names_centre_object=True,
        get_allowed=False,
    ),
    "work:figures": Route(C),
    "work:portal": Route(E),
    "work:organisation_edit": Route(E, post=_employer_post),
    "work:offer_create": Route(E, post=_offer_post),
    "work:offer_edit": Route(
        E, kwargs=lambda w: {"offer_id": w.extra["work_offer"].pk}, post=_offer_post, names_centre_object=True
    ),
    "work:offer_close": Route(
        E,
        kwargs=lambda w: {"offer_id": w.extra["work_offer"].pk},
        post=lambda w: {},
        names_centre_object=True,
        get_allowed=False,
    ),
    "work:shared_profile": Route(E, kwargs=_application, names_centre_object=True),
    "work:shared_profile_step": Route(
        E,
        kwargs=lambda w: {**_application(w), "step": "interview"},
        post=lambda w: {"interview_at": "2026-12-01T10:00"},
        names_centre_object=True,
        get_allowed=False,
    ),
}


def _centre_or_employer(role: Role | None, own_centre: bool, *, names_object: bool) -> tuple[set[int], set[int]]:
    if role is None:
        return set(), {401}
    if role not in CENTRE_ROLES and role != Role.EMPLOYER_CONTACT:
        return set(), {403}
    if names_object and not own_centre:
        return set(), {404}
    return {200, 201}, set()


def _figures_expect(role: Role | None, own_centre: bool) -> tuple[set[int], set[int]]:
    if role is None:
        return set(), {401}
    if role in CENTRE_ROLES or role in STATE_ROLES:
        return {200}, set()
    return set(), {403}


def _offer_body(world: World) -> dict[str, Any]:
    body = _offer_post(world)
    return {
        **{key: body[key] for key in ("kind", "title", "postcode", "place", "start_date", "german_level")},
        "occupation_uri": world.extra["work_occupation"].uri,
        "seats": 2,
        "hours_per_week": 39,
    }


W = "/api/v1/work"
API_ROUTES: dict[tuple[str, str], ApiRoute] = {
    ("get", f"{W}/board"): ApiRoute(P, lambda w: f"{W}/board"),
    ("get", f"{W}/offers"): ApiRoute(
        C, lambda w: f"{W}/offers", expect=lambda r, o: _centre_or_employer(r, o, names_object=False)
    ),
    ("post", f"{W}/offers"): ApiRoute(E, lambda w: f"{W}/offers", body=_offer_body),
    ("get", f"{W}/offers/{{offer_id}}"): ApiRoute(
        C,
        lambda w: f"{W}/offers/{w.extra['work_offer'].pk}",
        expect=lambda r, o: _centre_or_employer(r, o, names_object=True),
    ),
    ("patch", f"{W}/offers/{{offer_id}}"): ApiRoute(
        C,
        lambda w: f"{W}/offers/{w.extra['work_offer'].pk}",
        body=lambda w: {"title": "Ausbildung Koch/Köchin (geändert)", "seats": 3},
        expect=lambda r, o: _centre_or_employer(r, o, names_object=True),
    ),
    ("get", f"{W}/offers/{{offer_id}}/matches"): ApiRoute(
        C, lambda w: f"{W}/offers/{w.extra['work_offer'].pk}/matches", names_centre_object=True
    ),
    ("get", f"{W}/candidates"): ApiRoute(C, lambda w: f"{W}/candidates"),
    ("get", f"{W}/candidates/{{profile_id}}/matches"): ApiRoute(
        C, lambda w: f"{W}/candidates/{w.extra['work_profile'].pk}/matches", names_centre_object=True
    ),
    ("get", f"{W}/applications"): ApiRoute(
        C, lambda w: f"{W}/applications", expect=lambda r, o: _centre_or_employer(r, o, names_object=False)
    ),
    ("post", f"{W}/applications"): ApiRoute(
        C,
        lambda w: f"{W}/applications",
        body=lambda w: {"offer_id": w.extra["work_offer"].pk, "profile_id": w.extra["work_second_profile"].pk},
        names_centre_object=True,
    ),
    ("get", f"{W}/figures"): ApiRoute(C, lambda w: f"{W}/figures", expect=_figures_expect),
}

TABLES = [
    "work_employer",
    "work_employercontact",
    "work_offer",
    "work_candidateprofile",
    "work_candidateprofile_occupation_wishes",
    "work_qualification",
    "work_application",
    "work_applicationstep",
    "work_candidatestatuschange",
    "work_employerevent",
    "work_offerevent",
    "work_candidateprofileevent",
    "work_applicationevent",
    "work_candidatestatuschangeevent",
]


def extend_world(world: World) -> None:
    centre = world.centre
    staff = UserFactory()
    occupation = factories.occupation()
    organisation = factories.employer(centre)
    offer = factories.offer(organisation, staff)
    for subject in (world.guardian, world.extra["second_guardian"]):
        Consent.objects.create(
            centre=centre,
            person=subject,
            purpose=Purpose.EMPLOYMENT,
            legal_basis=LegalBasis.CONSENT,
            given_on=timezone.localdate(),
            recorded_by=staff,
        )
    profile = factories.profile(centre, staff, world.guardian)
    second_profile = factories.profile(centre, staff, world.extra["second_guardian"])
    shared = factories.shared_application(offer, profile, staff)
    other_offer = factories.offer(organisation, staff, title="Zweite Ausbildung")
    agreed = services.application_propose(offer=other_offer, profile=profile, by=staff)
    services.application_agree(application=agreed, by=staff, shared_fields=["name"])
    _world_employer["centre_id"] = centre.pk
    _world_employer["employer"] = organisation
    world.extra.update(
        {
            "work_occupation": occupation,
            "work_employer": organisation,
            "work_pending_employer": factories.employer(centre, name="Neu angemeldet GmbH", verified=False),
            "work_offer": offer,
            "work_profile": profile,
            "work_second_profile": second_profile,
            "work_shared_application": shared,
            "work_agreed_application": agreed,
        }
    )


def member(role: Role, centre: Any) -> tuple[Any, Any] | None:
    """The employer contact acts for the world's employer in its centre, and for an employer of their own
    elsewhere."""
    if role != Role.EMPLOYER_CONTACT:
        return None
    if _world_employer.get("centre_id") == centre.pk:
        organisation = _world_employer["employer"]
    else:
        organisation = factories.employer(centre, name="Anderer Betrieb GmbH")
    user = factories.employer_contact(organisation)
    return user, user.memberships.get(role=Role.EMPLOYER_CONTACT)
