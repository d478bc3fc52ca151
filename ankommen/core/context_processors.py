from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def navigation(request: HttpRequest) -> dict[str, Any]:
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "membership": getattr(request, "membership", None),
        "memberships": getattr(request, "memberships", []),
        "current_centre": getattr(request, "centre", None),
        "text_direction": "rtl" if language.split("-")[0] in settings.RTL_LANGUAGES else "ltr",
    }
