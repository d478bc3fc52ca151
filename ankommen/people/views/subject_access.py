"""Subject access: the person's complete data as a JSON or PDF download, for the centre lead."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ankommen.accounts.models import Role
from ankommen.core.access import log_access, role_required
from ankommen.core.exports import file_response
from ankommen.core.models import AccessAction, AccessPurpose
from ankommen.people import selectors
from ankommen.people.subject_access import (
    subject_access_collect,
    subject_access_filename,
    subject_access_json,
    subject_access_pdf,
)

EXPORT_FORMATS = {"json": "application/json", "pdf": "application/pdf"}


@role_required(Role.CENTRE_LEAD)
@require_POST
def subject_access_export(request: HttpRequest, person_id: str) -> HttpResponse:
    # A POST: the download is a disclosure and is logged; a link that a browser prefetches must not cause one.
    centre = request.centre  # type: ignore[attr-defined]
    person = selectors.person_get(centre=centre, person_id=person_id)
    export_format = request.POST.get("format", "")
    if export_format not in EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Choose JSON or PDF."))
    export = subject_access_collect(centre=centre, person=person)
    content = subject_access_json(export) if export_format == "json" else subject_access_pdf(export)
    with transaction.atomic():
        log_access(request, export.all_records(), action=AccessAction.EXPORT, purpose=AccessPurpose.SUBJECT_ACCESS)
    return file_response(
        content,
        content_type=EXPORT_FORMATS[export_format],
        filename=subject_access_filename(export, extension=export_format),
    )
