from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import Role


@dataclass(frozen=True)
class NavigationItem:
    label: str | Promise
    url: str
    is_current: bool


def text_direction(language: str | None) -> str:
    code = (language or settings.LANGUAGE_CODE).split("-")[0]
    return "rtl" if code in settings.RTL_LANGUAGES else "ltr"


NavigationEntry = tuple[str | Promise, str]


def navigation_entries(membership: Any) -> list[NavigationEntry]:
    public: list[NavigationEntry] = [
        (_("Centre directory"), "regions:centre_list"),
        (_("School directory"), "regions:school_list"),
    ]
    if membership is None:
        return public
    start: NavigationEntry = (_("Start"), "core:home")
    if membership.is_centre_role:
        entries: list[NavigationEntry] = [start, (_("Persons"), "people:person_list")]
        if membership.role == Role.CENTRE_LEAD:
            entries.append((_("Audit log"), "audit:change_log"))
        return entries
    if membership.is_state_role:
        return [start, (_("Centres"), "regions:centre_list")]
    return [start, *public]


def navigation(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    items = []
    for label, name in navigation_entries(membership):
        url = reverse(name)
        is_current = request.path == url if url == "/" else request.path.startswith(url)
        items.append(NavigationItem(label=label, url=url, is_current=is_current))
    return {
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "current_centre": getattr(request, "centre", None),
        "text_direction": text_direction(get_language()),
        "navigation_items": items,
    }
