from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.regions.models import SchoolForm

QUERY_MAX_LENGTH = 100


class CentreFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, district or municipality"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={"max_length": _("Please enter at most %(limit_value)d characters.")},
    )


class SchoolSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name of the school"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={"max_length": _("Please enter at most %(limit_value)d characters.")},
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={"max_length": _("Please enter at most %(limit_value)d characters.")},
    )
    form = forms.ChoiceField(
        label=_("School form"),
        required=False,
        choices=[("", _("All school forms")), *SchoolForm.choices],
        error_messages={"invalid_choice": _("Please choose a school form from the list.")},
    )
    page = forms.IntegerField(
        label=_("Page"),
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("The page must be a whole number."),
            "min_value": _("The page must be 1 or higher."),
        },
    )
