"""Courses (Fortbildungen) for teachers, pedagogical staff, volunteers and administration.

A course belongs to the centre that organises it, also when it is open to the whole state. Participants register
on the public page with their name, e-mail address and school; they manage their registration through a secret
link in the confirmation mail (only the SHA-256 digest of the secret is stored).
"""

from __future__ import annotations

import hashlib
from typing import Any

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ankommen.core.models import TimeStampedModel
from ankommen.core.scoping import CentreOwnedModel

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class ConfigurableListEntry(models.Model):
    """An entry of a state-wide list kept by the operators in the admin (topics, audiences), in German and English."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name_de = models.CharField(_("name in German"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered for new courses"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_de


class Topic(ConfigurableListEntry):
    class Meta(ConfigurableListEntry.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Audience(ConfigurableListEntry):
    class Meta(ConfigurableListEntry.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


class Course(CentreOwnedModel, TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="courses", verbose_name=_("topic"))
    audiences = models.ManyToManyField(Audience, related_name="courses", verbose_name=_("audiences"))
    is_statewide = models.BooleanField(
        _("open to the whole state"), default=False, help_text=_("Otherwise the course is meant for the centre's area.")
    )
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1), MaxValueValidator(500)])
    credit_hours = models.DecimalField(
        _("credit hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )
    is_published = models.BooleanField(_("published in the catalogue"), default=True)
    contact_email = models.EmailField(_("contact e-mail for questions"), blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = pgettext_lazy("training", "courses")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def free_seats(self) -> int:
        """Needs the `confirmed_count` the course selectors annotate."""
        return max(self.seats - int(getattr(self, "confirmed_count", 0)), 0)


class Session(CentreOwnedModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course"))
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(_("link to the online room"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("course date", "session")
        verbose_name_plural = pgettext_lazy("course dates", "sessions")
        ordering = ["date", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.starts_at:%H:%M}"

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = [_("The session must end after it starts.")]
        if not self.is_online and not self.place.strip():
            errors["place"] = [_("Enter the place, or mark the session as online.")]
        if errors:
            raise ValidationError(errors)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration", "cancelled")


ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Registration(CentreOwnedModel, TimeStampedModel):
    """A participant's registration: personal data (name, e-mail, school) for organising the course only."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("course"))
    given_name = models.CharField(_("given name"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    school = models.ForeignKey(
        "regions.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    organisation = models.CharField(_("other place of work"), max_length=200, blank=True)
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, related_name="+", verbose_name=_("you are"))
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    moved_up_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    feedback_given = models.BooleanField(_("feedback given"), default=False)
    # The language the person registered in: later mails (moved up, changed dates) are written in it.
    language = models.CharField(_("language"), max_length=8, default="de")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "email"],
                condition=~models.Q(status="cancelled"),
                name="registration_one_active_per_email",
                violation_error_message=_("This e-mail address is already registered for this course."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.status}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def workplace(self) -> str:
        return self.school.name if self.school_id and self.school else self.organisation

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(f"{settings.SECRET_KEY}:{secret}".encode()).hexdigest()


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Attendance(CentreOwnedModel):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("registration")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    is_present = models.BooleanField(_("present"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="attendance_once_per_session"),
        ]


class Feedback(CentreOwnedModel):
    """Anonymous: linked to the course, not to the registration (which only notes that feedback was given), and
    without a time stamp that could be matched against the registration's history."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("course"))
    overall = models.PositiveSmallIntegerField(_("overall"), validators=RATING_VALIDATORS)
    usefulness = models.PositiveSmallIntegerField(_("usefulness for my work"), validators=RATING_VALIDATORS)
    organisation_rating = models.PositiveSmallIntegerField(_("organisation"), validators=RATING_VALIDATORS)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
