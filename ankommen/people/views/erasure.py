from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ankommen.accounts.models import Role
from ankommen.core.access import log_access, role_required
from ankommen.core.models import AccessAction
from ankommen.core.register.retention import person_deletion_date
from ankommen.people import selectors
from ankommen.people.erasure import person_erase
from ankommen.people.forms import KernFormMixin
from ankommen.people.models import ErasureReason


class PersonEraseForm(KernFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason for the erasure"), choices=ErasureReason.choices, widget=forms.RadioSelect
    )
    confirmed = forms.BooleanField(
        label=gettext_lazy(
            "I have checked that no law requires the centre to keep this data, and I understand that the erasure "
            "cannot be undone."
        ),
        error_messages={"required": gettext_lazy("Please confirm that the erasure cannot be undone.")},
    )


@role_required(Role.CENTRE_LEAD)
@require_http_methods(["GET", "POST"])
def person_erase_view(request: HttpRequest, person_id: str) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    person = selectors.person_get(centre=centre, person_id=person_id)
    log_access(request, [person], action=AccessAction.VIEW)
    form = PersonEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erasure = person_erase(
            centre=centre,
            person=person,
            by=request.user,
            reason=ErasureReason(form.cleaned_data["reason"]),
        )
        messages.success(
            request,
            _("The person's data has been erased: %(rows)s records with their history.")
            % {"rows": sum(erasure.rows.values())},
        )
        return redirect("people:person_list")
    status = 400 if form.errors else 200
    context = {"form": form, "person": person, "deletion_date": person_deletion_date(person)}
    return render(request, "people/person_erase.html", context, status=status)
