"""Forms only parse and present; the services validate and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.core.widgets import PlainSelect
from ankommen.courses.forms import ServiceErrorsMixin
from ankommen.grants.models import Programme
from ankommen.network.models import Organisation
from ankommen.people.forms import DateInput
from ankommen.regions.models import Centre


def year_choices() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year + 1, this_year - 4, -1)]


def _money_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=Decimal(0), localize=True, **kwargs
    )
    field.widget.attrs.update({"inputmode": "decimal"})
    return field


class YearField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=_("Year"), coerce=int, choices=year_choices, widget=PlainSelect, **kwargs)


class ApplicationForm(ServiceErrorsMixin, forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.filter(is_active=True), widget=PlainSelect, empty_label=None
    )
    year = YearField()
    title = forms.CharField(label=_("Project"), max_length=200)
    description = forms.CharField(
        label=_("What are the funds for?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    requested_amount = _money_field(_("Requested amount (EUR)"))
    contact_name = forms.CharField(label=_("Contact person"), max_length=160)
    contact_email = forms.EmailField(label=_("Contact e-mail address"))

    def __init__(self, *args: Any, centre: Centre | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        if centre is not None:
            # Staff enter an application on an organisation's behalf: they choose the organisation.
            self.fields = {
                "organisation": forms.ModelChoiceField(
                    label=_("Organisation"),
                    queryset=Organisation.objects.for_centre(centre).order_by("name"),
                    widget=PlainSelect,
                ),
                **self.fields,
            }
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"


class DecisionForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("approve")), ("reject", _("reject"))],
        widget=forms.RadioSelect,
    )
    approved_amount = _money_field(_("Approved amount (EUR)"), required=False)
    proof_due_on = forms.DateField(label=_("Proof of use due on"), required=False, widget=DateInput())
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a rejection; it stands in the letter."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "approve":
            if data.get("approved_amount") is None:
                self.add_error("approved_amount", _("Enter the approved amount."))
            if data.get("proof_due_on") is None:
                self.add_error("proof_due_on", _("Enter the date the proof of use is due."))
        return data


class PaymentForm(ServiceErrorsMixin, forms.Form):
    amount = _money_field(_("Amount (EUR)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class ProofForm(ServiceErrorsMixin, forms.Form):
    report = forms.CharField(
        label=_("Report on the use of the funds"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was done with the funds, how many took part, what was bought."),
    )
    spent_amount = _money_field(_("Amount spent (EUR)"))
    attachment = forms.FileField(
        label=_("Receipts or documents"),
        required=False,
        help_text=_("One PDF, PNG or JPEG file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )


class ProofCheckForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Result of the check"),
        choices=[("accept", _("accept the proof of use")), ("questions", _("send questions to the organisation"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Questions or note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class BudgetForm(ServiceErrorsMixin, forms.Form):
    year = YearField()
    amount = _money_field(_("Budget (EUR)"))


class AllocationForm(ServiceErrorsMixin, forms.Form):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.order_by("name"), widget=PlainSelect)
    year = YearField()
    amount = _money_field(_("Allocation (EUR)"))


class YearFilterForm(forms.Form):
    year = YearField(required=False)
