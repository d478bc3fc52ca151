"""Writes of the schooling module. Each runs in one transaction and leaves its history row."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ankommen.schooling.models import Intake

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.people.models import Person
    from ankommen.regions.models import Centre


@transaction.atomic
def intake_create(*, centre: Centre, by: User, child: Person, registered_on: datetime.date, **fields: Any) -> Intake:
    """Open a child's school intake. A child has at most one open intake."""
    if child.centre_id != centre.pk:
        raise ValidationError({"child": _("This child belongs to another centre.")})
    intake = Intake(centre=centre, child=child, registered_on=registered_on, **fields)
    with pghistory.context(user=by.pk):
        intake.full_clean()
        intake.save()
    return intake
