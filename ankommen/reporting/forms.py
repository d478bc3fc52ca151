"""Forms of the dashboards: they parse and present; `dashboard_services` validates and writes."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.core.widgets import PlainSelect
from ankommen.courses.forms import ServiceErrorsMixin
from ankommen.reporting.indicators import INDICATOR_BY_KEY, MANUAL_KEYS
from ankommen.reporting.models import Measure


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.Field):
    """`YYYY-MM`, as a month input sends it; the first day of that month."""

    widget = MonthInput
    default_error_messages = {"invalid": _("Enter the month as year and month, e.g. 2026-03.")}

    def to_python(self, value: Any) -> datetime.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        try:
            return datetime.datetime.strptime(str(value).strip(), "%Y-%m").date()  # noqa: DTZ007 (a calendar month)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, datetime.date) else value


class WholeNumberField(forms.IntegerField):
    """A count as typed; whether it is possible is the service's rule, so the message names the rule broken."""

    default_error_messages = {"invalid": _("Enter a whole number (0 if there were none).")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "min": "0"})


def _count_field(key: str) -> WholeNumberField:
    indicator = INDICATOR_BY_KEY[key]
    return WholeNumberField(label=indicator.label, help_text=indicator.definition)


class ManualFigureForm(ServiceErrorsMixin, forms.Form):
    month = MonthField(label=_("Month"))
    counselling_contacts = _count_field("counselling_contacts")
    events_held = _count_field("events_held")
    event_participants = _count_field("event_participants")
    schools_advised = _count_field("schools_advised")

    def manual_values(self) -> dict[str, int | None]:
        return {key: self.cleaned_data.get(key) for key in MANUAL_KEYS}


class TargetForm(ServiceErrorsMixin, forms.Form):
    """One optional monthly target per indicator; an empty field removes the target."""

    def __init__(self, *args: Any, indicators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            self.fields[indicator.key] = forms.DecimalField(
                label=indicator.label,
                required=False,
                max_digits=10,
                decimal_places=1,
                help_text=_("Lower is better") if indicator.higher_is_better is False else _("Higher is better"),
                widget=forms.NumberInput(attrs={"class": "kern-form-input__input", "step": "0.1", "min": "0"}),
            )


class ThresholdForm(ServiceErrorsMixin, forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), widget=PlainSelect)
    measure = forms.ChoiceField(label=_("Measured as"), choices=Measure.choices, widget=PlainSelect)
    on_track_from = forms.DecimalField(
        label=_("On track from"),
        required=False,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "kern-form-input__input", "step": "0.01"}),
    )
    attention_below = forms.DecimalField(
        label=_("Needs attention beyond"),
        required=False,
        max_digits=10,
        decimal_places=2,
        help_text=_(
            "Higher is better: below this value. Lower is better (days): above it. Leave both empty to remove."
        ),
        widget=forms.NumberInput(attrs={"class": "kern-form-input__input", "step": "0.01"}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = choices  # type: ignore[attr-defined]
