"""Partner organisations of the network directory ask for volunteers and follow their own requests' status.

A partner sees only the requests its organisation opened, and of them only what it asked for and the status:
never the volunteer.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ankommen.core.concurrency import creates_once
from ankommen.network.partners import partner_required
from ankommen.volunteering import selectors, services
from ankommen.volunteering.forms import PartnerRequestForm


@partner_required
@require_GET
def partner_request_list(request: HttpRequest, organisation: Any) -> HttpResponse:
    requests = list(selectors.requests_of_partner(organisation=organisation)[:200])
    rows = [(support, selectors.activity_label(support.activity)) for support in requests]
    return render(request, "volunteering/partner/request_list.html", {"organisation": organisation, "rows": rows})


@partner_required
@require_http_methods(["GET", "POST"])
@creates_once
def partner_request_create(request: HttpRequest, organisation: Any) -> HttpResponse:
    form = PartnerRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.support_request_create_by_partner(
                organisation=organisation,
                by=request.user,  # type: ignore[arg-type]
                activity=data["activity"],
                languages=form.languages(),
                availability=form.availability_mask(),
                postcode=data["postcode"],
                involves_minors=data["involves_minors"],
                expected_duration=data["expected_duration"],
                description=data["description"],
                family_consented=data["family_consented"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your request has been sent to the integration centre."))
            return redirect("volunteering:partner_request_list")
    context = {"organisation": organisation, "form": form}
    return render(request, "volunteering/partner/request_form.html", context, status=400 if form.errors else 200)
