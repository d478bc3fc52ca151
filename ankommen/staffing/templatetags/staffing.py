from __future__ import annotations

from decimal import Decimal

from django import template

from ankommen.staffing.compliance import format_fte

register = template.Library()


@register.filter
def fte(value: Decimal | None) -> str:
    """FTE as the rule states them: "5.5", "1.0", "0.75" (with the decimal separator of the language)."""
    return "–" if value is None else format_fte(Decimal(value))
