"""Every create form creates once per submit, however often it is sent (docs/concurrency.md).

The views are found, not listed: every URL name ending in `_create`, `_add` or `_new` is walked. For each, a user who
may create opens the page with the form (for a view that only takes POSTs, the page named in FORM_PAGE), reads its
key, and sends the form with the permission matrix's entries twice. The first must create (a redirect, and the digest
of the tables of personal data changes); the second must lead where the first did and write nothing. A create form
without a key, or a view that does not honour it, fails here.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Membership
from ankommen.accounts.tests.factories import UserFactory
from ankommen.core.concurrency import KEY_FIELD
from ankommen.core.tests.form_fields import form_with
from ankommen.people.models import Consent, LegalBasis, Purpose
from ankommen.people.tests.factories import PersonFactory
from ankommen.schooling.models import CounsellingSlot
from ankommen.volunteering.models import AssignmentStatus, ShiftSignup
from tests.matrix_types import World
from tests.matrix_work import _profile_post
from tests.test_concurrency_edit_views import _editor, _errors
from tests.test_permission_matrix import ROUTES, database_fingerprint, world  # noqa: F401

# Views that create under another name: the walk takes them as well.
OTHER_CREATE_VIEWS = {
    "people:consent_record",
    "volunteering:clearance_record",
    "volunteering:shift_plan",
    "volunteering:hours_log",
    "volunteering:shift_hours_log",
    "work:application_propose",
    "grants:partner_apply",
    "imports:import_list",
}
CREATE_VIEWS = sorted({name for name in ROUTES if name.endswith(("_create", "_add", "_new"))} | OTHER_CREATE_VIEWS)

# Views that take only POSTs: the page that holds their form.
FORM_PAGE = {
    "network:meeting_person_add": "network:meeting_detail",
    "work:employer_contact_add": "work:employer_detail",
    "volunteering:hours_log": "volunteering:portal",
    "volunteering:shift_hours_log": "volunteering:shift_board",
    "work:application_propose": "work:offer_matches",
}


def _free_slot(w: World) -> None:
    # The invitation form lists only free slots; the world's slot is booked.
    slot = w.extra["slot"]
    w.extra["free_slot"] = CounsellingSlot.objects.create(
        centre=w.centre,
        counsellor=slot.counsellor,
        starts_at=slot.starts_at + datetime.timedelta(days=1),
        ends_at=slot.ends_at + datetime.timedelta(days=1),
        place="KI, Raum 3",
    )


def _consenting_person(w: World) -> None:
    # A profile is made for a person who consented to support into training and work and has none yet.
    person = PersonFactory(centre=w.centre, given_names="Amin", family_name="Rahimi")
    Consent.objects.create(
        centre=w.centre,
        person=person,
        purpose=Purpose.EMPLOYMENT,
        legal_basis=LegalBasis.CONSENT,
        given_on=datetime.date(2026, 1, 2),
        recorded_by=UserFactory(),
    )
    w.extra["candidate_person"] = person


def _active_assignment(w: World) -> None:
    # Hours are logged for an assignment the volunteer took on; the world's is only proposed.
    w.extra["assignment"].status = AssignmentStatus.ACTIVE
    w.extra["assignment"].save(update_fields=["status"])


def _past_shift(w: World) -> None:
    # Hours are logged for a shift that took place; the world's lies ahead.
    ShiftSignup.objects.for_centre(w.centre).filter(pk=w.extra["signup"].pk).update(
        date=timezone.localdate() - datetime.timedelta(days=1)
    )


# Hours are logged by the volunteer who did the work: the world's, not a new one.
AUTHOR = {
    "volunteering:hours_log": lambda w: w.extra["volunteer"].user,
    "volunteering:shift_hours_log": lambda w: w.extra["volunteer"].user,
}


def _author(w: World, name: str) -> Any:
    return AUTHOR[name](w) if name in AUTHOR else _editor(w, ROUTES[name])


PREPARE = {
    "schooling:invitation_create": _free_slot,
    "work:candidate_create": _consenting_person,
    "volunteering:hours_log": _active_assignment,
    "volunteering:shift_hours_log": _past_shift,
}


def _counsellor(w: World, user: Any) -> dict[str, Any]:
    assert Membership.objects.filter(user=user, centre=w.centre).exists()
    day = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    return {"counsellor": str(user.pk), "day": day, "starts_at": "10:00", "ends_at": "11:00", "place": "KI"}


# Entries of the walk where the matrix's write does not fill the form (the matrix posts only as refused callers).
ENTRIES: dict[str, Callable[[World, Any], dict[str, Any]]] = {
    "schooling:slot_create": _counsellor,
    "work:candidate_create": lambda w, user: {**_profile_post(w), "person": str(w.extra["candidate_person"].pk)},
    "schooling:invitation_create": lambda w, user: {"slot": str(w.extra["free_slot"].pk)},
    # A file is read when it is sent: each submit gets the same file anew.
    "imports:import_list": lambda w, user: {
        "kind": "persons",
        "file": SimpleUploadedFile("personen.csv", b"Vornamen;Familienname\nAmina;Haddad\n", "text/csv"),
    },
    "schooling:intake_create": lambda w, user: {
        # Names no person of the world has: a likely duplicate would ask first and create nothing.
        "child_given_names": "Zofia",
        "child_family_name": "Wiśniewska",
        "child_birth_date": "2014-07-07",
        "postcode": "50667",
        "guardian1_given_names": "Marta",
        "guardian1_family_name": "Wiśniewska",
    },
}


def test_create_views_are_found():
    assert len(CREATE_VIEWS) >= 20
    assert {"people:person_create", "people:family_create", "courses:course_create"} <= set(CREATE_VIEWS)


def _form_posting_to(page: str, url: str) -> str:
    candidates = []
    for form in re.findall(r"<form\b.*?</form>", page, flags=re.DOTALL):
        action = re.search(r'action="([^"]*)"', form.split(">", 1)[0])
        if 'method="post"' in form and (action is None or html.unescape(action.group(1)) in {"", url}):
            candidates.append(form)
    assert candidates, f"no form posting to {url}"
    return next((form for form in candidates if KEY_FIELD in form), candidates[0])


def _opened_form(name: str, w: World, client: Any, url: str) -> dict[str, Any]:
    route = ROUTES[name]
    if name in FORM_PAGE:
        page_route = ROUTES[FORM_PAGE[name]]
        page_url = reverse(FORM_PAGE[name], kwargs=page_route.kwargs(w) if page_route.kwargs else None)
    else:
        assert route.get_allowed, f"{name} takes only POSTs: name the page of its form in FORM_PAGE"
        page_url = url
    page = client.get(page_url)
    assert page.status_code == 200, f"{name}: GET {page_url} {page.status_code}"
    form = _form_posting_to(page.text, url)
    return form_with(form, KEY_FIELD) if KEY_FIELD in form else {}


@pytest.mark.parametrize("name", CREATE_VIEWS)
def test_every_create_form_carries_a_key(world, login, name):  # noqa: F811
    route = ROUTES[name]
    if name in PREPARE:
        PREPARE[name](world)
    url = reverse(name, kwargs=route.kwargs(world) if route.kwargs else None)
    opened = _opened_form(name, world, login(_author(world, name)), url)
    assert len(opened.get(KEY_FIELD, "")) >= 32, f"{name}: the create form carries no {KEY_FIELD}"


@pytest.mark.parametrize("name", CREATE_VIEWS)
def test_a_double_submitted_create_form_creates_once(world, login, name):  # noqa: F811
    route = ROUTES[name]
    if name in PREPARE:
        PREPARE[name](world)
    url = reverse(name, kwargs=route.kwargs(world) if route.kwargs else None)
    user = _author(world, name)
    client = login(user)
    opened = _opened_form(name, world, client, url)
    assert opened.get(KEY_FIELD), f"{name}: the create form carries no {KEY_FIELD}"

    def entries() -> dict[str, Any]:
        sent = ENTRIES[name](world, user) if name in ENTRIES else route.post(world) if route.post else None
        assert sent is not None, f"{name}: neither the matrix nor ENTRIES name what to send"
        return {**opened, **sent}

    before = database_fingerprint()

    first = client.post(url, entries())
    assert first.status_code == 302, f"{name}: the first submit answered {first.status_code}: {_errors(first)}"
    created = database_fingerprint()
    assert created != before, f"{name}: the first submit wrote nothing the matrix's digest sees"

    second = client.post(url, entries())

    assert second.status_code == 302, f"{name}: the second submit answered {second.status_code}"
    assert second["Location"] == first["Location"]
    assert database_fingerprint() == created, f"{name}: the second submit wrote again"
