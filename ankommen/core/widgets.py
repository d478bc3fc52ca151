"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


class _PlainOptionsMixin:
    """Renders the options in Python instead of one Django template per option.

    The nationality and language lists have hundreds of options; with Django's option templates they cost
    about two thirds of the person search page's server time (measured by benchmarks/people_search.py).
    """

    allow_multiple_selected: bool
    attrs: dict[str, Any]
    choices: Any

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        final_attrs["name"] = name
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        selected = {str(item) for item in self.format_value(value)}  # type: ignore[attr-defined]
        options = "".join(
            f'<option value="{conditional_escape(option_value)}"'
            f"{' selected' if str(option_value) in selected else ''}>{conditional_escape(label)}</option>"
            for option_value, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")  # noqa: S308 — every part escaped above


class PlainSelect(_PlainOptionsMixin, forms.Select):
    pass


class PlainSelectMultiple(_PlainOptionsMixin, forms.SelectMultiple):
    pass
