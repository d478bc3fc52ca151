"""Importing KOMM-AN volunteers: the fields of the volunteer's profile form, written by volunteering's services.

The e-mail address is the natural key: it is the volunteer's login, unique over all accounts, so a row with the
address of one of the centre's volunteers changes that volunteer (name and profile), and a new address creates a
volunteer waiting for identity verification. An address of any other account (staff, another centre's
volunteer) is an error of the row. Names and dates of birth are not a key here: volunteers sign up without a date
of birth. Volunteer lists are short, so each row is checked with the whole profile form and written by the same
services as the pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from ankommen.imports.engine import Column, FieldErrors, Importer, RowOutcome, fold_header
from ankommen.imports.models import ImportKind
from ankommen.imports.persons import GERMAN_DATE, _choice_aliases
from ankommen.people.choices import language_choices
from ankommen.volunteering import services
from ankommen.volunteering.forms import LANGUAGE_ROWS, ProfileForm, SignUpForm
from ankommen.volunteering.models import Volunteer, Weekday
from ankommen.volunteering.selectors import activity_choices

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre

# Activity names have spaces: only these separate the items of a list.
ITEM_SEPARATORS = re.compile(r"[,;/|]+")
LANGUAGE_FIELDS = [name for row in range(LANGUAGE_ROWS) for name in (f"language_{row}", f"level_{row}")]
DAY_FIELDS = [f"day_{day.value}" for day in Weekday]
PROFILE_FIELDS = ["phone", "postcode", "radius_km", "max_parallel", "activities", *LANGUAGE_FIELDS, *DAY_FIELDS]
# The sign-up form asks the volunteer ("Your name"); the file is the centre's list.
LABELS = {
    "display_name": gettext_lazy("Name"),
    "radius_km": gettext_lazy("Radius (km)"),
    "max_parallel": gettext_lazy("Maximum parallel assignments"),
    "activities": gettext_lazy("Activities"),
}
REQUIRED = {"display_name", "email", "postcode", "radius_km", "consent_given_on"}
# Errors of the service that belong to no single column of the file.
ERROR_COLUMNS = {"languages": "language_0", "availability": "__all__"}
VolunteerKey = str


def _aliases(choices: Callable[[], list[tuple[str, str]]]) -> dict[str, str]:
    """Choices computed in one language (activities, languages): their code or their German or English name."""
    aliases = {}
    for language in ("de", "en"):
        with translation.override(language):
            aliases.update({fold_header(str(label)): code for code, label in choices()})
    aliases.update({fold_header(code): code for code, _label in choices()})
    return aliases


def _numbered(message: str, number: int) -> Any:
    """The form's "Language 1" in the language of the moment (the form fixes it in the language it was made in)."""
    return lazy(lambda: gettext(message) % {"number": number}, str)()


def _label(name: str, field: forms.Field) -> Any:
    if name.startswith("language_"):
        return _numbered("Language %(number)d", int(name.removeprefix("language_")) + 1)
    if name.startswith("level_"):
        return _numbered("Level in language %(number)d", int(name.removeprefix("level_")) + 1)
    return LABELS.get(name, field.label)


class VolunteerImporter(Importer):
    kind = ImportKind.VOLUNTEERS

    def __init__(self, *, centre: Centre, by: User) -> None:
        self.centre = centre
        self.by = by
        sign_up = SignUpForm()
        self.fields: dict[str, forms.Field] = {
            "display_name": sign_up.fields["display_name"],
            "email": sign_up.fields["email"],
            **{name: field for name, field in ProfileForm().fields.items() if name in PROFILE_FIELDS},
            "consent_given_on": forms.DateField(label=gettext_lazy("Consent given on"), required=False),
        }
        self.aliases = {
            name: _choice_aliases(field)  # type: ignore[arg-type]
            for name, field in self.fields.items()
            if isinstance(field, forms.ChoiceField) and name != "activities" and not name.startswith("language_")
        }
        self.present: list[str] = []
        self.existing: dict[VolunteerKey, Volunteer] = {}
        self.seen: set[VolunteerKey] = set()

    def columns(self) -> list[Column]:
        return [Column(name, _label(name, field), name in REQUIRED) for name, field in self.fields.items()]

    def begin(self, fields: list[str]) -> None:
        self.present = fields
        self.aliases["activities"] = _aliases(activity_choices)
        languages = _aliases(language_choices)
        self.aliases.update({f"language_{row}": languages for row in range(LANGUAGE_ROWS)})
        volunteers = Volunteer.objects.for_centre(self.centre).select_related("user")
        self.existing = {volunteer.user.email.casefold(): volunteer for volunteer in volunteers}

    def _items(self, name: str, raw: str) -> list[str]:
        separators = ITEM_SEPARATORS if name == "activities" else re.compile(r"[\s,;/|]+")
        items = [item for item in separators.split(raw) if item.strip()]
        return [self.aliases[name].get(fold_header(item), item.strip()) for item in items]

    def _form_data(self, values: dict[str, str], stored: Volunteer | None) -> MultiValueDict[str, Any]:
        """The profile form's data: the file's columns, the stored profile for the columns the file has not."""
        initial = ProfileForm.initial_for(stored) if stored is not None else {"max_parallel": 1}
        data: MultiValueDict[str, Any] = MultiValueDict()
        for name in PROFILE_FIELDS:
            if name not in values:
                value = initial.get(name, [] if name == "activities" or name in DAY_FIELDS else "")
                data.setlist(name, [str(item) for item in value] if isinstance(value, list) else [value])
            elif name == "activities" or name in DAY_FIELDS:
                data.setlist(name, self._items(name, values[name]))
            elif name in self.aliases:
                data[name] = self.aliases[name].get(fold_header(values[name]), values[name])
            else:
                data[name] = values[name]
        return data

    def _single(self, name: str, raw: str) -> Any:
        if name == "consent_given_on" and (match := GERMAN_DATE.fullmatch(raw)):
            day, month, year = match.groups()
            raw = f"{year}-{int(month):02d}-{int(day):02d}"
        return self.fields[name].clean(raw)

    def check(self, values: dict[str, str]) -> tuple[RowOutcome, Any] | FieldErrors:
        errors: FieldErrors = {}
        cleaned: dict[str, Any] = {}
        for name in ("display_name", "email", "consent_given_on"):
            try:
                cleaned[name] = self._single(name, values.get(name, ""))
            except ValidationError as error:
                errors[name] = list(error.messages)
        key = str(cleaned.get("email", "")).strip().casefold()
        stored = self.existing.get(key) if key else None
        form = ProfileForm(data=self._form_data(values, stored))
        if not form.is_valid():
            errors.update({name: [str(message) for message in messages] for name, messages in form.errors.items()})
        if errors:
            return errors
        if key in self.seen:
            return {"__all__": [_("The same volunteer (e-mail address) is in an earlier row of the file.")]}
        self.seen.add(key)
        profile = {
            "phone": form.cleaned_data["phone"].strip(),
            "postcode": form.cleaned_data["postcode"],
            "radius_km": form.cleaned_data["radius_km"],
            "max_parallel": form.cleaned_data["max_parallel"],
            "languages": form.languages(),
            "activities": list(dict.fromkeys(form.cleaned_data["activities"])),
            "availability": form.availability_mask(),
        }
        refused = services.volunteer_import_errors(
            centre=self.centre,
            volunteer=stored,
            email=cleaned["email"],
            consent_given_on=cleaned["consent_given_on"],
            **{name: value for name, value in profile.items() if name != "phone"},
        )
        if refused:
            return {ERROR_COLUMNS.get(name, name): messages for name, messages in refused.items()}
        row = {"display_name": cleaned["display_name"].strip(), **profile}
        if stored is None:
            return RowOutcome.NEW, {**row, "email": cleaned["email"], "consent_given_on": cleaned["consent_given_on"]}
        if self._same(stored, row):
            return RowOutcome.UNCHANGED, None
        return RowOutcome.CHANGED, (stored, row)

    @staticmethod
    def _same(stored: Volunteer, row: dict[str, Any]) -> bool:
        return (
            stored.user.display_name == row["display_name"]
            and all(
                getattr(stored, name) == row[name]
                for name in ("phone", "postcode", "radius_km", "max_parallel", "languages", "availability")
            )
            and set(stored.activities) == set(row["activities"])
        )

    def write(self, *, new: list[Any], changed: list[Any]) -> None:
        for row in new:
            services.volunteer_import_create(centre=self.centre, by=self.by, **row)
        for volunteer, row in changed:
            services.volunteer_import_update(volunteer=volunteer, by=self.by, **row)
