from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.imports.models import ImportKind
from ankommen.people.forms import KernFormMixin


class ImportUploadForm(KernFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (separated by semicolons or commas) or Excel workbook (XLSX); the first row holds the column titles."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
