"""Importing school seats: the fields of the seat-offer form, written by schooling's `seat_offer_set`.

A row names a school of the centre by its official school number; school, term, grade and kind are the natural
key (the seat offer's unique constraint), so a row sets that offer's number of seats: new, changed or unchanged.
Seat lists are short (a few hundred rows), so each row is written by the same service as the school's own page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ankommen.imports.engine import Column, FieldErrors, Importer, RowOutcome
from ankommen.imports.models import ImportKind
from ankommen.regions.models import School
from ankommen.schooling import services
from ankommen.schooling.forms import SeatOfferForm
from ankommen.schooling.models import SeatOffer

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre

SeatKey = tuple[int, str, int, str]


class SeatImporter(Importer):
    kind = ImportKind.SEATS

    def __init__(self, *, centre: Centre, by: User) -> None:
        self.centre = centre
        self.by = by
        self.fields: dict[str, forms.Field] = {
            "school": forms.CharField(label=gettext_lazy("School number"), max_length=6),
            **SeatOfferForm().fields,
        }
        self.schools: dict[str, School] = {}
        self.existing: dict[SeatKey, int] = {}
        self.seen: set[SeatKey] = set()

    def columns(self) -> list[Column]:
        return [Column(name, field.label, field.required) for name, field in self.fields.items()]

    def begin(self, fields: list[str]) -> None:
        # Only the schools in the centre's municipalities: another centre's school is unknown here.
        schools = School.objects.filter(municipality__centre=self.centre)
        self.schools = {school.number: school for school in schools}
        offers = SeatOffer.objects.for_centre(self.centre).values_list("school_id", "term", "grade", "kind", "seats")
        self.existing = {(school, term, grade, kind): seats for school, term, grade, kind, seats in offers}

    def check(self, values: dict[str, str]) -> tuple[RowOutcome, Any] | FieldErrors:
        cleaned: dict[str, Any] = {}
        errors: FieldErrors = {}
        for name, raw in values.items():
            try:
                cleaned[name] = self.fields[name].clean(raw)
            except ValidationError as error:
                errors[name] = list(error.messages)
        school = self.schools.get(cleaned.get("school", ""))
        if "school" in cleaned and school is None:
            errors["school"] = [_("No school of your centre has this school number.")]
        if errors or school is None:
            return errors
        key = (school.pk, cleaned["term"], cleaned["grade"], cleaned["kind"])
        if key in self.seen:
            return {"__all__": [_("The same school, term, grade and kind are in an earlier row of the file.")]}
        self.seen.add(key)
        row = {**cleaned, "school": school}
        stored = self.existing.get(key)
        if stored is None:
            return RowOutcome.NEW, row
        return (RowOutcome.UNCHANGED, None) if stored == cleaned["seats"] else (RowOutcome.CHANGED, row)

    def write(self, *, new: list[Any], changed: list[Any]) -> None:
        for row in [*new, *changed]:
            services.seat_offer_set(by=self.by, **row)
