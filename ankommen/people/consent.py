"""Whether a person's data may still be used for a purpose: a withdrawal takes effect at once.

A person's data is withheld from a purpose when its consent or legal basis for that purpose has been withdrawn
and no valid one has been recorded since. Where a module requires a valid basis before it starts (a candidate
profile, a support request, a referral), it checks that itself; this module is for what happens *after* the
start: what third parties are shown (a school, an employer, a volunteer) and what queued jobs use. They ask
at the moment they show or run, never at the moment a job was queued.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

from ankommen.people.models import Consent, Purpose

if TYPE_CHECKING:
    from ankommen.regions.models import Centre


def _consents(purpose: Purpose, **correlation: Any) -> Any:
    # A correlated subquery: it never runs on its own, and the outer query is scoped to the centre.
    return Consent.objects.filter(purpose=purpose, **correlation)


def withdrawn(purpose: Purpose, *, person: str) -> Q:
    """Rows whose person (the path `person` from the row) has withdrawn the basis for `purpose`."""
    correlation = {"person": OuterRef(person)}
    return Q(Exists(_consents(purpose, withdrawn_on__isnull=False, **correlation))) & ~Q(
        Exists(_consents(purpose, withdrawn_on__isnull=True, **correlation))
    )


def withdrawn_for_family(purpose: Purpose, *, family: str) -> Q:
    """Rows about a whole family: withheld when a member withdrew and no member holds a valid basis."""
    correlation = {"person__family": OuterRef(family)}
    return Q(Exists(_consents(purpose, withdrawn_on__isnull=False, **correlation))) & ~Q(
        Exists(_consents(purpose, withdrawn_on__isnull=True, **correlation))
    )


def withdrawn_person_ids(*, centre: Centre, purpose: Purpose, person_ids: Iterable[Any]) -> set[Any]:
    """Those of `person_ids` whose data is withheld from `purpose` now."""
    ids = set(person_ids)
    if not ids:
        return set()
    consents = Consent.objects.for_centre(centre).filter(person_id__in=ids, purpose=purpose)
    withdrawn_ids = set(consents.filter(withdrawn_on__isnull=False).values_list("person_id", flat=True))
    valid_ids = set(consents.filter(withdrawn_on__isnull=True).values_list("person_id", flat=True))
    return withdrawn_ids - valid_ids
