"""Forms of the counselling pages: slots, invitations and the assessment. They parse; the services decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.core.widgets import PlainSelect
from ankommen.people.choices import language_choices
from ankommen.people.forms import KernFormMixin
from ankommen.regions.models import SchoolForm
from ankommen.schooling.counselling import counsellors_of, free_slots
from ankommen.schooling.models import CefrLevel, MathsLevel


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class CounsellorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "display_name", "") or obj.email)


class SlotForm(KernFormMixin, forms.Form):
    counsellor = CounsellorChoiceField(label=_("Counsellor"), queryset=None)
    day = forms.DateField(label=_("Day"), widget=DateInput())
    starts_at = forms.TimeField(label=_("From"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Until"), widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=200, help_text=_("Address and room, as the family finds it."))

    def __init__(self, *args: Any, centre: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = counsellors_of(centre=centre)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"day", "starts_at", "ends_at"} <= data.keys():
            zone = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(data["day"], data["starts_at"]), zone)
            data["ends_at"] = timezone.make_aware(datetime.datetime.combine(data["day"], data["ends_at"]), zone)
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: data[key] for key in ("counsellor", "starts_at", "ends_at", "place")}


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        start = timezone.localtime(obj.starts_at)
        counsellor = getattr(obj.counsellor, "display_name", "") or obj.counsellor.email
        return f"{start:%d.%m.%Y %H:%M}–{timezone.localtime(obj.ends_at):%H:%M} · {counsellor} · {obj.place}"


def letter_language_choices() -> list[tuple[str, str]]:
    names = dict(settings.LANGUAGES)
    return [(code, str(names.get(code, code))) for code in settings.FAMILY_LANGUAGES]


class InvitationForm(KernFormMixin, forms.Form):
    slot = SlotChoiceField(label=_("Appointment"), queryset=None, empty_label=None)
    letter_language = forms.ChoiceField(
        label=_("Language of the letter"),
        help_text=_("The letter is written in German and, next to it, in this language."),
    )
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed"), required=False)
    interpreter_language = forms.ChoiceField(label=_("Language of the interpreter"), required=False, widget=PlainSelect)

    def __init__(self, *args: Any, centre: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = free_slots(centre=centre)  # type: ignore[attr-defined]
        self.fields["letter_language"].choices = letter_language_choices()  # type: ignore[attr-defined]
        self.fields["interpreter_language"].choices = [("", _("none")), *language_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("interpreter_needed") and not data.get("interpreter_language"):
            raise ValidationError({"interpreter_language": _("Please name the language the interpreter should speak.")})
        return data


class AssessmentForm(KernFormMixin, forms.Form):
    german_level = forms.ChoiceField(label=_("German level"), choices=CefrLevel.choices)
    maths_level = forms.ChoiceField(label=_("Maths level"), choices=MathsLevel.choices)
    recommended_grade = forms.IntegerField(label=_("Recommended grade"), min_value=1, max_value=13)
    acceptable_school_forms = forms.MultipleChoiceField(
        label=_("Acceptable school forms"),
        choices=SchoolForm.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "kern-form-check__checkbox"}),
        help_text=_("Leave all unticked if any school form is acceptable."),
        required=False,
    )
    special_needs_indicated = forms.BooleanField(label=_("Indication of special educational needs"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    health_notes = forms.CharField(
        label=_("Health notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Special-category data: stored encrypted and shown only on this page."),
    )
