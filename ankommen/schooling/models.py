"""Newly arrived children into school: pre-registration, intake, counselling, seats, placement."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import TimeStampedModel
from ankommen.core.scoping import CentreOwnedModel

GRADE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(13)]
# A term is a school year and its half: "2026/27-1" is the first half of the school year 2026/27.
TERM_VALIDATOR = RegexValidator(r"^\d{4}/\d{2}-[12]$", _("Enter a term like 2026/27-1."))


class Stage(models.TextChoices):
    PRIMARY = "primary", _("primary (grades 1–4)")
    LOWER_SECONDARY = "lower_secondary", _("lower secondary (grades 5–10)")
    UPPER_SECONDARY = "upper_secondary", _("upper secondary (grades 11–13)")


class SeatKind(models.TextChoices):
    INITIAL_SUPPORT = "initial_support", _("initial German support group")
    REGULAR_CLASS = "regular_class", _("regular class")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class SeatOffer(CentreOwnedModel, TimeStampedModel):
    """Seats a school keeps for newcomers in one grade and term. The centre is the school's centre."""

    school = models.ForeignKey(
        "regions.School", on_delete=models.PROTECT, related_name="seat_offers", verbose_name=_("school")
    )
    term = models.CharField(_("term"), max_length=9, validators=[TERM_VALIDATOR])
    grade = models.PositiveSmallIntegerField(_("grade"), validators=GRADE_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=16, choices=SeatKind.choices)
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MaxValueValidator(500)])

    class Meta:
        verbose_name = _("seat offer")
        verbose_name_plural = _("seat offers")
        constraints = [
            models.UniqueConstraint(fields=["school", "term", "grade", "kind"], name="seat_offer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.term} {self.grade}"


class DecidedModel(models.Model):
    """Who decided about the record (staff accepting a pre-registration, a school confirming a placement), and when."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        abstract = True


class PreRegistrationStatus(models.TextChoices):
    NEW = "new", _("new")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class PreRegistration(CentreOwnedModel, TimeStampedModel, DecidedModel):
    """What a family submitted on the public page, kept apart until staff have checked it for duplicates."""

    status = models.CharField(
        _("status"), max_length=16, choices=PreRegistrationStatus.choices, default=PreRegistrationStatus.NEW
    )
    language = models.CharField(_("language of the family"), max_length=8)
    # The submitted form as structured data (guardians, children, address, schooling); personal data.
    payload = models.JSONField(_("submitted data"))
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("pre-registration")
        verbose_name_plural = _("pre-registrations")

    def __str__(self) -> str:
        return f"{self.pk} {self.status}"


class IntakeStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    INVITED = "invited", _("invited to counselling")
    ASSESSED = "assessed", _("assessed, waiting for a seat")
    PROPOSED = "proposed", _("school proposed")
    CONFIRMED = "confirmed", _("school confirmed")
    STARTED = "started", _("attends school")
    WITHDRAWN = "withdrawn", _("withdrawn")


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("passport or ID card")
    RESIDENCE_DOCUMENT = "residence_document", _("residence document")
    REGISTRATION_CERTIFICATE = "registration_certificate", _("certificate of registration (Meldebescheinigung)")
    SCHOOL_REPORT = "school_report", _("school report from the country of origin")
    VACCINATION_RECORD = "vaccination_record", _("measles vaccination record")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Intake(CentreOwnedModel, TimeStampedModel):
    """One child's case from registration to the first school day."""

    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="intakes", verbose_name=_("child")
    )
    status = models.CharField(_("status"), max_length=16, choices=IntakeStatus.choices, default=IntakeStatus.REGISTERED)
    registered_on = models.DateField(_("registered on"))
    years_of_schooling = models.PositiveSmallIntegerField(
        _("years of schooling"), null=True, blank=True, validators=[MaxValueValidator(15)]
    )
    last_grade = models.PositiveSmallIntegerField(
        _("last grade attended"), null=True, blank=True, validators=GRADE_VALIDATORS
    )
    # The area the child lives in, derived from the postcode when the intake opens: seats are counted per area.
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    schooling_country = models.CharField(_("country of prior schooling"), max_length=2, blank=True)
    literate_in_latin_script = models.BooleanField(_("reads and writes Latin script"), null=True, blank=True)
    documents_seen = ArrayField(
        models.CharField(max_length=32, choices=DocumentKind.choices),
        default=list,
        blank=True,
        verbose_name=_("documents seen"),
    )
    # Overrides the default maximum distance of the grade (10 km up to grade 4, 25 km from grade 5).
    max_distance_km = models.DecimalField(
        _("maximum distance (km)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    first_school_day = models.DateField(_("first school day"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The family's form this intake was opened from, if it came through the public pre-registration.
    preregistration = models.ForeignKey(
        PreRegistration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intakes",
        verbose_name=_("pre-registration"),
    )

    class Meta:
        verbose_name = _("school intake")
        verbose_name_plural = _("school intakes")
        indexes = [models.Index(fields=["centre", "status"], name="intake_centre_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(closed_on__isnull=True), name="one_open_intake_per_child"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.registered_on})"


class CounsellingSlot(CentreOwnedModel):
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("counsellor")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)

    class Meta:
        verbose_name = _("counselling slot")
        verbose_name_plural = _("counselling slots")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class CounsellingAppointment(CentreOwnedModel, TimeStampedModel):
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("intake"))
    slot = models.OneToOneField(
        CounsellingSlot, on_delete=models.PROTECT, related_name="appointment", verbose_name=_("slot")
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreter_language = models.CharField(_("language of the interpreter"), max_length=3, blank=True)
    letter_language = models.CharField(_("language of the letter"), max_length=8, default="de")

    class Meta:
        verbose_name = _("counselling appointment")
        verbose_name_plural = _("counselling appointments")

    def __str__(self) -> str:
        return str(self.slot)


class CefrLevel(models.TextChoices):
    NONE = "none", _("no German yet")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class MathsLevel(models.TextChoices):
    BELOW = "below", _("below the level of the age group")
    AT = "at", _("at the level of the age group")
    ABOVE = "above", _("above the level of the age group")


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), exclude=["health_notes_encrypted"]
)
class Assessment(CentreOwnedModel, TimeStampedModel):
    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="assessment", verbose_name=_("intake"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    german_level = models.CharField(_("German level"), max_length=4, choices=CefrLevel.choices)
    maths_level = models.CharField(_("maths level"), max_length=8, choices=MathsLevel.choices)
    recommended_grade = models.PositiveSmallIntegerField(_("recommended grade"), validators=GRADE_VALIDATORS)
    acceptable_school_forms = ArrayField(
        models.CharField(max_length=32), default=list, blank=True, verbose_name=_("acceptable school forms")
    )
    special_needs_indicated = models.BooleanField(_("indication of special educational needs"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    # Special-category data (GDPR Art. 9): encrypted at rest, left out of the history table.
    health_notes_encrypted = models.BinaryField(_("health notes (encrypted)"), blank=True, default=b"")

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.recommended_grade}"


class PlacementRunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    REVIEW = "review", _("ready for review")
    RELEASED = "released", _("released")
    DISCARDED = "discarded", _("discarded")
    FAILED = "failed", _("failed")


class PlacementRun(CentreOwnedModel, TimeStampedModel):
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    term = models.CharField(_("term"), max_length=9, validators=[TERM_VALIDATOR])
    status = models.CharField(
        _("status"), max_length=16, choices=PlacementRunStatus.choices, default=PlacementRunStatus.QUEUED
    )
    progress = models.FloatField(_("progress"), default=0.0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("placement run")
        verbose_name_plural = _("placement runs")
        constraints = [
            # A second run for the same centre while one is queued or running is refused by the database too.
            models.UniqueConstraint(
                fields=["centre"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_placement_run_per_centre",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.status}"


class PlacementStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed, under review")
    RELEASED = "released", _("sent to the school")
    CONFIRMED = "confirmed", _("confirmed by the school")
    DECLINED = "declined", _("declined by the school")
    DISCARDED = "discarded", _("discarded")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Placement(CentreOwnedModel, TimeStampedModel, DecidedModel):
    run = models.ForeignKey(PlacementRun, on_delete=models.PROTECT, related_name="placements", verbose_name=_("run"))
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="placements", verbose_name=_("intake"))
    school = models.ForeignKey(
        "regions.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("school"),
    )
    grade = models.PositiveSmallIntegerField(_("grade"), validators=GRADE_VALIDATORS)
    distance_km = models.DecimalField(_("distance (km)"), max_digits=6, decimal_places=2, null=True, blank=True)
    # The engine's structured explanation: reason codes and values, translated when shown.
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlacementStatus.choices, default=PlacementStatus.PROPOSED
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=255, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return f"{self.get_status_display()}"


class WaitingAlert(CentreOwnedModel):
    """The day's mail to a centre's leads about children waiting too long (a count, no names).

    At most one per centre and day, enforced by the database: a job that is run again after its worker died, or
    twice at once, does not mail the leads twice.
    """

    sent_on = models.DateField(_("sent on"))
    children = models.PositiveIntegerField(_("children waiting too long"))

    class Meta:
        verbose_name = _("waiting alert")
        verbose_name_plural = _("waiting alerts")
        constraints = [
            models.UniqueConstraint(fields=["centre", "sent_on"], name="one_waiting_alert_per_centre_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.sent_on} {self.children}"
