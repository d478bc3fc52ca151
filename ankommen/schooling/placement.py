"""Placement runs and their proposals, from the start of a run to the child's first school day.

The run itself (loading the waiting children, calling the engine, writing the proposals) is in placement_jobs.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ankommen.core.context_processors import text_direction
from ankommen.matching import NearerReason, ReasonCode
from ankommen.people.consent import withdrawn
from ankommen.people.models import GuardianRelation, Purpose
from ankommen.regions.models import School
from ankommen.schooling.models import (
    Intake,
    IntakeStatus,
    Placement,
    PlacementRun,
    PlacementRunStatus,
    PlacementStatus,
)

if TYPE_CHECKING:
    from ankommen.accounts.models import User
    from ankommen.regions.models import Centre

ACTIVE_RUN_STATUSES = (PlacementRunStatus.QUEUED, PlacementRunStatus.RUNNING)
# Reasons the Django side adds to the engine's own codes.
NO_KNOWN_POSTCODE = "no_known_postcode"
DECLINED_BY_SCHOOL = ReasonCode.DECLINED_BY_SCHOOL.value  # every acceptable school in reach declined the child


# Starting, releasing and discarding runs ------------------------------------------------------------------------


def placement_run_start(*, centre: Centre, by: User, term: str) -> PlacementRun:
    """Queue a run for the centre; the job starts once this transaction has committed."""
    from ankommen.schooling.placement_jobs import placement_run_job

    with transaction.atomic():
        runs = PlacementRun.objects.for_centre(centre)
        if runs.filter(status__in=ACTIVE_RUN_STATUSES).exists():
            raise ValidationError(_("A placement run of this centre is already queued or running."))
        if runs.filter(status=PlacementRunStatus.REVIEW).exists():
            raise ValidationError(_("Release or discard the run under review before you start a new one."))
        run = PlacementRun(centre=centre, started_by=by, term=term)
        run.full_clean(exclude=["centre", "started_by"], validate_constraints=False)
        try:
            # A savepoint: the constraint also catches the start that raced past the check above.
            with transaction.atomic():
                run.save()
        except IntegrityError:
            raise ValidationError(_("A placement run of this centre is already queued or running.")) from None
        transaction.on_commit(lambda: placement_run_job.defer(run_id=run.pk))
    return run


def _lock_run(centre: Centre, run: PlacementRun, expected: PlacementRunStatus) -> PlacementRun:
    locked: PlacementRun = PlacementRun.objects.for_centre(centre).select_for_update().get(pk=run.pk)
    if locked.status != expected:
        raise ValidationError(_("This run is no longer ready for review."))
    return locked


@transaction.atomic
def placement_run_release(*, centre: Centre, by: User, run: PlacementRun) -> PlacementRun:
    """Send the proposals to the schools; children still waiting for a seat (intake changed meanwhile) stay out."""
    run = _lock_run(centre, run, PlacementRunStatus.REVIEW)
    proposals = Placement.objects.for_centre(centre).filter(run=run, status=PlacementStatus.PROPOSED)
    with pghistory.context(user=by.pk):
        releasable = proposals.filter(school__isnull=False, intake__status=IntakeStatus.ASSESSED)
        intake_ids = list(releasable.values_list("intake_id", flat=True))
        releasable.update(status=PlacementStatus.RELEASED, updated_at=timezone.now())
        proposals.exclude(intake_id__in=intake_ids).update(status=PlacementStatus.DISCARDED, updated_at=timezone.now())
        Intake.objects.for_centre(centre).filter(pk__in=intake_ids).update(
            status=IntakeStatus.PROPOSED, updated_at=timezone.now()
        )
        run.status = PlacementRunStatus.RELEASED
        run.save(update_fields=["status", "updated_at"])
    return run


@transaction.atomic
def placement_run_discard(*, centre: Centre, by: User, run: PlacementRun) -> PlacementRun:
    run = _lock_run(centre, run, PlacementRunStatus.REVIEW)
    with pghistory.context(user=by.pk):
        Placement.objects.for_centre(centre).filter(run=run, status=PlacementStatus.PROPOSED).update(
            status=PlacementStatus.DISCARDED, updated_at=timezone.now()
        )
        run.status = PlacementRunStatus.DISCARDED
        run.save(update_fields=["status", "updated_at"])
    return run


# The school's decision and the first school day -----------------------------------------------------------------


def _lock_released(school: School, placement: Placement) -> Placement:
    locked: Placement = (
        Placement.objects.for_centre(school.municipality.centre)
        .select_for_update()
        .select_related("intake")
        .get(pk=placement.pk, school=school)
    )
    if locked.status != PlacementStatus.RELEASED:
        raise ValidationError(_("This placement has already been decided."))
    return locked


@transaction.atomic
def placement_confirm(*, school: School, by: User, placement: Placement, start_date: datetime.date) -> Placement:
    placement = _lock_released(school, placement)
    if start_date < timezone.localdate():
        raise ValidationError({"start_date": _("The start date cannot lie in the past.")})
    placement.status = PlacementStatus.CONFIRMED
    placement.start_date = start_date
    placement.decided_by = by
    placement.decided_at = timezone.now()
    intake = placement.intake
    intake.status = IntakeStatus.CONFIRMED
    with pghistory.context(user=by.pk):
        placement.full_clean()
        placement.save()
        intake.save(update_fields=["status", "updated_at"])
    return placement


@transaction.atomic
def placement_decline(*, school: School, by: User, placement: Placement, reason: str) -> Placement:
    """The child waits again; the next run leaves out this school for this child."""
    placement = _lock_released(school, placement)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason for declining.")})
    placement.status = PlacementStatus.DECLINED
    placement.decline_reason = reason
    placement.decided_by = by
    placement.decided_at = timezone.now()
    intake = placement.intake
    intake.status = IntakeStatus.ASSESSED
    with pghistory.context(user=by.pk):
        placement.full_clean()
        placement.save()
        intake.save(update_fields=["status", "updated_at"])
    return placement


@transaction.atomic
def intake_first_school_day_record(
    *, centre: Centre, by: User, intake: Intake, first_school_day: datetime.date
) -> Intake:
    """The child attends school: the case closes."""
    intake = Intake.objects.for_centre(centre).select_for_update().get(pk=intake.pk)
    if intake.status != IntakeStatus.CONFIRMED:
        raise ValidationError(_("Only a child whose school has confirmed the place can start school."))
    today = timezone.localdate()
    if first_school_day > today:
        raise ValidationError({"first_school_day": _("The first school day cannot lie in the future.")})
    if first_school_day < intake.registered_on:
        raise ValidationError({"first_school_day": _("The first school day cannot be before the registration.")})
    intake.status = IntakeStatus.STARTED
    intake.first_school_day = first_school_day
    intake.closed_on = today
    with pghistory.context(user=by.pk):
        intake.full_clean()
        intake.save()
    return intake


# Reads ----------------------------------------------------------------------------------------------------------


def placement_runs(*, centre: Centre) -> QuerySet[PlacementRun]:
    return PlacementRun.objects.for_centre(centre).select_related("started_by").order_by("-created_at", "-pk")


def placement_run_get(*, centre: Centre, run_id: Any) -> PlacementRun:
    try:
        run: PlacementRun = placement_runs(centre=centre).get(pk=run_id)
    except (PlacementRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return run


def placements_of_run(*, centre: Centre, run: PlacementRun) -> QuerySet[Placement]:
    return (
        Placement.objects.for_centre(centre)
        .filter(run=run)
        .select_related("intake", "intake__child", "school")
        .order_by("school__name", "grade", "intake__child__family_name", "pk")
    )


def confirmed_placements(*, centre: Centre) -> QuerySet[Placement]:
    """Confirmed places whose child has not started yet: the letter goes out, the first day is recorded."""
    return (
        Placement.objects.for_centre(centre)
        .filter(status=PlacementStatus.CONFIRMED, intake__status=IntakeStatus.CONFIRMED)
        .select_related("intake", "intake__child", "school")
        .order_by("start_date", "pk")
    )


def confirmed_placement_get(*, centre: Centre, placement_id: Any) -> Placement:
    try:
        placement: Placement = (
            Placement.objects.for_centre(centre)
            .filter(status=PlacementStatus.CONFIRMED)
            .select_related("intake", "intake__child", "intake__child__family", "school")
            .get(pk=placement_id)
        )
    except (Placement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return placement


def intake_get(*, centre: Centre, intake_id: Any) -> Intake:
    try:
        intake: Intake = Intake.objects.for_centre(centre).select_related("child").get(pk=intake_id)
    except (Intake.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return intake


def school_placements(*, school: School) -> QuerySet[Placement]:
    """Released proposals to one school; the school's centre made them, so its scope is the school's centre."""
    return (
        Placement.objects.for_centre(school.municipality.centre)
        .filter(school=school, status=PlacementStatus.RELEASED)
        # A withdrawn consent hides the child from the school at once, also a proposal already released.
        .exclude(withdrawn(Purpose.SCHOOL_PLACEMENT, person="intake__child"))
        .select_related("intake", "intake__child", "intake__assessment")
        .order_by("grade", "created_at", "pk")
    )


def school_placement_get(*, school: School, placement_id: Any) -> Placement:
    try:
        placement: Placement = school_placements(school=school).get(pk=placement_id)
    except (Placement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return placement


# Explanations in words ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunSummary:
    children: int
    placed: int
    unplaced: int
    families_split: int
    total_km: float
    p95_km: float


def run_summary(run: PlacementRun) -> RunSummary | None:
    summary = run.summary or {}
    if "placed" not in summary:
        return None
    return RunSummary(
        children=int(summary.get("children", 0)),
        placed=int(summary["placed"]),
        unplaced=int(summary.get("children", 0)) - int(summary["placed"]),
        families_split=int(summary.get("families_split", 0)),
        total_km=float(summary.get("total_km", 0.0)),
        p95_km=float(summary.get("p95_km", 0.0)),
    )


def _nearer_reason_text(reason: str) -> str:
    texts = {
        NearerReason.FULL: _("a nearer school is full"),
        NearerReason.OTHER_SCHOOL_FORM: _("other school form"),
        NearerReason.NO_SEATS_FOR_GRADE: _("no seats for this grade"),
        NearerReason.BEYOND_MAX_DISTANCE: _("beyond the maximum distance"),
        NearerReason.KEEPS_SIBLINGS_TOGETHER: _("keeps siblings together"),
        NearerReason.DECLINED_BEFORE: _("declined this child before"),
    }
    return str(texts.get(reason, reason))  # type: ignore[call-overload]


def explanation_lines(placement: Placement, school_names: dict[str, str]) -> list[str]:
    """The engine's codes as sentences in the active language."""
    explanation = placement.explanation or {}
    reason = explanation.get("reason", "")
    max_km = explanation.get("max_km")
    lines: list[str] = []
    if reason == ReasonCode.NEAREST:
        lines.append(_("nearest school"))
    elif reason == ReasonCode.CONFIRMED:
        lines.append(_("confirmed earlier"))
    elif reason == ReasonCode.NEARER_UNAVAILABLE:
        for nearer in explanation.get("nearer_schools", []):
            name = school_names.get(str(nearer.get("school_id")), _("another school"))
            lines.append(
                _("%(school)s (%(km)s km): %(reason)s")
                % {
                    "school": name,
                    "km": f"{float(nearer.get('distance_km', 0)):.1f}",
                    "reason": _nearer_reason_text(str(nearer.get("reason"))),
                }
            )
    elif reason == ReasonCode.ALL_WITHIN_MAX_KM_FULL:
        lines.append(_("all acceptable schools within %(km)s km are full") % {"km": f"{float(max_km or 0):g}"})
    elif reason == ReasonCode.NO_ACCEPTABLE_SCHOOL_WITHIN_MAX_KM:
        lines.append(
            _("no acceptable school with seats for this grade within %(km)s km") % {"km": f"{float(max_km or 0):g}"}
        )
    elif reason == NO_KNOWN_POSTCODE:
        lines.append(_("no known postcode: the distance to schools cannot be measured"))
    elif reason == DECLINED_BY_SCHOOL:
        lines.append(
            _("every acceptable school with seats within %(km)s km has declined this child before")
            % {"km": f"{float(max_km or 0):g}"}
        )
    if explanation.get("declined_schools") and reason != DECLINED_BY_SCHOOL:
        lines.append(_("schools that declined before were left out"))
    return lines


def school_names_of(placements: list[Placement]) -> dict[str, str]:
    ids = {
        str(nearer.get("school_id"))
        for placement in placements
        for nearer in (placement.explanation or {}).get("nearer_schools", [])
    }
    numeric = [int(school_id) for school_id in ids if school_id.isdigit()]
    return {str(pk): name for pk, name in School.objects.filter(pk__in=numeric).values_list("pk", "name")}


# The family's letter ----------------------------------------------------------------------------------------------


def placement_letter_html(*, centre: Centre, placement: Placement) -> str:
    from ankommen.schooling.counselling import family_language
    from ankommen.schooling.pdf import LetterBlock, letter_languages

    if placement.status != PlacementStatus.CONFIRMED or placement.school is None:
        raise ValidationError(_("A letter is written only for a confirmed place."))
    intake = placement.intake
    child = intake.child
    guardians = [
        relation.guardian
        for relation in GuardianRelation.objects.for_centre(centre).filter(child=child).select_related("guardian")
    ]
    context = {
        "centre": centre,
        "child": child,
        "school": placement.school,
        "start_date": placement.start_date,
        "grade": placement.grade,
        "today": timezone.localdate(),
    }
    blocks = []
    for language in letter_languages(family_language(centre=centre, intake=intake)):
        with translation.override(language):
            html = render_to_string("schooling/letters/placement_letter_body.html", context)
        blocks.append(LetterBlock(language=language, direction=text_direction(language), html=mark_safe(html)))  # noqa: S308 — rendered and escaped by the template engine
    return render_to_string(
        "schooling/letters/letter.html",
        {"blocks": blocks, "centre": centre, "family": child.family, "guardians": guardians},
    )


def placement_letter_pdf(*, centre: Centre, placement: Placement) -> bytes:
    from ankommen.schooling.pdf import render_pdf

    return render_pdf(placement_letter_html(centre=centre, placement=placement))
