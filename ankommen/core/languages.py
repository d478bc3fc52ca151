"""Which languages a page speaks: staff pages German and English, family and volunteer pages every family language.

A visitor who chose Arabic on a family page keeps that choice (the language cookie), but a staff page must not
come out half in Arabic: `StaffLanguageMiddleware` answers every view not marked with `@family_page` in the
default language when the chosen one is not a staff language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

View = TypeVar("View", bound=Callable[..., Any])


def family_page(view: View) -> View:
    """Marks a view whose page is translated into every family language (settings.FAMILY_LANGUAGES)."""
    view.family_page = True  # type: ignore[attr-defined]
    return view


def is_family_page(view: Callable[..., Any]) -> bool:
    return bool(getattr(view, "family_page", False))


class StaffLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        if is_family_page(view) or translation.get_language() in settings.STAFF_LANGUAGES:
            return
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE  # type: ignore[attr-defined]
