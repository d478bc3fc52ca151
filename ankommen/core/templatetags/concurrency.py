"""`{% create_once_key %}` inside a create form whose view is `@creates_once` (docs/concurrency.md)."""

from __future__ import annotations

import uuid
from typing import Any

from django import template
from django.utils.html import format_html

from ankommen.core.concurrency import KEY_FIELD, valid_key

register = template.Library()


@register.simple_tag(takes_context=True)
def create_once_key(context: dict[str, Any]) -> str:
    """A new key when the form is shown; the posted one when it comes back with errors, so that the corrected
    submit is still the same creation."""
    request = context.get("request")
    posted = valid_key(request.POST.get(KEY_FIELD)) if request is not None and request.method == "POST" else None
    return format_html('<input type="hidden" name="{}" value="{}">', KEY_FIELD, posted or uuid.uuid4().hex)
