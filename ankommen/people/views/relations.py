"""Consents and guardian relations, each edited from the person's page."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ankommen.core.access import log_access
from ankommen.core.concurrency import creates_once
from ankommen.core.models import AccessAction
from ankommen.people import selectors, services
from ankommen.people.forms import ConsentForm, ConsentWithdrawForm, GuardianForm
from ankommen.people.models import Person
from ankommen.people.views.common import centre_roles_required

GUARDIAN_SEARCH_LIMIT = 10


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def consent_record(request: HttpRequest, person_id: str) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    person = selectors.person_get(centre=centre, person_id=person_id)
    log_access(request, [person], action=AccessAction.VIEW)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(centre=centre, by=request.user, person=person, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The consent or legal basis has been recorded."))
            return redirect("people:person_detail", person_id=person.pk)
    status = 400 if form.errors else 200
    return render(request, "people/consent_form.html", {"form": form, "person": person}, status=status)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, person_id: str, consent_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    person = selectors.person_get(centre=centre, person_id=person_id)
    consent = selectors.consent_get(centre=centre, person=person, consent_id=consent_id)
    log_access(request, [person], action=AccessAction.VIEW)
    form = ConsentWithdrawForm(request.POST or None, consent=consent)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                centre=centre,
                by=request.user,  # type: ignore[arg-type]
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
            consent.refresh_from_db()
        else:
            messages.success(request, _("The consent has been withdrawn."))
            return redirect("people:person_detail", person_id=person.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "person": person, "consent": consent}
    return render(request, "people/consent_withdraw.html", context, status=status)


def _guardian_candidates(request: HttpRequest, person: Person, query: str) -> list[Person]:
    centre = request.centre  # type: ignore[attr-defined]
    candidates: dict[str, Person] = {}
    if person.family:
        for member in selectors.family_members(centre=centre, family=person.family):
            candidates[str(member.pk)] = member
    if query.strip():
        hits = list(selectors.person_list(centre=centre, query=query)[:GUARDIAN_SEARCH_LIMIT])
        log_access(request, hits, action=AccessAction.SEARCH)
        for hit in hits:
            candidates.setdefault(str(hit.pk), hit)
    if chosen := request.POST.get("guardian"):
        # An unknown or foreign id is simply no candidate: the form then reports an invalid choice.
        with contextlib.suppress(Http404):
            candidates.setdefault(chosen, selectors.person_get(centre=centre, person_id=chosen))
    candidates.pop(str(person.pk), None)
    return list(candidates.values())


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def guardian_add(request: HttpRequest, person_id: str) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    person = selectors.person_get(centre=centre, person_id=person_id)
    log_access(request, [person], action=AccessAction.VIEW)
    query = request.GET.get("q", "")
    candidates = _guardian_candidates(request, person, query)
    form = GuardianForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_relation_add(centre=centre, by=request.user, child=person, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The guardian has been added."))
            return redirect("people:person_detail", person_id=person.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "person": person, "query": query, "candidates": candidates}
    return render(request, "people/guardian_form.html", context, status=status)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def guardian_remove(request: HttpRequest, person_id: str, relation_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    person = selectors.person_get(centre=centre, person_id=person_id)
    relation = selectors.guardian_relation_get(centre=centre, person=person, relation_id=relation_id)
    log_access(request, [relation.child, relation.guardian], action=AccessAction.VIEW)
    if request.method == "POST":
        services.guardian_relation_remove(centre=centre, by=request.user, relation=relation)  # type: ignore[arg-type]
        messages.success(request, _("The guardian relation has been removed."))
        return redirect("people:person_detail", person_id=person.pk)
    return render(request, "people/guardian_remove.html", {"person": person, "relation": relation})
