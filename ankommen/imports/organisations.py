"""Importing organisations of the local network: the organisation form's fields, written by network's services.

Name and postcode are the natural key (case and spaces aside): a row sets the fields the file has columns for on
the organisation of that name at that postcode, or creates it. The area served is chosen on the organisation's
page. Organisation lists are short, so each row is written by the same services as the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ankommen.imports.engine import Column, FieldErrors, Importer, RowOutcome, fold_header
from ankommen.imports.models import ImportKind
from ankommen.imports.persons import LIST_SEPARATORS
from ankommen.network import services
from ankommen.network.forms import OrganisationForm
from ankommen.network.models import Organisation
from ankommen.regions.models import Postcode

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre

ORGANISATION_IMPORT_FIELDS = [name for name in services.ORGANISATION_FIELDS if name != "is_listed"]
OrganisationKey = tuple[str, str]


class OrganisationImporter(Importer):
    kind = ImportKind.ORGANISATIONS

    def __init__(self, *, centre: Centre, by: User) -> None:
        self.centre = centre
        self.by = by
        form = OrganisationForm(centre=centre)
        self.fields: dict[str, forms.Field] = {name: form.fields[name] for name in ORGANISATION_IMPORT_FIELDS}
        self.present: list[str] = []
        self.existing: dict[OrganisationKey, Organisation] = {}
        self.seen: set[OrganisationKey] = set()
        self.postcodes: frozenset[str] = frozenset()

    def columns(self) -> list[Column]:
        return [Column(name, field.label, field.required) for name, field in self.fields.items()]

    def begin(self, fields: list[str]) -> None:
        self.present = fields
        self.postcodes = frozenset(Postcode.objects.values_list("code", flat=True))
        organisations = Organisation.objects.for_centre(self.centre)
        self.existing = {(fold_header(o.name), o.postcode): o for o in organisations}

    def _prepared(self, name: str, raw: str) -> Any:
        if name == "languages":
            return [code.lower() for code in LIST_SEPARATORS.split(raw) if code]
        return raw

    def check(self, values: dict[str, str]) -> tuple[RowOutcome, Any] | FieldErrors:
        cleaned: dict[str, Any] = {}
        errors: FieldErrors = {}
        for name, raw in values.items():
            try:
                cleaned[name] = self.fields[name].clean(self._prepared(name, raw))
            except ValidationError as error:
                errors[name] = list(error.messages)
        if "postcode" in cleaned and cleaned["postcode"] not in self.postcodes:
            errors["postcode"] = [_("This postcode is not in NRW's postcode list.")]
        if errors:
            return errors
        key = (fold_header(cleaned["name"]), cleaned["postcode"])
        if key in self.seen:
            return {"__all__": [_("The same organisation (name and postcode) is in an earlier row of the file.")]}
        self.seen.add(key)
        stored = self.existing.get(key)
        candidate = Organisation(centre=self.centre, **{**self._stored_fields(stored), **cleaned})
        candidate.languages = sorted(set(candidate.languages or []))
        try:
            candidate.full_clean(exclude=["latitude", "longitude"])
        except ValidationError as error:
            return {name: list(messages) for name, messages in error.message_dict.items()}
        if stored is None:
            return RowOutcome.NEW, cleaned
        if all(getattr(candidate, name) == getattr(stored, name) for name in self.present):
            return RowOutcome.UNCHANGED, None
        return RowOutcome.CHANGED, (stored, cleaned)

    @staticmethod
    def _stored_fields(stored: Organisation | None) -> dict[str, Any]:
        if stored is None:
            return {}
        return {name: getattr(stored, name) for name in ORGANISATION_IMPORT_FIELDS}

    def write(self, *, new: list[Any], changed: list[Any]) -> None:
        for fields in new:
            services.organisation_create(centre=self.centre, by=self.by, **fields)
        for organisation, fields in changed:
            services.organisation_update(organisation=organisation, by=self.by, **fields)
