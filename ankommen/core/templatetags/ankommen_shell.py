"""Template tags of the page shell that tolerate parts of the platform that are not there yet."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from ankommen.core.context_processors import optional_reverse

register = template.Library()

MEMBERSHIP_SWITCH_TEMPLATE = "accounts/partials/membership_switch.html"


@register.simple_tag
def optional_url(*names: str) -> str:
    """`{% optional_url "accounts:logout" as logout_url %}`: empty when no such route exists yet."""
    return optional_reverse(*names) or ""


@register.simple_tag(takes_context=True)
def membership_switch(context: template.Context) -> SafeString:
    """The accounts app's switch between memberships, when the user has several and the partial exists."""
    if len(context.get("memberships") or []) < 2:
        return mark_safe("")
    try:
        partial = get_template(MEMBERSHIP_SWITCH_TEMPLATE)
    except TemplateDoesNotExist:
        return mark_safe("")
    flat: dict[Any, Any] = context.flatten()
    return mark_safe(partial.render(flat, context.get("request")))  # noqa: S308 — rendered by the template engine
