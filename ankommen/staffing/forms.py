"""Forms only parse and present; the services validate (the funding rule included) and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.core.widgets import PlainSelect
from ankommen.courses.forms import ServiceErrorsMixin
from ankommen.people.forms import DateInput
from ankommen.regions.models import RegionKind
from ankommen.staffing.models import FundingRule, FundingSource, StaffFunction, StaffPost

JUSTIFICATION_HELP = _(
    "Needed only when the entry breaks the funding rule in force; the entry is then flagged. "
    "The state sees this text: do not write names of persons."
)


class StaffPostForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title of the post"), max_length=160)
    function = forms.ChoiceField(label=_("Function"), choices=StaffFunction.choices, widget=PlainSelect)
    fte = forms.DecimalField(
        label=_("FTE"),
        max_digits=3,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("1"),
        help_text=_("Full-time equivalent of this post: more than 0, at most 1.0 (for example 0.5)."),
        error_messages={
            "min_value": _("A post has more than 0 FTE."),
            "max_value": _("A post has at most 1.0 FTE; split larger shares into several posts."),
        },
    )
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices, widget=PlainSelect)
    programme_name = forms.CharField(
        label=_("Programme"), max_length=160, required=False, help_text=_("Only for posts paid from a programme.")
    )
    filled_by = forms.CharField(
        label=_("Filled by"), max_length=160, required=False, help_text=_("Name of the employee; empty if vacant.")
    )
    vacant_since = forms.DateField(label=_("Vacant since"), required=False, widget=DateInput())
    starts_on = forms.DateField(label=_("Start"), widget=DateInput())
    ends_on = forms.DateField(label=_("End"), required=False, widget=DateInput())
    justification = forms.CharField(
        label=_("Justification for breaking the funding rule"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=JUSTIFICATION_HELP,
    )

    @staticmethod
    def initial_of(post: StaffPost) -> dict[str, Any]:
        names = ["title", "function", "fte", "funding_source", "programme_name", "filled_by", "vacant_since"]
        return {name: getattr(post, name) for name in [*names, "starts_on", "ends_on", "justification"]}


class PostEndForm(ServiceErrorsMixin, forms.Form):
    ends_on = forms.DateField(label=_("Last day of the post"), widget=DateInput())
    justification = forms.CharField(
        label=_("Justification for breaking the funding rule"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=JUSTIFICATION_HELP,
    )


class OnDayForm(ServiceErrorsMixin, forms.Form):
    on = forms.DateField(label=_("On the day"), required=False, widget=DateInput())


def _limit_field_names(kind: str) -> tuple[str, str]:
    return f"max_state_fte_{kind}", f"min_teacher_posts_{kind}"


class FundingRuleForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=DateInput(),
        help_text=_("Moving the start moves the end of the earlier rule to the day before."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in RegionKind.choices:
            maximum, minimum = _limit_field_names(kind)
            self.fields[maximum] = forms.DecimalField(
                label=_("Maximum state-funded FTE: %s") % label, max_digits=4, decimal_places=2, min_value=0
            )
            self.fields[minimum] = forms.DecimalField(
                label=_("Minimum teacher posts: %s") % label, max_digits=4, decimal_places=2, min_value=0
            )
        # The mixin styled the fields of the class; style the ones added here too.
        for name in self.fields:
            self.fields[name].widget.attrs.setdefault("class", "kern-form-input__input")

    def limits(self) -> dict[str, tuple[Decimal, Decimal]]:
        return {
            kind: (self.cleaned_data[_limit_field_names(kind)[0]], self.cleaned_data[_limit_field_names(kind)[1]])
            for kind in RegionKind.values
        }

    @staticmethod
    def initial_of(rule: FundingRule) -> dict[str, Any]:
        initial: dict[str, Any] = {"name": rule.name, "valid_from": rule.valid_from}
        for limit in rule.limits.all():
            maximum, minimum = _limit_field_names(limit.region_kind)
            initial[maximum], initial[minimum] = limit.max_state_fte, limit.min_teacher_posts
        return initial
