"""KOMM-AN: volunteers, their clearance inspections, support requests, assignments, shifts and hours."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import TimeStampedModel
from ankommen.core.scoping import CentreOwnedModel
from ankommen.matching.volunteers import ALL_SLOTS

MAX_RADIUS_KM = 100
MAX_PARALLEL_ASSIGNMENTS = 10


class BuiltinActivity(models.TextChoices):
    LANGUAGE_MENTORING = "language_mentoring", _("language mentoring")
    ACCOMPANIMENT = "accompaniment", _("accompaniment to offices and doctors")
    HOMEWORK_HELP = "homework_help", _("homework help")
    LEISURE = "leisure", _("leisure activities")
    INTERPRETING = "interpreting", _("interpreting")
    HOUSING_SEARCH = "housing_search", _("housing search")
    JOB_MENTORING = "job_mentoring", _("job mentoring")


# The languages of the sign-up page besides German, each with a name field on Activity.
ACTIVITY_NAME_LANGUAGES = ("en", "ar", "uk", "ru", "tr", "fa")


class Activity(models.Model):
    """An activity volunteers can offer: the built-in ones and those the operators add (Django admin).

    A built-in activity is named by the translation catalogue; an added one by its own names, German required,
    the others optional (a missing one falls back to English, then German).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_de = models.CharField(_("German name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    name_ar = models.CharField(_("Arabic name"), max_length=100, blank=True)
    name_uk = models.CharField(_("Ukrainian name"), max_length=100, blank=True)
    name_ru = models.CharField(_("Russian name"), max_length=100, blank=True)
    name_tr = models.CharField(_("Turkish name"), max_length=100, blank=True)
    name_fa = models.CharField(_("Farsi name"), max_length=100, blank=True)
    is_active = models.BooleanField(_("offered on the sign-up page"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name_de

    def name_in(self, language: str) -> str:
        code = (language or "de")[:2]
        if code in ACTIVITY_NAME_LANGUAGES and (name := getattr(self, f"name_{code}")):
            return str(name)
        if code == "de":
            return self.name_de
        return self.name_en or self.name_de


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("first language")
    C2 = "C2", _("C2 (near-native)")
    C1 = "C1", _("C1 (fluent)")
    B2 = "B2", _("B2 (good)")
    B1 = "B1", _("B1 (everyday conversation)")
    A2 = "A2", _("A2 (basic)")
    A1 = "A1", _("A1 (a few words)")


class VolunteerStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("e-mail address not yet confirmed")
    AWAITING_VERIFICATION = "awaiting_verification", _("waiting for identity verification")
    VERIFIED = "verified", _("verified")
    INACTIVE = "inactive", _("inactive")
    # The volunteer withdrew their consent: never suggested, proposed or reminded again.
    CONSENT_WITHDRAWN = "consent_withdrawn", _("consent withdrawn")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Volunteer(CentreOwnedModel, TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer", verbose_name=_("user")
    )
    status = models.CharField(
        _("status"), max_length=24, choices=VolunteerStatus.choices, default=VolunteerStatus.UNCONFIRMED
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    radius_km = models.PositiveSmallIntegerField(
        _("radius (km)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_RADIUS_KM)]
    )
    max_parallel = models.PositiveSmallIntegerField(
        _("maximum parallel assignments"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARALLEL_ASSIGNMENTS)],
    )
    # Language code (ISO 639) -> LanguageLevel.
    languages = models.JSONField(_("languages"), default=dict)
    activities = ArrayField(models.CharField(max_length=40), default=list, verbose_name=_("activities"))
    # Bit mask of the week: bit day*3+part, day 0 = Monday, part 0 morning, 1 afternoon, 2 evening.
    availability = models.PositiveIntegerField(_("weekly availability"), default=0)
    consent_given_at = models.DateTimeField(_("consent given"))
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    sign_up_language = models.CharField(_("language of the sign-up"), max_length=8, default="de")
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    verified_at = models.DateTimeField(_("identity verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identity verified by"),
    )
    # Kept by the services: the last day of the latest valid clearance inspection, and the open assignments.
    clearance_valid_until = models.DateField(_("clearance valid until"), null=True, blank=True)
    open_assignments = models.PositiveSmallIntegerField(_("open assignments"), default=0)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        indexes = [models.Index(fields=["centre", "updated_at"], name="volunteer_centre_updated")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(availability__lte=ALL_SLOTS), name="volunteer_availability_in_week"
            ),
            models.CheckConstraint(
                condition=models.Q(radius_km__gte=1, radius_km__lte=MAX_RADIUS_KM), name="volunteer_radius_range"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def name(self) -> str:
        return str(self.user.display_name)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ClearanceInspection(CentreOwnedModel, TimeStampedModel):
    """That staff saw an extended police clearance certificate: never the document itself."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("volunteer")
    )
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspected by")
    )
    inspected_on = models.DateField(_("inspected on"))
    issued_on = models.DateField(_("date of issue"))
    no_relevant_entry = models.BooleanField(_("no relevant entry"))
    valid_until = models.DateField(_("valid until"))
    expiry_notice_sent_on = models.DateField(_("expiry notice sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("clearance inspection")
        verbose_name_plural = _("clearance inspections")
        ordering = ["-valid_until"]

    def __str__(self) -> str:
        return f"{self.issued_on} – {self.valid_until}"


class ExpectedDuration(models.TextChoices):
    ONCE = "once", _("once")
    WEEKS = "weeks", _("a few weeks")
    MONTHS = "months", _("several months")
    OPEN = "open", _("open-ended")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    PROPOSED = "proposed", _("proposed to a volunteer")
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class CloseReason(models.TextChoices):
    COMPLETED = "completed", _("support completed")
    NO_LONGER_NEEDED = "no_longer_needed", _("no longer needed")
    NO_VOLUNTEER = "no_volunteer", _("no volunteer found")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("consent withdrawn")
    OTHER = "other", _("other reason")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class SupportRequest(CentreOwnedModel, TimeStampedModel):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    family = models.ForeignKey(
        "people.Family", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("family")
    )
    partner_organisation = models.CharField(_("requested by partner organisation"), max_length=200, blank=True)
    # Set when a partner contact opened the request in the partner portal (partner_organisation then holds its name).
    partner = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    partner_confirmed_consent = models.BooleanField(_("the partner confirmed the family's consent"), default=False)
    activity = models.CharField(_("activity"), max_length=40)
    languages = ArrayField(models.CharField(max_length=3), default=list, blank=True, verbose_name=_("languages"))
    availability = models.PositiveIntegerField(_("time windows"), default=0)
    postcode = models.CharField(_("postcode"), max_length=5)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    involves_minors = models.BooleanField(_("involves minors"), default=False)
    expected_duration = models.CharField(_("expected duration"), max_length=16, choices=ExpectedDuration.choices)
    # What the volunteer needs to know; no health or case details.
    description = models.TextField(_("description for the volunteer"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    close_reason = models.CharField(_("reason for closing"), max_length=24, choices=CloseReason.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    matched_at = models.DateTimeField(_("matched"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        indexes = [models.Index(fields=["centre", "status", "created_at"], name="request_centre_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(availability__lte=ALL_SLOTS), name="request_availability_in_week"
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False)
                | models.Q(family__isnull=False)
                | ~models.Q(partner_organisation=""),
                name="request_has_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.activity}"


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACTIVE = "active", _("accepted, active")
    DECLINED = "declined", _("declined by the volunteer")
    WITHDRAWN = "withdrawn", _("withdrawn by the centre")
    ENDED = "ended", _("ended")


OPEN_ASSIGNMENT_STATUSES = (AssignmentStatus.PROPOSED, AssignmentStatus.ACTIVE)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Assignment(CentreOwnedModel, TimeStampedModel):
    request = models.ForeignKey(
        SupportRequest, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("request")
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("volunteer")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    # The score and its parts when proposed: {"score": 81.5, "parts": {...}, "distance_km": 2.3, "method": ...}.
    score = models.JSONField(_("score"), default=dict, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status__in=["proposed", "active"]),
                name="one_open_assignment_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"


class StepKind(models.TextChoices):
    OPENED = "opened", _("request opened")
    PROPOSED = "proposed", _("volunteer proposed")
    ACCEPTED = "accepted", _("volunteer accepted")
    DECLINED = "declined", _("volunteer declined")
    WITHDRAWN = "withdrawn", _("proposal withdrawn")
    CLOSED = "closed", _("request closed")


class RequestStep(CentreOwnedModel):
    """One step of a request, shown as its history; written with the change it records, never changed."""

    request = models.ForeignKey(SupportRequest, on_delete=models.PROTECT, related_name="steps")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    kind = models.CharField(_("step"), max_length=16, choices=StepKind.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.kind


class MeetingPoint(CentreOwnedModel, TimeStampedModel):
    """An arrival café, a clothing store, a homework club: a place with shifts."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255)

    class Meta:
        verbose_name = _("meeting point")
        verbose_name_plural = _("meeting points")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Shift(CentreOwnedModel, TimeStampedModel):
    """A recurring shift: every `weekday` from `first_date` to `last_date`, with `slots` places each time."""

    meeting_point = models.ForeignKey(
        MeetingPoint, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("meeting point")
    )
    title = models.CharField(_("title"), max_length=120)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    slots = models.PositiveSmallIntegerField(
        _("volunteers needed"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(last_date__gte=models.F("first_date")), name="shift_dates_order"),
        ]

    def __str__(self) -> str:
        return self.title


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ShiftSignup(CentreOwnedModel, TimeStampedModel):
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="signups", verbose_name=_("shift"))
    date = models.DateField(_("date"))
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="shift_signups", verbose_name=_("volunteer")
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "date", "volunteer"],
                condition=models.Q(cancelled_at__isnull=True),
                name="one_signup_per_shift_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shift} {self.date}"


class HoursStatus(models.TextChoices):
    LOGGED = "logged", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("not confirmed")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class HoursEntry(CentreOwnedModel, TimeStampedModel):
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="hours", verbose_name=_("volunteer")
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("assignment")
    )
    shift_signup = models.ForeignKey(
        ShiftSignup, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("shift")
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(0.25), MaxValueValidator(24)],
    )
    activity = models.CharField(_("activity"), max_length=40)
    status = models.CharField(_("status"), max_length=16, choices=HoursStatus.choices, default=HoursStatus.LOGGED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hours")
        verbose_name_plural = _("hours")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignment__isnull=False) | models.Q(shift_signup__isnull=False),
                name="hours_for_assignment_or_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.hours}"


class BatchRunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    READY = "ready", _("ready to apply")
    APPLIED = "applied", _("applied")
    FAILED = "failed", _("failed")


ACTIVE_BATCH_RUN_STATUSES = (BatchRunStatus.QUEUED, BatchRunStatus.RUNNING)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class BatchRun(CentreOwnedModel, TimeStampedModel):
    """A batch proposal for all open requests, computed by a background job and applied by a coordinator.

    It holds ids and scores only: `proposals` is a list of {"request", "volunteer", "score"}.
    """

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    status = models.CharField(_("status"), max_length=16, choices=BatchRunStatus.choices, default=BatchRunStatus.QUEUED)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    proposals = models.JSONField(_("proposals"), default=list, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch proposal")
        verbose_name_plural = _("batch proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_batch_run_per_centre",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"
