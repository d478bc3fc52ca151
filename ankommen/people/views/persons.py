from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.accounts.models import Role
from ankommen.core.access import log_access
from ankommen.core.concurrency import CreateOnce, EditGuard
from ankommen.core.models import AccessAction
from ankommen.core.pagination import counted_page
from ankommen.people import selectors, services
from ankommen.people.choices import country_name, language_name
from ankommen.people.forms import PersonFilterForm, PersonForm
from ankommen.people.history import history_entries
from ankommen.people.models import Consent, GuardianRelation, Person
from ankommen.people.views.common import PAGE_SIZE, centre_roles_required


@centre_roles_required
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    # The search is POSTed: a name typed into it must not end up in a URL, the browser history or an access log.
    data = request.POST if request.method == "POST" else request.GET
    form = PersonFilterForm(data)
    query, filters = form.query_and_filters()
    persons = selectors.person_list(centre=request.centre, query=query, filters=filters)  # type: ignore[attr-defined]
    # A search counts its matches with the page (counted_page); a plain list keeps Django's separate COUNT.
    if query.strip():
        page = counted_page(persons, data.get("page"), PAGE_SIZE)
    else:
        page = Paginator(persons, PAGE_SIZE).get_page(data.get("page"))
    log_access(request, page.object_list, action=AccessAction.SEARCH if query.strip() else AccessAction.LIST)
    template = "people/person_list.html#results" if request.htmx else "people/person_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "page": page, "query": query})


def _person_context(request: HttpRequest, person: Person) -> dict[str, object]:
    centre = request.centre  # type: ignore[attr-defined]
    guardians = list(selectors.guardians_of(centre=centre, person=person))
    wards = list(selectors.wards_of(centre=centre, person=person))
    members = (
        [m for m in selectors.family_members(centre=centre, family=person.family) if m.pk != person.pk]
        if person.family
        else []
    )
    log_access(request, [person], action=AccessAction.VIEW)
    log_access(request, [r.guardian for r in guardians] + [r.child for r in wards] + members, action=AccessAction.LIST)
    return {
        "person": person,
        "guardians": guardians,
        "wards": wards,
        "members": members,
        "consents": list(selectors.consents_of(centre=centre, person=person)),
        "nationalities": [country_name(code) for code in person.nationalities],
        "languages": [language_name(code) for code in person.languages],
        "may_export": request.membership.role == Role.CENTRE_LEAD,  # type: ignore[attr-defined]
        "can_erase": request.membership.role == Role.CENTRE_LEAD,  # type: ignore[attr-defined]
    }


@centre_roles_required
@require_GET
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    person = selectors.person_get(centre=request.centre, person_id=person_id)  # type: ignore[attr-defined]
    return render(request, "people/person_detail.html", _person_context(request, person))


@centre_roles_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    initial = {}
    if family_id := request.GET.get("family"):
        initial["family"] = selectors.family_get(centre=centre, family_id=family_id)
    form = PersonForm(request.POST or None, centre=centre, initial=initial)
    once = CreateOnce(request, form)

    def create() -> HttpResponse:
        try:
            person = services.person_create(centre=centre, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
            return render(request, "people/person_form.html", {"form": form, "person": None}, status=400)
        messages.success(request, _("The person has been created."))
        return redirect("people:person_detail", person_id=person.pk)

    if request.method == "POST" and form.is_valid():
        return once.run(create)
    status = 400 if form.errors else 200
    return render(request, "people/person_form.html", {"form": form, "person": None}, status=status)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    person = selectors.person_get(centre=centre, person_id=person_id)
    log_access(request, [person], action=AccessAction.VIEW)
    form = PersonForm(request.POST or None, centre=centre, initial=PersonForm.initial_for(person))
    guard = EditGuard(form, person, PersonForm.initial_for)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.unchanged():
                services.person_update(centre=centre, by=request.user, person=person, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
            # The instance may hold the refused values; the page shows the stored person.
            person.refresh_from_db()
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:person_detail", person_id=person.pk)
    status = guard.status
    return render(request, "people/person_form.html", {"form": form, "person": person}, status=status)


@centre_roles_required
@require_GET
def person_history(request: HttpRequest, person_id: str) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    person = selectors.person_get(centre=centre, person_id=person_id)
    log_access(request, [person], action=AccessAction.VIEW)
    person_events = Person.pgh_event_model.objects.filter(pgh_obj_id=person.pk, centre=centre)  # type: ignore[attr-defined]
    consent_events = Consent.pgh_event_model.objects.filter(person_id=person.pk, centre=centre)  # type: ignore[attr-defined]
    relation_events = GuardianRelation.pgh_event_model.objects.filter(  # type: ignore[attr-defined]
        centre=centre, child_id=person.pk
    ) | GuardianRelation.pgh_event_model.objects.filter(centre=centre, guardian_id=person.pk)  # type: ignore[attr-defined]
    events = [
        *person_events.select_related("pgh_context"),
        *consent_events.select_related("pgh_context"),
        *relation_events.select_related("pgh_context"),
    ]
    events.sort(key=lambda event: (event.pgh_created_at, event.pgh_id), reverse=True)
    return render(request, "people/person_history.html", {"person": person, "entries": history_entries(events)})
