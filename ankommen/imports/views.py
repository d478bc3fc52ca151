"""Pages of imports: upload, the preview with errors per row, the progress while a job works, the commit.

An import is seen only by the user who uploaded it, in the centre they uploaded it in: anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ankommen.accounts.models import Role
from ankommen.core.access import role_required
from ankommen.core.concurrency import creates_once
from ankommen.core.exports import Table as ExportTable
from ankommen.core.exports import csv_response
from ankommen.imports import services
from ankommen.imports.forms import ImportUploadForm
from ankommen.imports.models import ImportKind, ImportRun
from ankommen.imports.services import UPLOAD_HOURS

# Writing many of the centre's records at once: the lead and case workers, not the seconded teachers.
importers_required = role_required(Role.CENTRE_LEAD, Role.CENTRE_STAFF)
RECENT_IMPORTS = 20


def _run(request: HttpRequest, run_id: Any) -> ImportRun:
    try:
        return services.import_get(centre=request.centre, user=request.user, run_id=run_id)  # type: ignore[attr-defined, arg-type]
    except ImportRun.DoesNotExist:
        raise Http404 from None


@importers_required
@require_http_methods(["GET", "POST"])
@creates_once
def import_list(request: HttpRequest) -> HttpResponse:
    centre = request.centre  # type: ignore[attr-defined]
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.import_upload(
                centre=centre,
                by=request.user,  # type: ignore[arg-type]
                kind=form.cleaned_data["kind"],
                content=form.cleaned_data["file"].read(services.MAX_UPLOAD_BYTES + 1),
                language=get_language() or "de",
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("imports:import_detail", run_id=run.pk)
    runs = services.imports_of(centre=centre, user=request.user)[:RECENT_IMPORTS]  # type: ignore[arg-type]
    return render(request, "imports/import_list.html", {"form": form, "runs": runs, "hours": UPLOAD_HOURS})


def _context(run: ImportRun) -> dict[str, Any]:
    return {"run": run, "errors": services.row_errors(run), "hours": UPLOAD_HOURS}


@importers_required
@require_GET
def import_detail(request: HttpRequest, run_id: Any) -> HttpResponse:
    return render(request, "imports/import_detail.html", _context(_run(request, run_id)))


@importers_required
@require_GET
def import_progress(request: HttpRequest, run_id: Any) -> HttpResponse:
    run = _run(request, run_id)
    response = render(request, "imports/import_detail.html#progress", _context(run))
    if not run.is_active and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"  # finished: the whole page shows the preview or the outcome
    return response


@importers_required
@require_POST
def import_commit(request: HttpRequest, run_id: Any) -> HttpResponse:
    run = _run(request, run_id)
    try:
        services.import_commit_request(run=run, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("imports:import_detail", run_id=run.pk)


@importers_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """An empty CSV with the column titles in the page's language: the form a file should have."""
    if kind not in ImportKind.values:
        raise Http404
    columns = services.import_columns(kind=ImportKind(kind), centre=request.centre, by=request.user)  # type: ignore[attr-defined, arg-type]
    table = ExportTable(title=str(ImportKind(kind).label), columns=[str(column.label) for column in columns], rows=[])
    return csv_response(table, filename=f"vorlage-{kind}")
