"""Template tags of the page shell."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

MEMBERSHIP_SWITCH_TEMPLATE = "accounts/partials/membership_switch.html"


@register.simple_tag(takes_context=True)
def membership_switch(context: template.Context) -> SafeString:
    """The accounts app's switch between memberships, shown when the user has several."""
    if len(context.get("memberships") or []) < 2:
        return mark_safe("")
    partial = get_template(MEMBERSHIP_SWITCH_TEMPLATE)
    flat: dict[Any, Any] = context.flatten()
    return mark_safe(partial.render(flat, context.get("request")))  # noqa: S308 — rendered by the template engine
