from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ankommen.core.modules import home_panels
from ankommen.reporting.selectors import centre_figures, state_centre_table

ATTRIBUTION_FILE = settings.BASE_DIR / "data" / "reference" / "ATTRIBUTION.md"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    centre = getattr(request, "centre", None)
    if membership is not None and membership.is_centre_role and centre is not None:
        context = {"figures": centre_figures(centre=centre), "panels": home_panels(request, "centre_home_panel")}
        return render(request, "core/home_centre.html", context)
    if membership is not None and membership.is_state_role:
        context = {"table": state_centre_table(), "panels": home_panels(request, "state_home_panel")}
        return render(request, "core/home_state.html", context)
    return render(request, "core/home_public.html")


@require_GET
def sources(request: HttpRequest) -> HttpResponse:
    try:
        attribution = ATTRIBUTION_FILE.read_text(encoding="utf-8")
    except FileNotFoundError:
        attribution = None
    return render(request, "core/sources.html", {"attribution": attribution})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "unavailable"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'")
            (waiting,) = cursor.fetchone()
        checks["queue"] = "ok"
        checks["jobs_waiting"] = str(waiting)
    except Exception:
        checks["queue"] = "unavailable"
    healthy = checks["database"] == "ok" and checks["queue"] == "ok"
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503)
