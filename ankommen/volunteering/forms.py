"""Forms of the volunteers module. The sign-up form's messages are shown in seven languages."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ankommen.core.widgets import PlainSelect
from ankommen.matching.volunteers import PARTS_OF_DAY
from ankommen.people.choices import language_choices
from ankommen.people.forms import DateInput, KernFormMixin
from ankommen.people.models import Consent, Purpose
from ankommen.schooling.forms_preregistration import MAX_FILL_SECONDS, MIN_FILL_SECONDS
from ankommen.volunteering.models import CloseReason, ExpectedDuration, LanguageLevel, Weekday
from ankommen.volunteering.selectors import activity_choices

LANGUAGE_ROWS = 3
STARTED_SALT = "ankommen.volunteering.signup.started"


def started_token(now: float | None = None) -> str:
    """A signed start time for the sign-up form, to recognise answers sent faster than a person can type."""
    return signing.dumps(now if now is not None else time.time(), salt=STARTED_SALT)


PART_CHOICES = [("0", _("morning")), ("1", _("afternoon")), ("2", _("evening"))]


class AvailabilityMixin:
    """Seven groups of check boxes (one per weekday: morning, afternoon, evening) folded into one bit mask."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_availability_fields(self, *, required_label: bool = False) -> None:
        for day in Weekday:
            self.fields[f"day_{day.value}"] = forms.MultipleChoiceField(
                label=day.label, choices=PART_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
            )

    def availability_mask(self) -> int:
        mask = 0
        for day in Weekday:
            for part in self.cleaned_data.get(f"day_{day.value}", []):
                mask |= 1 << (day.value * PARTS_OF_DAY + int(part))
        return mask

    @property
    def day_fields(self) -> list[Any]:
        return [self[f"day_{day.value}"] for day in Weekday]  # type: ignore[index]


class SignUpForm(KernFormMixin, AvailabilityMixin, forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("At least 12 characters."),
    )
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=5, min_length=5)
    radius_km = forms.IntegerField(label=_("How far would you travel? (km)"), help_text=_("Between 1 and 100 km."))
    max_parallel = forms.IntegerField(
        label=_("How many assignments at the same time?"), initial=1, help_text=_("Between 1 and 10.")
    )
    activities = forms.MultipleChoiceField(
        label=_("What would you like to do?"), widget=forms.CheckboxSelectMultiple, required=False
    )
    consent = forms.BooleanField(
        label=_("I agree that the integration centre stores and uses my details to arrange volunteering."),
        required=False,
    )
    # Left empty by people: the field is hidden from them. Scripts fill every field they find.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activities"].choices = activity_choices()  # type: ignore[attr-defined]
        languages = [("", _("Please choose")), *language_choices()]
        levels = [("", _("Please choose")), *LanguageLevel.choices]
        for row in range(LANGUAGE_ROWS):
            self.fields[f"language_{row}"] = forms.ChoiceField(
                label=_("Language %(number)d") % {"number": row + 1},
                choices=languages,
                required=False,
                widget=PlainSelect(attrs={"class": "kern-form-input__select"}),
            )
            self.fields[f"level_{row}"] = forms.ChoiceField(
                label=_("Level in language %(number)d") % {"number": row + 1},
                choices=levels,
                required=False,
                widget=forms.Select(attrs={"class": "kern-form-input__select"}),
            )
        self.add_availability_fields()
        for name in ("email", "phone", "postcode"):
            self.fields[name].widget.attrs["dir"] = "ltr"
        self.fields["display_name"].widget.attrs["dir"] = "auto"
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["started"] = started_token()

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def clean_started(self) -> str:
        token: str = self.cleaned_data["started"]
        try:
            started = float(signing.loads(token, salt=STARTED_SALT, max_age=MAX_FILL_SECONDS))
        except (signing.BadSignature, TypeError, ValueError):
            message = _("The page was open for too long. Please check your details and send them again.")
            raise ValidationError(message) from None
        if time.time() - started < MIN_FILL_SECONDS:
            raise ValidationError(_("That was very fast. Please check your details and send them again."))
        return token

    @property
    def language_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"language_{row}"], self[f"level_{row}"]) for row in range(LANGUAGE_ROWS)]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if len(password) < 12:
            raise ValidationError(_("The password must have at least 12 characters."))
        try:
            password_validation.validate_password(password)
        except ValidationError:
            raise ValidationError(_("This password is too easy to guess. Please choose another one.")) from None
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in range(LANGUAGE_ROWS):
            language, level = cleaned.get(f"language_{row}"), cleaned.get(f"level_{row}")
            if bool(language) != bool(level):
                self.add_error(f"level_{row}", _("Please choose a language and your level in it."))
        return cleaned

    def languages(self) -> dict[str, str]:
        return {
            self.cleaned_data[f"language_{row}"]: self.cleaned_data[f"level_{row}"]
            for row in range(LANGUAGE_ROWS)
            if self.cleaned_data.get(f"language_{row}") and self.cleaned_data.get(f"level_{row}")
        }


class VerifyForm(forms.Form):
    identity_document_seen = forms.BooleanField(label=_("I have seen an identity document of this volunteer."))


class ClearanceForm(KernFormMixin, forms.Form):
    issued_on = forms.DateField(label=_("Date of issue of the certificate"), widget=DateInput())
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DateInput())
    no_relevant_entry = forms.BooleanField(
        label=_("The certificate contains no relevant entry (§ 72a SGB VIII)"), required=False
    )


class SupportRequestForm(KernFormMixin, AvailabilityMixin, forms.Form):
    person = forms.ChoiceField(label=_("Person (with consent for support by volunteers)"), required=False)
    partner_organisation = forms.CharField(
        label=_("Or: partner organisation asking for support"), max_length=200, required=False
    )
    activity = forms.ChoiceField(label=_("Activity"))
    language_0 = forms.ChoiceField(label=_("Language needed"), required=False, widget=PlainSelect)
    language_1 = forms.ChoiceField(label=_("Second language"), required=False, widget=PlainSelect)
    postcode = forms.CharField(label=_("Postcode of the place"), max_length=5)
    involves_minors = forms.BooleanField(label=_("Involves minors"), required=False)
    expected_duration = forms.ChoiceField(label=_("Expected duration"), choices=ExpectedDuration.choices)
    description = forms.CharField(
        label=_("Description for the volunteer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("What the volunteer needs to know. No health or case details."),
    )

    def __init__(self, *args: Any, centre: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consents = (
            Consent.objects.for_centre(centre)
            .filter(purpose=Purpose.VOLUNTEER_SUPPORT, withdrawn_on__isnull=True)
            .select_related("person")
            .order_by("person__family_name", "person__given_names")
        )
        self.persons = {str(consent.person_id): consent.person for consent in consents}
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            ("", _("none")),
            *[(key, f"{person.family_name}, {person.given_names}") for key, person in self.persons.items()],
        ]
        self.fields["activity"].choices = [("", _("Please choose")), *activity_choices()]  # type: ignore[attr-defined]
        languages = [("", _("none")), *language_choices()]
        self.fields["language_0"].choices = languages  # type: ignore[attr-defined]
        self.fields["language_1"].choices = languages  # type: ignore[attr-defined]
        self.add_availability_fields()

    def chosen_person(self) -> Any:
        return self.persons.get(self.cleaned_data.get("person") or "")

    def languages(self) -> list[str]:
        return [code for code in (self.cleaned_data.get("language_0"), self.cleaned_data.get("language_1")) if code]


class PartnerRequestForm(KernFormMixin, AvailabilityMixin, forms.Form):
    """A partner organisation's request: what is needed, where and when; nothing that names the family."""

    activity = forms.ChoiceField(label=_("Activity"))
    language_0 = forms.ChoiceField(label=_("Language needed"), required=False, widget=PlainSelect)
    language_1 = forms.ChoiceField(label=_("Second language"), required=False, widget=PlainSelect)
    postcode = forms.CharField(label=_("Postcode of the place"), max_length=5)
    involves_minors = forms.BooleanField(label=_("Involves minors"), required=False)
    expected_duration = forms.ChoiceField(label=_("Expected duration"), choices=ExpectedDuration.choices)
    description = forms.CharField(
        label=_("Short description of the need"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
        required=False,
        help_text=_(
            "At most 300 characters, without names, addresses or health details: for example "
            '"Family with two children looks for help with letters from the job centre".'
        ),
    )
    family_consented = forms.BooleanField(
        label=_(
            "The family agreed that we pass this request on to the integration centre and that a volunteer "
            "supports them."
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("Please choose")), *activity_choices()]  # type: ignore[attr-defined]
        languages = [("", _("none")), *language_choices()]
        self.fields["language_0"].choices = languages  # type: ignore[attr-defined]
        self.fields["language_1"].choices = languages  # type: ignore[attr-defined]
        self.add_availability_fields()

    def languages(self) -> list[str]:
        return [code for code in (self.cleaned_data.get("language_0"), self.cleaned_data.get("language_1")) if code]


class CloseForm(KernFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("Please choose")), *CloseReason.choices])
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class DeclineForm(KernFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why can you not take this request?"), max_length=255)


class WithdrawConsentForm(KernFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I withdraw my consent."),
        error_messages={"required": _("Please confirm that you want to withdraw your consent.")},
    )


class HoursForm(KernFormMixin, forms.Form):
    assignment = forms.ChoiceField(label=_("Assignment"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=2)

    def __init__(self, *args: Any, assignments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignments = {str(a.pk): a for a in assignments}
        self.fields["assignment"].choices = [  # type: ignore[attr-defined]
            (key, _("Request %(number)s") % {"number": a.request_id}) for key, a in self.assignments.items()
        ]

    def clean_hours(self) -> Any:
        hours = self.cleaned_data["hours"]
        if not 0.25 <= hours <= 24:
            raise ValidationError(_("Please enter between 0.25 and 24 hours."))
        return hours


class ShiftHoursForm(forms.Form):
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=2)

    def clean_hours(self) -> Any:
        hours = self.cleaned_data["hours"]
        if not 0.25 <= hours <= 24:
            raise ValidationError(_("Please enter between 0.25 and 24 hours."))
        return hours


class MeetingPointForm(KernFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the meeting point"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=255)


class ShiftForm(KernFormMixin, forms.Form):
    meeting_point = forms.ChoiceField(label=_("Meeting point"))
    title = forms.CharField(label=_("Title"), max_length=120)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends_at = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    slots = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=50)
    first_date = forms.DateField(label=_("First date"), widget=DateInput())
    last_date = forms.DateField(label=_("Last date"), widget=DateInput())

    def __init__(self, *args: Any, points: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points = {str(point.pk): point for point in points}
        self.fields["meeting_point"].choices = [(key, point.name) for key, point in self.points.items()]  # type: ignore[attr-defined]


class ProfileForm(SignUpForm):
    """The volunteer's own profile: the sign-up form without name, account and consent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("display_name", "email", "password", "consent", "website", "started"):
            del self.fields[name]

    @staticmethod
    def initial_for(volunteer: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "phone": volunteer.phone,
            "postcode": volunteer.postcode,
            "radius_km": volunteer.radius_km,
            "max_parallel": volunteer.max_parallel,
            "activities": volunteer.activities,
        }
        for row, (code, level) in enumerate(list(volunteer.languages.items())[:LANGUAGE_ROWS]):
            initial[f"language_{row}"], initial[f"level_{row}"] = code, level
        for day in Weekday:
            initial[f"day_{day.value}"] = [
                str(part)
                for part in range(PARTS_OF_DAY)
                if volunteer.availability >> (day.value * PARTS_OF_DAY + part) & 1
            ]
        return initial
