"""Subject access and portability (GDPR Art. 15 and 20): everything the centre holds about one person.

`SECTIONS` names every model whose rows are about a person, with the lookup that finds the person's rows; a
model reached from `Person` through foreign keys that is not exported stands in `EXCLUDED` with the reason.
`tests: test_subject_access.py` walks the relations from `Person` and fails on any model in neither list, so a
new module's model cannot be left out silently.

Beside the records, the export holds their change history (the pghistory event rows) and the access log entries
about them. The result is one plain dictionary: written as JSON (machine-readable, for portability) and rendered
as a PDF for the person to read.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.core.crypto import decrypt_text
from ankommen.core.models import AccessLogEntry
from ankommen.core.pdf import render_pdf
from ankommen.people.history import history_entries
from ankommen.people.models import Person

if TYPE_CHECKING:
    from ankommen.regions.models import Centre

STYLESHEET = Path(__file__).parent / "subject_access_print.css"
FORMAT_VERSION = 1
# Encrypted special-category fields are exported readable, under their name without the suffix.
ENCRYPTED_SUFFIX = "_encrypted"


@dataclass(frozen=True)
class Section:
    """The rows of one model that are about the person: `rows(person)` is a filter on that model."""

    model: str
    rows: Callable[[Person], Q]


def _with_family(person: Person, person_path: str, family_path: str) -> Q:
    found = Q(**{person_path: person})
    if person.family_id:
        found |= Q(**{family_path: person.family_id})
    return found


SECTIONS: tuple[Section, ...] = (
    Section("people.Person", lambda p: Q(pk=p.pk)),
    Section("people.Family", lambda p: Q(pk=p.family_id) if p.family_id else Q(pk__in=[])),
    Section("people.GuardianRelation", lambda p: Q(child=p) | Q(guardian=p)),
    Section("people.Consent", lambda p: Q(person=p)),
    Section("schooling.Intake", lambda p: Q(child=p)),
    Section("schooling.CounsellingAppointment", lambda p: Q(intake__child=p)),
    Section("schooling.Assessment", lambda p: Q(intake__child=p)),
    Section("schooling.Placement", lambda p: Q(intake__child=p)),
    Section("volunteering.SupportRequest", lambda p: _with_family(p, "person", "family")),
    Section("volunteering.Assignment", lambda p: _with_family(p, "request__person", "request__family")),
    Section("volunteering.RequestStep", lambda p: _with_family(p, "request__person", "request__family")),
    Section("work.CandidateProfile", lambda p: Q(person=p)),
    Section("work.CandidateStatusChange", lambda p: Q(profile__person=p)),
    Section("work.Qualification", lambda p: Q(profile__person=p)),
    Section("work.Application", lambda p: Q(profile__person=p)),
    Section("work.ApplicationStep", lambda p: Q(application__profile__person=p)),
    Section("network.Referral", lambda p: Q(person=p)),
)

# Models linked to a person that the export leaves out, each with the reason.
EXCLUDED: dict[str, str] = {
    "volunteering.HoursEntry": (
        "A volunteer's record of their own hours: the volunteer's personal data, not the supported person's; "
        "the assignment it belongs to is exported."
    ),
    "work.CandidateProfile_occupation_wishes": (
        "The link table of the profile's occupation wishes: exported as the list `occupation_wishes` of the "
        "candidate profile."
    ),
}


def section_models() -> list[type[models.Model]]:
    return [apps.get_model(section.model) for section in SECTIONS]


def _plain(value: Any) -> Any:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def _record(record: models.Model) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for model_field in record._meta.concrete_fields:  # type: ignore[attr-defined]
        value = getattr(record, model_field.attname)
        if model_field.name.endswith(ENCRYPTED_SUFFIX):
            fields[model_field.name.removesuffix(ENCRYPTED_SUFFIX)] = decrypt_text(value) if value else ""
            continue
        fields[model_field.attname] = _plain(value)
    for many in record._meta.many_to_many:
        fields[many.name] = [str(related.pk) for related in getattr(record, many.name).all()]
    return fields


def _events(model: type[models.Model], centre: Centre, ids: list[Any]) -> list[Any]:
    event_model = getattr(model, "pgh_event_model", None)
    if event_model is None or not ids:
        return []
    return list(
        event_model.objects.filter(centre=centre, pgh_obj_id__in=ids)
        .select_related("pgh_context")
        .order_by("pgh_created_at", "pgh_id")
    )


def _event(event: Any) -> dict[str, Any]:
    tracked = event.pgh_tracked_model
    data = {
        f.attname: _plain(getattr(event, f.attname))
        for f in type(event)._meta.concrete_fields
        if not f.name.startswith("pgh_")
    }
    return {
        "record_type": tracked._meta.label_lower,
        "record_id": str(event.pgh_obj_id),
        "at": event.pgh_created_at,
        "event": event.pgh_label,
        "by_user": event.pgh_context.metadata.get("user") if event.pgh_context_id else None,
        "data": data,
    }


@dataclass
class SubjectAccessExport:
    person: Person
    created_at: datetime.datetime
    records: dict[str, list[models.Model]]
    events: list[Any]
    access_log: list[AccessLogEntry]

    def all_records(self) -> list[models.Model]:
        return [record for rows in self.records.values() for record in rows]

    def as_data(self) -> dict[str, Any]:
        return {
            "format": "ankommen-subject-access",
            "version": FORMAT_VERSION,
            "created_at": self.created_at,
            "centre": {"id": self.person.centre_id, "name": self.person.centre.name},
            "person_id": str(self.person.pk),
            "records": {label.lower(): [_record(record) for record in rows] for label, rows in self.records.items()},
            "history": [_event(event) for event in self.events],
            "access_log": [
                {
                    "at": entry.at,
                    "user_id": entry.user_id,
                    "role": entry.role,
                    "record_type": entry.record_type,
                    "record_id": entry.record_id,
                    "action": entry.action,
                    "purpose": entry.purpose,
                }
                for entry in self.access_log
            ],
            "not_exported": dict(EXCLUDED),
        }


def subject_access_collect(*, centre: Centre, person: Person) -> SubjectAccessExport:
    """Everything the centre holds about `person`, read inside the centre's scope."""
    records: dict[str, list[models.Model]] = {}
    events: list[Any] = []
    for section in SECTIONS:
        model = apps.get_model(section.model)
        rows = list(model.objects.for_centre(centre).filter(section.rows(person)).order_by("pk"))  # type: ignore[attr-defined]
        records[section.model] = rows
        events.extend(_events(model, centre, [row.pk for row in rows]))
    events.sort(key=lambda event: (event.pgh_created_at, event.pgh_id))
    log_filter = Q(pk__in=[])
    for label, rows in records.items():
        if rows:
            log_filter |= Q(record_type=label.lower(), record_id__in=[str(row.pk) for row in rows])
    access_log = list(AccessLogEntry.objects.filter(log_filter, centre=centre).order_by("at", "id"))
    return SubjectAccessExport(
        person=person, created_at=timezone.now(), records=records, events=events, access_log=access_log
    )


def subject_access_json(export: SubjectAccessExport) -> bytes:
    return json.dumps(export.as_data(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def _display(record: models.Model, model_field: models.Field) -> str:
    if model_field.name.endswith(ENCRYPTED_SUFFIX):
        value = getattr(record, model_field.attname)
        return decrypt_text(value) if value else "\N{EN DASH}"
    value = getattr(record, model_field.attname)
    if value is None or value == "" or value == []:
        return "\N{EN DASH}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return str(value)


def _field_label(model_field: models.Field) -> str:
    return str(model_field.verbose_name)


def _printed_sections(export: SubjectAccessExport) -> list[dict[str, Any]]:
    printed = []
    for label, rows in export.records.items():
        if not rows:
            continue
        model = apps.get_model(label)
        fields = [f for f in model._meta.concrete_fields if f.name != "centre"]  # type: ignore[misc]
        printed.append(
            {
                "title": str(model._meta.verbose_name_plural),
                "records": [
                    [(_field_label(f), _display(record, f)) for f in fields]
                    + [
                        (str(many.verbose_name), ", ".join(str(item) for item in getattr(record, many.name).all()))
                        for many in model._meta.many_to_many
                    ]
                    for record in rows
                ],
            }
        )
    return printed


def subject_access_pdf(export: SubjectAccessExport) -> bytes:
    html = render_to_string(
        "people/subject_access_pdf.html",
        {
            "export": export,
            "person": export.person,
            "sections": _printed_sections(export),
            "history": history_entries(export.events),
            "access_log": export.access_log,
            "excluded": EXCLUDED,
        },
    )
    return render_pdf(html, stylesheet=STYLESHEET)


def subject_access_filename(export: SubjectAccessExport, *, extension: str) -> str:
    # Never the person's name: the file name ends up in download folders and proxy logs.
    return f"auskunft-{export.created_at:%Y-%m-%d}-{str(export.person.pk)[:8]}.{extension}"
