from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ankommen.accounts.models import Role
from ankommen.core.access import role_required
from ankommen.core.register.record import record_context, record_pdf

# The record names no person: the centre leads (controllers of their centre's data) and the state's analysts read it.
register_roles_required = role_required(Role.CENTRE_LEAD, Role.STATE_ANALYST)


@register_roles_required
@require_GET
def record(request: HttpRequest) -> HttpResponse:
    return render(request, "core/register/record.html", record_context())


@register_roles_required
@require_GET
def record_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(record_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="verzeichnis-verarbeitungstaetigkeiten.pdf"'
    return response
