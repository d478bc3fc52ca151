"""Importing persons: the fields and rules of the person form and Person.clean(), written by people's services.

A row is the same person as one the centre holds when given names, family name and date of birth agree (case,
accents and spaces aside): the natural key. Such a row changes the person's fields the file has columns for, or
nothing when they already agree; so importing the same file twice changes nothing the second time. Two rows with
the same key in one file are an error.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ankommen.imports.engine import Column, FieldErrors, Importer, RowOutcome, fold_header
from ankommen.imports.models import ImportKind
from ankommen.people import services
from ankommen.people.forms import PERSON_FORM_FIELDS, PersonForm
from ankommen.people.models import Person, person_rule_errors, postcodes_known
from ankommen.people.search import fold_for_search, normalise_name, search_text_for
from ankommen.regions.models import Postcode

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre

# The family is chosen on the person's page: a file cannot name one of the centre's families.
PERSON_IMPORT_FIELDS = [name for name in PERSON_FORM_FIELDS if name != "family"]
GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
LIST_SEPARATORS = re.compile(r"[\s,;/|]+")
# Fields whose check depends on the value alone: each distinct value is checked once per file.
_REPEATING = (forms.DateField, forms.ChoiceField)

PersonKey = tuple[str, str, datetime.date | None]


def person_key(given_names: str, family_name: str, birth_date: datetime.date | None) -> PersonKey:
    return (fold_for_search(normalise_name(given_names)), fold_for_search(normalise_name(family_name)), birth_date)


def _choice_aliases(field: forms.ChoiceField) -> dict[str, str]:
    """A choice's code or its label in German or English, as people type it into a spreadsheet."""
    choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
    aliases = {}
    for language in ("de", "en"):
        with translation.override(language):
            aliases.update({fold_header(str(label)): str(code) for code, label in choices})
    aliases.update({fold_header(str(code)): str(code) for code, _label in choices})
    return aliases


class PersonImporter(Importer):
    kind = ImportKind.PERSONS

    def __init__(self, *, centre: Centre, by: User) -> None:
        self.centre = centre
        self.by = by
        form = PersonForm(centre=centre)
        self.fields = {name: form.fields[name] for name in PERSON_IMPORT_FIELDS}
        self.choice_aliases = {
            name: _choice_aliases(field)  # type: ignore[arg-type]
            for name, field in self.fields.items()
            if type(field) is forms.ChoiceField
        }
        self.cache: dict[tuple[str, str], tuple[Any, ValidationError | None]] = {}
        self.cleaners: dict[str, Callable[[str], Any]] = {}
        self.present: list[str] = []
        self.existing: dict[PersonKey, dict[str, Any]] = {}
        self.seen: set[PersonKey] = set()
        self.postcodes: frozenset[str] = frozenset()
        self.defaults = {name: _model_field(name).get_default() for name in PERSON_IMPORT_FIELDS}
        self.today = timezone.localdate()

    def columns(self) -> list[Column]:
        # A choice with a default (gender, residence status) may be left out: the default is taken, as on the form.
        return [
            Column(name, field.label, field.required and field.initial is None) for name, field in self.fields.items()
        ]

    def begin(self, fields: list[str]) -> None:
        self.present = fields
        self.cleaners = {name: self._cleaner(name) for name in fields}
        self.postcodes = frozenset(Postcode.objects.values_list("code", flat=True))
        stored = Person.objects.for_centre(self.centre).values("id", *PERSON_IMPORT_FIELDS)
        self.existing = {
            person_key(row["given_names"], row["family_name"], row["birth_date"]): row for row in stored.iterator()
        }

    def _cleaner(self, name: str) -> Callable[[str], Any]:
        """How a cell of this column becomes its value: with the form field's own clean(), or a quicker way that
        gives the same value, and the form field's clean() (with its own messages) whenever that is not certain."""
        field = self.fields[name]
        if isinstance(field, _REPEATING):
            return partial(self._cleaned_once, name)
        if _is_plain_text_field(field):
            return partial(_cleaned_text, field)  # type: ignore[arg-type]
        return lambda raw: field.clean(self._prepared(name, raw))

    def _prepared(self, name: str, raw: str) -> Any:
        field = self.fields[name]
        if isinstance(field, forms.MultipleChoiceField):
            codes = [code for code in LIST_SEPARATORS.split(raw) if code]
            return [code.upper() for code in codes] if name == "nationalities" else [code.lower() for code in codes]
        if name in self.choice_aliases:
            return self.choice_aliases[name].get(fold_header(raw), raw) if raw else field.initial
        if isinstance(field, forms.DateField) and (match := GERMAN_DATE.fullmatch(raw)):
            day, month, year = match.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return raw

    def _cleaned_once(self, name: str, raw: str) -> Any:
        """Dates and choices: each distinct value of a column is checked once per file."""
        cached = self.cache.get((name, raw))
        if cached is None:
            field = self.fields[name]
            prepared = self._prepared(name, raw)
            value = _iso_date(prepared) if isinstance(field, forms.DateField) else None
            try:
                cached = (value if value is not None else field.clean(prepared), None)
            except ValidationError as refused:
                cached = (None, refused)
            self.cache[(name, raw)] = cached
        value, error = cached
        if error is not None:
            raise error  # the same error for every row with this value
        return value

    def check(self, values: dict[str, str]) -> tuple[RowOutcome, Any] | FieldErrors:
        cleaned: dict[str, Any] = {}
        errors: FieldErrors = {}
        for name, raw in values.items():
            try:
                cleaned[name] = self.cleaners[name](raw)
            except ValidationError as error:
                errors[name] = list(error.messages)
        if errors:
            return errors
        key = person_key(cleaned["given_names"], cleaned["family_name"], cleaned.get("birth_date"))
        if key in self.seen:
            return {"__all__": [_("The same person (names and date of birth) is in an earlier row of the file.")]}
        self.seen.add(key)
        stored = self.existing.get(key)
        # The person as person_create or person_update would store it: its values, the file's normalised over them.
        person = {**(stored if stored is not None else self.defaults), **services.person_values(cleaned)}  # type: ignore[arg-type]
        person["search_text"] = search_text_for(
            person["given_names"], person["family_name"], person["given_names_latin"], person["family_name_latin"]
        )
        with postcodes_known(self.postcodes):
            rule_errors = person_rule_errors(person, today=self.today)
        if rule_errors:
            return {name: [str(message) for message in messages] for name, messages in rule_errors.items()}
        if stored is None:
            return RowOutcome.NEW, person
        if all(person[name] == stored[name] for name in self.present):
            return RowOutcome.UNCHANGED, None
        return RowOutcome.CHANGED, person

    def write(self, *, new: list[Any], changed: list[Any]) -> None:
        services.persons_bulk_write(centre=self.centre, by=self.by, new=new, changed=changed, fields=self.present)


def _model_field(name: str) -> models.Field[Any, Any]:
    field = Person._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _is_plain_text_field(field: forms.Field) -> bool:
    """A text field whose clean() only strips, requires and limits the length (and refuses NUL characters)."""
    return (
        type(field) is forms.CharField
        and field.strip
        and field.min_length is None
        and field.empty_value == ""
        and all(isinstance(check, MaxLengthValidator | ProhibitNullCharactersValidator) for check in field.validators)
    )


def _cleaned_text(field: forms.CharField, raw: str) -> str:
    # The cells come stripped; a cell that passes these tests is what clean() returns, any other goes to clean().
    if (raw or not field.required) and (field.max_length is None or len(raw) <= field.max_length) and "\x00" not in raw:
        return raw
    return str(field.clean(raw))


def _iso_date(value: Any) -> datetime.date | None:
    """An ISO date as DateField.clean() reads it (its input formats always include ISO); None: ask clean()."""
    if isinstance(value, str) and (match := ISO_DATE.fullmatch(value)):
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    return None
