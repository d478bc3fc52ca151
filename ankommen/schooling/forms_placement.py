"""Forms of the placement pages: they parse; the services in placement.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.people.forms import KernFormMixin
from ankommen.schooling.forms_counselling import DateInput
from ankommen.schooling.selectors import term_choices


class RunStartForm(KernFormMixin, forms.Form):
    term = forms.ChoiceField(label=_("Term"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = term_choices()  # type: ignore[attr-defined]


class ConfirmForm(KernFormMixin, forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())


class DeclineForm(KernFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=255,
        help_text=_("The centre reads it; the next run leaves out your school for this child."),
    )


class FirstSchoolDayForm(KernFormMixin, forms.Form):
    first_school_day = forms.DateField(label=_("First school day"), widget=DateInput())
