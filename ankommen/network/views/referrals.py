"""Referrals of a person to an organisation's service, on the basis of the person's consent to referrals."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ankommen.core.access import get_object_for_centre, log_access
from ankommen.core.concurrency import creates_once
from ankommen.core.models import AccessAction
from ankommen.network import selectors, services
from ankommen.network.forms import OutcomeForm, ReferralForm
from ankommen.network.models import Service
from ankommen.people.models import Person
from ankommen.people.views.common import centre_roles_required


def _centre(request: HttpRequest) -> Any:
    return request.centre  # type: ignore[attr-defined]


@centre_roles_required
@require_http_methods(["GET", "POST"])
def referral_list(request: HttpRequest) -> HttpResponse:
    """The centre's referrals; a person with consent to referrals is chosen here (by POST: no name in a URL)."""
    centre = _centre(request)
    if request.method == "POST":
        person = get_object_for_centre(Person.objects.all(), centre, pk=request.POST.get("person", ""))
        return redirect("network:referral_create", person_id=person.pk)
    referrals = selectors.referrals_of_centre(centre=centre)
    consenting = selectors.persons_with_referral_consent(centre=centre, on=timezone.localdate())
    log_access(request, [referral.person for referral in referrals] + consenting, action=AccessAction.LIST)
    return render(request, "network/referrals/list.html", {"referrals": referrals, "consenting": consenting})


@centre_roles_required
@require_http_methods(["GET", "POST"])
@creates_once
def referral_create(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    centre = _centre(request)
    person = get_object_for_centre(Person.objects.all(), centre, pk=person_id)
    log_access(request, [person], action=AccessAction.VIEW)
    form = ReferralForm(
        request.POST or None,
        services=Service.objects.for_centre(centre).select_related("organisation").order_by("organisation__name"),
        initial={"referred_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(centre=centre, by=request.user, person=person, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The referral has been recorded."))
            return redirect("network:referral_list")
    context = {
        "form": form,
        "person": person,
        "has_consent": services.has_referral_consent(person=person, on=timezone.localdate()),
        "referrals": selectors.referrals_of_person(person=person),
    }
    return render(request, "network/referrals/form.html", context, status=400 if form.errors else 200)


@centre_roles_required
@require_http_methods(["GET", "POST"])
def referral_outcome(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = selectors.referral_of_centre(centre=_centre(request), referral_id=referral_id)
    log_access(request, [referral.person], action=AccessAction.VIEW)
    form = OutcomeForm(request.POST or None, initial={"outcome": referral.outcome, "outcome_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_outcome_set(referral=referral, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The outcome has been saved."))
            return redirect("network:referral_list")
    context = {"form": form, "referral": referral}
    return render(request, "network/referrals/outcome.html", context, status=400 if form.errors else 200)
