"""Permission matrix rows of the grants module (see tests/matrix_types.py).

The world's centre has a KOMM-AN allocation, an open application, an approved grant with a payment and one whose
proof of use waits for the check. The partner contact of the world's centre (made by the network module's
`member`) also gets an approved grant of its own organisation, so that its pages name a grant it may see.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ankommen.accounts.models import CENTRE_ROLES, Role
from ankommen.grants import services
from ankommen.grants.tests import factories
from tests.matrix_types import Access, ApiRoute, Route, World

C, S, PA = Access.CENTRE, Access.STATE, Access.PARTNER
YEAR = factories.THIS_YEAR
G = "/api/v1/grants"
_partner_grants: dict[tuple[int, str], int] = {}
PDF = b"%PDF-1.4\n% Belege\n"


def _analyst_only(role: Role | None, own_centre: bool) -> set[int]:
    if role is None:
        return {302}
    return {200} if role == Role.STATE_ANALYST else {403}


def _analyst_only_api(role: Role | None, own_centre: bool) -> tuple[set[int], set[int]]:
    if role is None:
        return set(), {401}
    return ({200}, set()) if role == Role.STATE_ANALYST else (set(), {403})


def _own_organisation_only(role: Role | None, own_centre: bool) -> tuple[set[int], set[int]]:
    """Recording an application names an organisation of the world's centre: another centre's staff get 400."""
    if role is None:
        return set(), {401}
    if role not in CENTRE_ROLES:
        return set(), {403}
    return ({201}, set()) if own_centre else (set(), {400})


def _grant(key: str) -> Any:
    return lambda w: {"grant_id": w.extra[key].pk}


def _partner_grant(w: World, kind: str = "open") -> dict[str, Any]:
    """The own partner's grant if the matrix acts as one; else any grant of the world (others answer 403/404)."""
    return {"grant_id": _partner_grants.get((w.centre.pk, kind), w.extra["grant_with_proof"].pk)}


def _application(w: World) -> dict[str, Any]:
    return {
        "programme": str(factories.komm_an().pk),
        "year": str(YEAR),
        "title": "Nähcafé",
        "description": "Treffpunkt mit Nähmaschinen",
        "requested_amount": "1200",
        "contact_name": "Erika Muster",
        "contact_email": "erika.muster@example.org",
    }


ROUTES: dict[str, Route] = {
    "grants:grant_list": Route(C),
    "grants:grant_create": Route(
        C, post=lambda w: {**_application(w), "organisation": str(w.extra["grant_organisation"].pk)}
    ),
    "grants:grant_detail": Route(C, kwargs=_grant("grant_approved"), names_centre_object=True),
    "grants:grant_decide": Route(
        C,
        kwargs=_grant("grant_applied"),
        post=lambda w: {"decision": "reject", "reason": "Außerhalb des Programms"},
        names_centre_object=True,
    ),
    "grants:grant_letter": Route(C, kwargs=_grant("grant_approved"), names_centre_object=True),
    "grants:payment_create": Route(
        C,
        kwargs=_grant("grant_approved"),
        post=lambda w: {"amount": "10", "paid_on": timezone.localdate().isoformat()},
        names_centre_object=True,
    ),
    "grants:proof_check": Route(
        C, kwargs=_grant("grant_with_proof"), post=lambda w: {"outcome": "accept"}, names_centre_object=True
    ),
    "grants:proof_attachment": Route(C, kwargs=_grant("grant_with_proof"), names_centre_object=True),
    "grants:centre_budget": Route(C),
    "grants:centre_budget_export": Route(C, kwargs=lambda w: {"file_format": "xlsx"}),
    "grants:state_budget": Route(S),
    "grants:state_budget_export": Route(S, kwargs=lambda w: {"file_format": "csv"}),
    "grants:programme_list": Route(S),
    "grants:programme_detail": Route(S, kwargs=lambda w: {"programme_id": factories.komm_an().pk}),
    "grants:budget_edit": Route(
        S,
        kwargs=lambda w: {"programme_id": factories.komm_an().pk},
        post=lambda w: {"year": str(YEAR), "amount": "9000000"},
        expect=_analyst_only,
    ),
    "grants:allocation_edit": Route(
        S,
        kwargs=lambda w: {"programme_id": factories.komm_an().pk},
        post=lambda w: {"centre": str(w.other_centre.pk), "year": str(YEAR), "amount": "10"},
        expect=_analyst_only,
    ),
    "grants:partner_application_list": Route(PA),
    "grants:partner_apply": Route(PA, post=_application),
    "grants:partner_application_detail": Route(PA, kwargs=_partner_grant, names_centre_object=True),
    "grants:partner_letter": Route(PA, kwargs=_partner_grant, names_centre_object=True),
    "grants:partner_proof_attachment": Route(
        PA, kwargs=lambda w: _partner_grant(w, "with_proof"), names_centre_object=True
    ),
    "grants:partner_proof": Route(
        PA,
        kwargs=_partner_grant,
        post=lambda w: {"report": "Zehn Treffen", "spent_amount": "90"},
        names_centre_object=True,
    ),
}


def _api_application(w: World) -> dict[str, Any]:
    return {
        "programme_id": factories.komm_an().pk,
        "year": YEAR,
        "title": "Nähcafé",
        "description": "Treffpunkt",
        "requested_amount": "1200",
        "contact_name": "Erika Muster",
        "contact_email": "erika.muster@example.org",
    }


API_ROUTES: dict[tuple[str, str], ApiRoute] = {
    ("get", f"{G}/programmes"): ApiRoute(S, lambda w: f"{G}/programmes"),
    ("post", f"{G}/programmes/{{programme_id}}/budgets"): ApiRoute(
        S,
        lambda w: f"{G}/programmes/{factories.komm_an().pk}/budgets",
        body=lambda w: {"year": YEAR, "amount": "9000000"},
        expect=_analyst_only_api,
    ),
    ("get", f"{G}/allocations"): ApiRoute(S, lambda w: f"{G}/allocations?year={YEAR}"),
    ("post", f"{G}/allocations"): ApiRoute(
        S,
        lambda w: f"{G}/allocations",
        body=lambda w: {
            "programme_id": factories.komm_an().pk,
            "year": YEAR,
            "centre_id": w.other_centre.pk,
            "amount": "10",
        },
        expect=_analyst_only_api,
    ),
    ("get", f"{G}/state-budget"): ApiRoute(S, lambda w: f"{G}/state-budget?year={YEAR}"),
    ("get", f"{G}/budget"): ApiRoute(C, lambda w: f"{G}/budget?year={YEAR}"),
    ("get", f"{G}/grants"): ApiRoute(C, lambda w: f"{G}/grants"),
    ("post", f"{G}/grants"): ApiRoute(
        C,
        lambda w: f"{G}/grants",
        body=lambda w: {**_api_application(w), "organisation_id": w.extra["grant_organisation"].pk},
        expect=_own_organisation_only,
    ),
    ("get", f"{G}/grants/{{grant_id}}"): ApiRoute(
        C, lambda w: f"{G}/grants/{w.extra['grant_approved'].pk}", names_centre_object=True
    ),
    ("post", f"{G}/grants/{{grant_id}}/decision"): ApiRoute(
        C,
        lambda w: f"{G}/grants/{w.extra['grant_applied'].pk}/decision",
        body=lambda w: {"decision": "reject", "reason": "Außerhalb des Programms"},
        names_centre_object=True,
    ),
    ("get", f"{G}/grants/{{grant_id}}/payments"): ApiRoute(
        C, lambda w: f"{G}/grants/{w.extra['grant_approved'].pk}/payments", names_centre_object=True
    ),
    ("post", f"{G}/grants/{{grant_id}}/payments"): ApiRoute(
        C,
        lambda w: f"{G}/grants/{w.extra['grant_approved'].pk}/payments",
        body=lambda w: {"amount": "10"},
        names_centre_object=True,
    ),
    ("get", f"{G}/grants/{{grant_id}}/proof"): ApiRoute(
        C, lambda w: f"{G}/grants/{w.extra['grant_with_proof'].pk}/proof", names_centre_object=True
    ),
    ("post", f"{G}/grants/{{grant_id}}/proof/check"): ApiRoute(
        C,
        lambda w: f"{G}/grants/{w.extra['grant_with_proof'].pk}/proof/check",
        body=lambda w: {"accept": True},
        names_centre_object=True,
    ),
    ("get", f"{G}/my-applications"): ApiRoute(PA, lambda w: f"{G}/my-applications"),
    ("post", f"{G}/my-applications"): ApiRoute(PA, lambda w: f"{G}/my-applications", body=_api_application),
    ("post", f"{G}/my-applications/{{grant_id}}/proof"): ApiRoute(
        PA,
        lambda w: f"{G}/my-applications/{_partner_grant(w)['grant_id']}/proof",
        body=lambda w: {"report": "Zehn Treffen", "spent_amount": "90"},
        names_centre_object=True,
    ),
}

TABLES = [
    "grants_programme",
    "grants_programmebudget",
    "grants_programmebudgetevent",
    "grants_allocation",
    "grants_allocationevent",
    "grants_grant",
    "grants_grantevent",
    "grants_payment",
    "grants_paymentevent",
    "grants_proofofuse",
    "grants_proofofuseevent",
]


def _approved(world: World, organisation: Any, by: Any) -> Any:
    grant = factories.application(world.centre, by, organisation_=organisation, requested="4000")
    return services.grant_approve(
        grant=grant,
        by=by,
        approved_amount=Decimal("4000"),
        proof_due_on=timezone.localdate() + datetime.timedelta(days=90),
    )


def extend_world(world: World) -> None:
    by = world.consent.recorded_by
    factories.allocation(world.centre, "50000")
    organisation = factories.organisation(world.centre, name="Sprachcafé Nord e.V.")
    approved = _approved(world, organisation, by)
    services.payment_record(grant=approved, by=by, amount=Decimal("1000"))
    with_proof = _approved(world, organisation, by)
    services.proof_submit(
        grant=with_proof,
        by=by,
        report="Zwölf Treffen",
        spent_amount=Decimal("3800"),
        attachment=services.Attachment(name="belege.pdf", content=PDF),
    )
    world.extra.update(
        grant_organisation=organisation,
        grant_applied=factories.application(world.centre, by, organisation_=organisation),
        grant_approved=approved,
        grant_with_proof=with_proof,
    )
    _world["centre_id"] = world.centre.pk
    _world["by"] = by


_world: dict[str, Any] = {}


def member(role: Role, centre: Any) -> tuple[Any, Any] | None:
    """The network module's partner contact; in the world's centre it also gets an approved grant of its own."""
    if role != Role.PARTNER_CONTACT:
        return None
    from tests import matrix_network

    user, membership = matrix_network.member(role, centre)  # type: ignore[misc]
    if _world.get("centre_id") == centre.pk:
        from ankommen.network.partners import partner_organisation

        organisation = partner_organisation(user=user, centre=centre)
        world = World(centre, None, None, None, None, None, None, None, 0)
        _partner_grants[centre.pk, "open"] = _approved(world, organisation, _world["by"]).pk
        with_proof = _approved(world, organisation, _world["by"])
        services.proof_submit(
            grant=with_proof,
            by=user,
            report="Zehn Treffen",
            spent_amount=Decimal("100"),
            attachment=services.Attachment(name="belege.pdf", content=PDF),
        )
        _partner_grants[centre.pk, "with_proof"] = with_proof.pk
    return user, membership
