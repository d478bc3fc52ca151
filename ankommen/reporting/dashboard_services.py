"""Writes of the dashboards: the manual figures of a month, a centre's targets, the state's thresholds.

Each refuses impossible values with the rule that was broken, writes its history row (pghistory) in the same
transaction, and names who wrote it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.reporting.indicators import INDICATOR_BY_KEY, MANUAL_KEYS
from ankommen.reporting.models import MONTHLY_COUNT_LIMIT, IndicatorTarget, ManualFigure, Measure, StatusThreshold

# The first centres opened in 2012 with the state's participation and integration law.
FIRST_MONTH = datetime.date(2012, 1, 1)
# A hall of several thousand is an exception; more per event is a typo.
MAX_PARTICIPANTS_PER_EVENT = 5_000


def manual_figure_errors(
    *, centre: Any, month: datetime.date | None, values: dict[str, int | None]
) -> dict[str, list[str]]:
    """Every broken rule of a month's manual figures, by field; empty when the figures are possible."""
    from ankommen.regions.models import School

    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if month is None:
        refuse("month", _("Enter the month as year and month, e.g. 2026-03."))
    else:
        if month.day != 1:
            refuse("month", _("A month starts on its first day."))
        if month > timezone.localdate().replace(day=1):
            refuse("month", _("The month lies in the future: figures can be entered once the month has begun."))
        if month < FIRST_MONTH:
            refuse("month", _("The month lies before the first integration centres opened (2012)."))
    labels = {key: INDICATOR_BY_KEY[key].label for key in MANUAL_KEYS}
    for key in MANUAL_KEYS:
        value = values.get(key)
        if value is None:
            refuse(key, _("Enter a whole number (0 if there were none)."))
        elif value < 0:
            refuse(key, _("%(figure)s must be 0 or more.") % {"figure": labels[key]})
        elif value > MONTHLY_COUNT_LIMIT:
            refuse(
                key,
                _("%(figure)s cannot exceed %(limit)s in a month.")
                % {"figure": labels[key], "limit": MONTHLY_COUNT_LIMIT},
            )
    if errors:
        return errors
    events, participants = values["events_held"] or 0, values["event_participants"] or 0
    if participants and not events:
        refuse("event_participants", _("Participants at events need at least one event held in the month."))
    elif participants > events * MAX_PARTICIPANTS_PER_EVENT:
        refuse(
            "event_participants",
            _(
                "Participants at events cannot exceed %(per_event)s per event held: "
                "at most %(limit)s for %(events)s events."
            )
            % {"per_event": MAX_PARTICIPANTS_PER_EVENT, "limit": events * MAX_PARTICIPANTS_PER_EVENT, "events": events},
        )
    schools = School.objects.filter(municipality__centre=centre).count()
    if schools and (values["schools_advised"] or 0) > schools:
        refuse(
            "schools_advised",
            _("Schools advised cannot exceed the %(count)s schools in the centre's area.") % {"count": schools},
        )
    return errors


@transaction.atomic
def manual_figure_save(*, centre: Any, by: Any, month: datetime.date, **values: int) -> ManualFigure:
    """Record or correct a month's figures; the earlier values stay in the history."""
    if unknown := set(values) - set(MANUAL_KEYS):
        raise TypeError(f"Unknown manual figures: {sorted(unknown)}")
    if errors := manual_figure_errors(centre=centre, month=month, values=dict(values)):
        raise ValidationError(errors)
    with pghistory.context(user=by.pk):
        figure = ManualFigure.objects.for_centre(centre).select_for_update().filter(month=month).first()
        if figure is None:
            figure = ManualFigure(centre=centre, month=month, recorded_by=by)
        for key, value in values.items():
            setattr(figure, key, value)
        figure.recorded_by = by
        figure.full_clean()
        figure.save()
    return figure


def manual_figure_history(*, centre: Any) -> list[Any]:
    """The centre's entries and corrections, newest first."""
    event_model = ManualFigure.pgh_event_model  # type: ignore[attr-defined]
    return list(event_model.objects.filter(centre=centre).order_by("-pgh_created_at", "-pgh_id")[:100])


@transaction.atomic
def target_set(*, centre: Any, by: Any, indicator: str, value: Decimal | None) -> IndicatorTarget | None:
    """Set, change or (with None) remove the centre's monthly target of one indicator."""
    if indicator not in INDICATOR_BY_KEY:
        raise ValidationError({"indicator": [_("Unknown indicator.")]})
    with pghistory.context(user=by.pk):
        current = IndicatorTarget.objects.for_centre(centre).select_for_update().filter(indicator=indicator).first()
        if value is None:
            if current is not None:
                current.delete()
            return None
        if value < 0:
            raise ValidationError({"value": [_("A target must be 0 or more.")]})
        target = current or IndicatorTarget(centre=centre, indicator=indicator, set_by=by)
        target.value = value
        target.set_by = by
        target.full_clean()
        target.save()
        return target


@transaction.atomic
def threshold_set(
    *,
    by: Any,
    indicator: str,
    measure: str,
    on_track_from: Decimal | None,
    attention_below: Decimal | None,
) -> StatusThreshold | None:
    """Set, change or (both bounds empty) remove the state's traffic light of one indicator."""
    definition = INDICATOR_BY_KEY.get(indicator)
    if definition is None:
        raise ValidationError({"indicator": [_("Unknown indicator.")]})
    if measure not in Measure.values:
        raise ValidationError({"measure": [_("Unknown measure.")]})
    with pghistory.context(user=by.pk):
        current = StatusThreshold.objects.select_for_update().filter(indicator=indicator).first()
        if on_track_from is None and attention_below is None:
            if current is not None:
                current.delete()
            return None
        errors: dict[str, list[str]] = {}
        if on_track_from is None:
            errors["on_track_from"] = [_("Enter both bounds, or neither to remove the traffic light.")]
        if attention_below is None:
            errors["attention_below"] = [_("Enter both bounds, or neither to remove the traffic light.")]
        if errors:
            raise ValidationError(errors)
        if on_track_from is None or attention_below is None or on_track_from < 0 or attention_below < 0:
            raise ValidationError({"on_track_from": [_("Thresholds must be 0 or more.")]})
        if measure == Measure.PER_10000 and not definition.per_inhabitants:
            raise ValidationError({"measure": [_("This indicator is not counted per 10,000 inhabitants.")]})
        if definition.higher_is_better is False and on_track_from > attention_below:
            raise ValidationError(
                {
                    "attention_below": [
                        _("Lower is better here: “needs attention beyond” must be at least “on track from”.")
                    ]
                }
            )
        if definition.higher_is_better is not False and attention_below > on_track_from:
            raise ValidationError(
                {
                    "attention_below": [
                        _("Higher is better here: “needs attention beyond” must be at most “on track from”.")
                    ]
                }
            )
        threshold = current or StatusThreshold(indicator=indicator, set_by=by)
        threshold.measure = measure
        threshold.on_track_from = on_track_from
        threshold.attention_below = attention_below
        threshold.set_by = by
        threshold.full_clean()
        threshold.save()
        return threshold
