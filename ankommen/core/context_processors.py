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
from ankommen.core.modules import module_hooks


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
    entries = _core_navigation_entries(membership)
    for module_entries in module_hooks("navigation", "navigation_entries"):
        entries += module_entries(membership)
    return entries


def _core_navigation_entries(membership: Any) -> list[NavigationEntry]:
    public: list[NavigationEntry] = [
        (_("Centre directory"), "regions:centre_list"),
        (_("School directory"), "regions:school_list"),
        (_("Register a child for school"), "schooling:preregistration_form"),
    ]
    if membership is None:
        return public
    start: NavigationEntry = (_("Start"), "core:home")
    if membership.is_centre_role:
        entries: list[NavigationEntry] = [
            start,
            (_("Persons"), "people:person_list"),
            (_("School intakes"), "schooling:intake_list"),
            (_("Pre-registrations"), "schooling:preregistration_list"),
            (_("Counselling"), "schooling:slot_list"),
            (_("Placement"), "schooling:placement_run_list"),
            (_("Seat shortage"), "schooling:shortage"),
            (_("Waiting time"), "schooling:waiting"),
        ]
        if membership.role == Role.CENTRE_LEAD:
            entries.append((_("Audit log"), "audit:change_log"))
        return entries
    if membership.is_state_role:
        return [start, (_("Centres"), "regions:centre_list")]
    if membership.role == Role.SCHOOL_CONTACT:
        return [
            start,
            (_("Seats for newcomers"), "schooling:seat_list"),
            (_("Proposals"), "schooling:school_proposal_list"),
        ]
    return [start, *public]


@dataclass(frozen=True)
class LanguageOption:
    code: str
    name: str


def language_options(codes: list[str]) -> list[LanguageOption]:
    names = dict(settings.LANGUAGES)
    return [LanguageOption(code=code, name=str(names.get(code, code))) for code in codes]


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
        # Staff pages are translated into these only; a family page sets `family_page` and offers every family language.
        "staff_language_options": language_options(settings.STAFF_LANGUAGES),
        "family_language_options": language_options(settings.FAMILY_LANGUAGES),
    }
