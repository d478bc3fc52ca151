"""School intakes: staff register a child (with the duplicate check), list and open the centre's cases."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.core.access import log_access
from ankommen.core.concurrency import creates_once
from ankommen.core.models import AccessAction
from ankommen.people import selectors as people_selectors
from ankommen.people.choices import country_name, language_name
from ankommen.people.models import Person
from ankommen.people.views.common import PAGE_SIZE, centre_roles_required
from ankommen.schooling import selectors, services
from ankommen.schooling.forms import NEW_PERSON, IntakeFilterForm, IntakeForm
from ankommen.schooling.models import DocumentKind, Intake
from ankommen.schooling.services import GuardianEntry

PERSON_LABELS = {
    "child": gettext_lazy("Child"),
    "guardian1": gettext_lazy("First guardian"),
    "guardian2": gettext_lazy("Second guardian"),
}


def _mark_waiting(intakes: list[Intake]) -> None:
    today = timezone.localdate()
    for intake in intakes:
        intake.days_waiting = selectors.days_waiting(intake, today)  # type: ignore[attr-defined]
        intake.over_limit = selectors.is_over_limit(intake, today)  # type: ignore[attr-defined]


@centre_roles_required
@require_GET
def intake_list(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    form = IntakeFilterForm(request.GET or None, centre=centre)
    intakes = selectors.intake_list(centre=centre, filters=form.filters())
    page = Paginator(intakes, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _mark_waiting(rows)
    log_access(request, [intake.child for intake in rows], action=AccessAction.LIST)
    return render(
        request,
        "schooling/intakes/intake_list.html",
        {"form": form, "page": page, "rows": rows, "limit_days": selectors.waiting_limit_days()},
    )


@centre_roles_required
@require_GET
def intake_detail(request: HttpRequest, intake_id: int) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    intake = selectors.intake_get(centre=centre, intake_id=intake_id)
    _mark_waiting([intake])
    guardians = list(people_selectors.guardians_of(centre=centre, person=intake.child))
    log_access(request, [intake, intake.child], action=AccessAction.VIEW)
    log_access(request, [relation.guardian for relation in guardians], action=AccessAction.LIST)
    documents = dict(DocumentKind.choices)
    return render(
        request,
        "schooling/intakes/intake_detail.html",
        {
            "intake": intake,
            "child": intake.child,
            "guardians": guardians,
            "assessment": getattr(intake, "assessment", None),
            "languages": [language_name(code) for code in intake.child.languages],
            "schooling_country": country_name(intake.schooling_country) if intake.schooling_country else "",
            "documents": [documents.get(code, code) for code in intake.documents_seen],
        },
    )


def _candidates(centre: Any, form: IntakeForm) -> dict[str, list[Person]]:
    prefixes = ["child", "guardian1", *(["guardian2"] if form.has_second_guardian() else [])]
    found = {}
    for prefix in prefixes:
        fields = form.person_fields(prefix)
        found[prefix] = people_selectors.likely_duplicates(
            centre=centre,
            given_names=fields["given_names"],
            family_name=fields["family_name"],
            birth_date=fields.get("birth_date"),
            given_names_latin=fields.get("given_names_latin", ""),
            family_name_latin=fields.get("family_name_latin", ""),
        )
    return found


def _chosen(request: HttpRequest, prefix: str, candidates: list[Person]) -> Person | str | None:
    """The existing person chosen, NEW_PERSON, or None while staff have not decided."""
    if not candidates:
        return NEW_PERSON
    answer = request.POST.get(f"match_{prefix}", "")
    if answer == NEW_PERSON:
        return NEW_PERSON
    return next((person for person in candidates if str(person.pk) == answer), None)


def _register(request: HttpRequest, form: IntakeForm, chosen: dict[str, Person | str | None]) -> Intake:
    data = form.cleaned_data
    guardians = []
    for prefix in ("guardian1", "guardian2"):
        if prefix not in chosen:
            continue
        existing = chosen[prefix]
        guardians.append(
            GuardianEntry(
                kind=data[f"{prefix}_kind"],
                existing=existing if isinstance(existing, Person) else None,
                fields=form.person_fields(prefix),
            )
        )
    child = chosen["child"]
    return services.intake_register(
        centre=request.centre,  # type: ignore[attr-defined]
        by=request.user,  # type: ignore[arg-type]
        child=child if isinstance(child, Person) else form.person_fields("child"),
        guardians=guardians,
        address=form.address(),
        legal_basis=data["legal_basis"],
        registered_on=data["registered_on"],
        **form.intake_fields(),
    )


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def intake_create(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    form = IntakeForm(request.POST or None)
    duplicates: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        candidates = _candidates(centre, form)
        chosen = {prefix: _chosen(request, prefix, found) for prefix, found in candidates.items()}
        if any(choice is None for choice in chosen.values()):
            # Nothing is written until staff have said, for every likely duplicate, whether it is the same person.
            duplicates = [
                {"prefix": prefix, "label": PERSON_LABELS[prefix], "candidates": found}
                for prefix, found in candidates.items()
                if found
            ]
            log_access(
                request, [person for entry in duplicates for person in entry["candidates"]], action=AccessAction.SEARCH
            )
        else:
            try:
                intake = _register(request, form, chosen)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The child has been registered for school."))
                return redirect("schooling:intake_detail", intake_id=intake.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "schooling/intakes/intake_form.html",
        {"form": form, "duplicates": duplicates, "new_person": NEW_PERSON},
        status=status,
    )
