"""Permission matrix rows of the network module (see tests/matrix_types.py).

The matrix's partner contact of the world's centre acts for the world's organisation; the one of the other centre
for an organisation there.
"""

from __future__ import annotations

import datetime
from typing import Any

from ankommen.accounts.models import Role
from ankommen.network.models import Contact, Cooperation, Decision, FollowUpTask, Meeting, MeetingPerson, Referral
from ankommen.network.tests.factories import OrganisationFactory, ServiceFactory, partner_contact, partner_link
from ankommen.people.models import Consent, LegalBasis, Purpose
from tests.matrix_types import Access, ApiRoute, Route, World

P = Access.PUBLIC
C = Access.CENTRE
PA = Access.PARTNER
_world_organisation: dict[str, Any] = {}


def _organisation(w: World) -> dict[str, Any]:
    return {"organisation_id": w.extra["organisation"].pk}


def _organisation_post(w: World) -> dict[str, Any]:
    return {"name": "Geändert", "kind": "other", "postcode": w.extra["postcode"].code, "place": "Köln"}


ROUTES: dict[str, Route] = {
    "network:finder": Route(P),
    "network:organisation_public": Route(P, kwargs=_organisation),
    "network:organisation_list": Route(C),
    "network:organisation_create": Route(C, post=_organisation_post),
    "network:organisation_detail": Route(C, kwargs=_organisation, names_centre_object=True),
    "network:organisation_edit": Route(C, kwargs=_organisation, post=_organisation_post, names_centre_object=True),
    "network:service_create": Route(
        C,
        kwargs=_organisation,
        post=lambda w: {"category": "legal_advice", "name": "Rechtsberatung"},
        names_centre_object=True,
    ),
    "network:contact_create": Route(
        C, kwargs=_organisation, post=lambda w: {"name": "Frau Beispiel"}, names_centre_object=True
    ),
    "network:cooperation_list": Route(
        C,
        post=lambda w: {
            "organisation": str(w.extra["organisation"].pk),
            "kind": "agreement",
            "since": "2026-01-01",
            "topics": ["school"],
        },
    ),
    "network:network_view": Route(C),
    "network:meeting_list": Route(C, post=lambda w: {"title": "Treffen", "date": "2026-02-02"}),
    "network:meeting_detail": Route(
        C,
        kwargs=lambda w: {"meeting_id": w.extra["meeting"].pk},
        post=lambda w: {"text": "Beschluss"},
        names_centre_object=True,
    ),
    "network:meeting_edit": Route(
        C,
        kwargs=lambda w: {"meeting_id": w.extra["meeting"].pk},
        post=lambda w: {"agenda": "1. Neu", "minutes": "Protokoll"},
        names_centre_object=True,
    ),
    "network:meeting_minutes_pdf": Route(
        C, kwargs=lambda w: {"meeting_id": w.extra["meeting"].pk}, names_centre_object=True
    ),
    "network:meeting_person_add": Route(
        C,
        kwargs=lambda w: {"meeting_id": w.extra["meeting"].pk},
        post=lambda w: {"person-name": "Herr Gast", "person-organisation_name": "Stadtteilbüro"},
        names_centre_object=True,
        get_allowed=False,
    ),
    "network:meeting_person_remove": Route(
        C,
        kwargs=lambda w: {"person_id": w.extra["meeting_person"].pk},
        post=lambda w: {},
        names_centre_object=True,
        get_allowed=False,
    ),
    "network:task_done": Route(
        C,
        kwargs=lambda w: {"task_id": w.extra["task"].pk},
        post=lambda w: {},
        names_centre_object=True,
        get_allowed=False,
    ),
    "network:partner_invite": Route(
        C,
        kwargs=_organisation,
        post=lambda w: {"email": "neu.partner@example.org", "name": "Neue Partnerin"},
        names_centre_object=True,
        get_allowed=False,
    ),
    "network:partner_deactivate": Route(
        C,
        kwargs=lambda w: {**_organisation(w), "contact_id": w.extra["partner_contact"].pk},
        post=lambda w: {},
        names_centre_object=True,
        get_allowed=False,
    ),
    "network:partner_home": Route(PA),
    "network:partner_entry_edit": Route(
        PA, post=lambda w: {"opening_hours": "Mo 9–12 Uhr", "languages": ["de", "fa"], "street": "Domplatz 2"}
    ),
    "network:partner_service_create": Route(
        PA, post=lambda w: {"category": "legal_advice", "name": "Rechtsberatung", "languages": ["fa"]}
    ),
    "network:partner_service_edit": Route(
        PA,
        kwargs=lambda w: {"service_id": w.extra["service"].pk},
        post=lambda w: {"category": "legal_advice", "name": "Geänderte Beratung"},
        names_centre_object=True,
    ),
    "network:partner_service_remove": Route(
        PA,
        kwargs=lambda w: {"service_id": w.extra["unreferred_service"].pk},
        post=lambda w: {},
        names_centre_object=True,
        get_allowed=False,
    ),
    "network:referral_list": Route(C, post=lambda w: {"person": str(w.person.pk)}),
    "network:referral_create": Route(
        C,
        kwargs=lambda w: {"person_id": w.person.pk},
        post=lambda w: {"service": str(w.extra["service"].pk), "referred_on": "2026-03-02"},
        names_centre_object=True,
    ),
    "network:referral_outcome": Route(
        C,
        kwargs=lambda w: {"referral_id": w.extra["referral"].pk},
        post=lambda w: {"outcome": "taken_up", "outcome_on": "2026-03-20"},
        names_centre_object=True,
    ),
}

API_ROUTES: dict[tuple[str, str], ApiRoute] = {
    ("post", "/api/v1/network/finder"): ApiRoute(
        P, lambda w: "/api/v1/network/finder", body=lambda w: {"language": "ar", "postcode": w.extra["postcode"].code}
    ),
    ("get", "/api/v1/network/organisations"): ApiRoute(C, lambda w: "/api/v1/network/organisations"),
    ("post", "/api/v1/network/organisations"): ApiRoute(
        C,
        lambda w: "/api/v1/network/organisations",
        body=lambda w: {"name": "Integrationsrat", "kind": "municipal_office", "postcode": "50667", "place": "Köln"},
    ),
    ("get", "/api/v1/network/cooperations"): ApiRoute(C, lambda w: "/api/v1/network/cooperations"),
    ("get", "/api/v1/network/referrals"): ApiRoute(C, lambda w: "/api/v1/network/referrals"),
    ("get", "/api/v1/network/meetings"): ApiRoute(C, lambda w: "/api/v1/network/meetings"),
    ("get", "/api/v1/network/partner/organisation"): ApiRoute(PA, lambda w: "/api/v1/network/partner/organisation"),
    ("patch", "/api/v1/network/partner/organisation"): ApiRoute(
        PA,
        lambda w: "/api/v1/network/partner/organisation",
        body=lambda w: {"opening_hours": "Mi 14–18 Uhr", "languages": ["ar", "de"]},
    ),
}

TABLES = [
    "network_organisation",
    "network_service",
    "network_contact",
    "network_contactevent",
    "network_cooperation",
    "network_meeting",
    "network_decision",
    "network_followuptask",
    "network_referral",
    "network_referralevent",
    "network_partnercontact",
    "network_partnercontactevent",
    "network_meetingperson",
    "network_meetingpersonevent",
]


def extend_world(world: World) -> None:
    organisation = OrganisationFactory(centre=world.centre, languages=["ar", "de"])
    service = ServiceFactory(organisation=organisation)
    recorder = world.consent.recorded_by
    Consent.objects.create(
        centre=world.centre,
        person=world.person,
        purpose=Purpose.REFERRAL,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2026, 1, 2),
        recorded_by=recorder,
    )
    meeting = Meeting.objects.create(centre=world.centre, title="Netzwerktreffen", date=datetime.date(2026, 2, 1))
    decision = Decision.objects.create(centre=world.centre, meeting=meeting, text="Sprachmittlerpool")
    task = FollowUpTask.objects.create(
        centre=world.centre, decision=decision, description="Liste", due_on=datetime.date(2026, 3, 1)
    )
    Cooperation.objects.create(
        centre=world.centre,
        organisation=organisation,
        kind="agreement",
        since=datetime.date(2025, 1, 1),
        topics=["school"],
    )
    referral = Referral.objects.create(
        centre=world.centre,
        person=world.person,
        service=service,
        referred_on=datetime.date(2026, 3, 1),
        referred_by=recorder,
    )
    contact = Contact.objects.create(centre=world.centre, organisation=organisation, name="Frau Kontakt")
    meeting_person = MeetingPerson.objects.create(centre=world.centre, meeting=meeting, contact=contact)
    world.extra.update(
        meeting_person=meeting_person,
        organisation=organisation,
        service=service,
        unreferred_service=ServiceFactory(organisation=organisation, name="Elterncafé"),
        meeting=meeting,
        task=task,
        referral=referral,
        partner_contact=partner_link(organisation),
    )
    _world_organisation["centre_id"] = world.centre.pk
    _world_organisation["organisation"] = organisation


def member(role: Role, centre: Any) -> tuple[Any, Any] | None:
    """The partner contact acts for the world's organisation in its centre, and for one of their own elsewhere."""
    if role != Role.PARTNER_CONTACT:
        return None
    if _world_organisation.get("centre_id") == centre.pk:
        organisation = _world_organisation["organisation"]
    else:
        organisation = OrganisationFactory(centre=centre, name="Andere Beratungsstelle")
    user = partner_contact(organisation)
    return user, user.memberships.get(role=Role.PARTNER_CONTACT)
