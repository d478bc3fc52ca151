"""Work and training: employers, their offers, candidate profiles, and the pipeline from proposal to contract."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import TimeStampedModel
from ankommen.core.scoping import CentreOwnedModel
from ankommen.schooling.models import CefrLevel

MAX_SEATS = 100
MAX_HOURS_PER_WEEK = 48
MAX_RADIUS_KM = 300


class EmployerStatus(models.TextChoices):
    PENDING = "pending", _("waiting for verification")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Employer(CentreOwnedModel, TimeStampedModel):
    """A company or public employer that offers training places or jobs through the centre."""

    name = models.CharField(_("name of the organisation"), max_length=200)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    description = models.TextField(_("about the organisation"), blank=True, max_length=2000)
    street = models.CharField(_("street and number"), max_length=160, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5)
    place = models.CharField(_("place"), max_length=120)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address of the organisation"))
    # The person who signed up; on verification they become the first employer contact.
    applicant_name = models.CharField(_("your name"), max_length=150)
    applicant_email = models.EmailField(_("your e-mail address"))
    status = models.CharField(
        _("status"), max_length=16, choices=EmployerStatus.choices, default=EmployerStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for the rejection"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == EmployerStatus.VERIFIED


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class EmployerContact(CentreOwnedModel, TimeStampedModel):
    """Links a user with the employer-contact role to the organisation they act for."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("employer")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_contacts", verbose_name=_("user")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")
        constraints = [models.UniqueConstraint(fields=["employer", "user"], name="employer_contact_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.employer}"


class OfferKind(models.TextChoices):
    AUSBILDUNG = "ausbildung", _("vocational training (Ausbildung)")
    JOB = "job", _("job")
    INTERNSHIP = "internship", _("internship")
    EINSTIEGSQUALIFIZIERUNG = "eq", _("entry qualification (Einstiegsqualifizierung)")


class OfferStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Offer(CentreOwnedModel, TimeStampedModel):
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="offers", verbose_name=_("employer"))
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices)
    occupation = models.ForeignKey(
        "regions.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    postcode = models.CharField(_("postcode of the workplace"), max_length=5)
    place = models.CharField(_("place"), max_length=120)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    start_date = models.DateField(_("start date"))
    application_deadline = models.DateField(_("apply by"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SEATS)]
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS_PER_WEEK)]
    )
    german_level = models.CharField(
        _("German level needed"), max_length=4, choices=CefrLevel.choices, default=CefrLevel.A2
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), default=15, validators=[MinValueValidator(15), MaxValueValidator(67)]
    )
    requirements = models.TextField(_("requirements"), blank=True, max_length=2000)
    useful_languages = ArrayField(
        models.CharField(max_length=3), verbose_name=_("useful languages"), default=list, blank=True
    )
    driving_licence_needed = models.BooleanField(_("driving licence needed"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.PUBLISHED)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["start_date", "title"]
        indexes = [models.Index(fields=["centre", "status"], name="work_offer_centre_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="work_offer_seats_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class WorkPermitCategory(models.Model):
    """What a residence title allows: kept as data, because the rules change and differ per title."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=200)
    explanation = models.CharField(_("what it allows"), max_length=400)
    allowed_kinds = ArrayField(
        models.CharField(max_length=16, choices=OfferKind.choices),
        verbose_name=_("allowed without approval"),
        blank=True,
    )
    approval_kinds = ArrayField(
        models.CharField(max_length=16, choices=OfferKind.choices),
        verbose_name=_("allowed with the approval of the foreigners' authority"),
        blank=True,
        default=list,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("work permit category")
        verbose_name_plural = _("work permit categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label


class CandidateStatus(models.TextChoices):
    ACTIVE = "active", _("looking")
    PLACED = "placed", _("placed")
    PAUSED = "paused", _("paused")
    CLOSED = "closed", _("closed")


class ShareableField(models.TextChoices):
    """Profile parts a candidate may agree to share with an employer. The name is always needed for a contract."""

    NAME = "name", _("name")
    AGE = "age", _("age")
    GERMAN_LEVEL = "german_level", _("German level")
    LANGUAGES = "languages", _("languages")
    QUALIFICATIONS = "qualifications", _("qualifications")
    EXPERIENCE = "experience", _("work experience")
    DRIVING_LICENCE = "driving_licence", _("driving licence")
    AVAILABILITY = "availability", _("availability")
    CONTACT = "contact", _("phone and e-mail")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class CandidateProfile(CentreOwnedModel, TimeStampedModel):
    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="candidate_profile", verbose_name=_("person")
    )
    occupation_wishes = models.ManyToManyField(
        "regions.Occupation", related_name="+", verbose_name=_("occupation wishes"), blank=True
    )
    german_level = models.CharField(_("German level"), max_length=4, choices=CefrLevel.choices)
    languages = ArrayField(models.CharField(max_length=3), verbose_name=_("other languages"), default=list, blank=True)
    experience = models.TextField(_("work experience"), blank=True, max_length=2000)
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of work experience"), default=0, validators=[MaxValueValidator(60)]
    )
    driving_licence = models.BooleanField(_("has a driving licence (class B)"), default=False)
    permit = models.ForeignKey(
        WorkPermitCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("work permit")
    )
    postcode = models.CharField(_("postcode of the home"), max_length=5)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    mobility_radius_km = models.PositiveSmallIntegerField(
        _("travels up to (km)"), default=25, validators=[MinValueValidator(1), MaxValueValidator(MAX_RADIUS_KM)]
    )
    available_from = models.DateField(_("available from"))
    status = models.CharField(
        _("status"), max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.ACTIVE
    )
    # The figures count the days from the profile's creation to a signed contract.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("candidate profile")
        verbose_name_plural = _("candidate profiles")
        indexes = [models.Index(fields=["centre", "status"], name="work_candidate_centre_status")]

    def __str__(self) -> str:
        return f"{_('candidate profile')} {self.pk}"


# The moves staff can make with a profile: pause (not looking for now), resume, close (no longer looking).
PROFILE_STATUS_MOVES: dict[str, tuple[str, ...]] = {
    CandidateStatus.ACTIVE: (CandidateStatus.PAUSED, CandidateStatus.CLOSED),
    CandidateStatus.PLACED: (CandidateStatus.CLOSED,),
    CandidateStatus.PAUSED: (CandidateStatus.ACTIVE, CandidateStatus.CLOSED),
    CandidateStatus.CLOSED: (CandidateStatus.ACTIVE,),
}


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class CandidateStatusChange(CentreOwnedModel):
    """One pause, resumption or closing of a candidate profile, with who made it and why."""

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("candidate profile")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=CandidateStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=CandidateStatus.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("status change of a candidate profile")
        verbose_name_plural = _("status changes of candidate profiles")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class RecognitionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("recognition not started")
    IN_PROGRESS = "in_progress", _("recognition in progress")
    PARTIAL = "partial", _("partially equivalent")
    FULL = "full", _("fully equivalent")
    NOT_NEEDED = "not_needed", _("German qualification")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Qualification(CentreOwnedModel, TimeStampedModel):
    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("candidate profile")
    )
    title = models.CharField(_("qualification"), max_length=200)
    country = models.CharField(_("country where acquired"), max_length=2, blank=True)
    occupation = models.ForeignKey(
        "regions.Occupation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("matching occupation"),
    )
    recognition = models.CharField(_("recognition in Germany"), max_length=16, choices=RecognitionStatus.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class Stage(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    AGREED = "agreed", _("candidate agreed to share")
    SHARED = "shared", _("profile shared with the employer")
    INTERVIEW = "interview", _("interview")
    OFFERED = "offered", _("offer made")
    CONTRACT = "contract", _("contract signed")
    FOLLOWED_UP = "followed_up", _("followed up after six months")
    ENDED = "ended", _("ended")


# Stages from which the employer sees the application: only after the centre shared it.
EMPLOYER_VISIBLE_STAGES = (Stage.SHARED, Stage.INTERVIEW, Stage.OFFERED, Stage.CONTRACT, Stage.FOLLOWED_UP)


class ContractKind(models.TextChoices):
    AUSBILDUNG = "ausbildung", _("training contract (Ausbildungsvertrag)")
    PERMANENT = "permanent", _("permanent employment")
    FIXED_TERM = "fixed_term", _("fixed-term employment")
    INTERNSHIP = "internship", _("internship contract")
    EINSTIEGSQUALIFIZIERUNG = "eq", _("entry qualification contract")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Application(CentreOwnedModel, TimeStampedModel):
    """One candidate for one offer, from the centre's proposal to the follow-up six months after the contract."""

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.PROTECT, related_name="applications", verbose_name=_("candidate profile")
    )
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="applications", verbose_name=_("offer"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.PROPOSED)
    score = models.FloatField(_("match score"), default=0.0)
    reasons = models.JSONField(_("reasons of the match"), default=list, blank=True)
    shared_fields = ArrayField(
        models.CharField(max_length=24, choices=ShareableField.choices),
        verbose_name=_("fields the candidate agreed to share"),
        default=list,
        blank=True,
    )
    interview_at = models.DateTimeField(_("interview"), null=True, blank=True)
    contract_kind = models.CharField(_("kind of contract"), max_length=16, choices=ContractKind.choices, blank=True)
    contract_start = models.DateField(_("contract starts"), null=True, blank=True)
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    # Set once the centre's staff have been mailed about the due follow-up: the reminder goes out only once.
    follow_up_reminded_at = models.DateTimeField(_("follow-up reminder sent"), null=True, blank=True)
    still_employed = models.BooleanField(_("still there after six months"), null=True, blank=True)
    ended_at_stage = models.CharField(_("ended at stage"), max_length=16, choices=Stage.choices, blank=True)
    end_reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["profile", "offer"], name="work_application_unique")]
        indexes = [models.Index(fields=["centre", "stage"], name="work_application_centre_stage")]

    def __str__(self) -> str:
        return f"{_('application')} {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.stage not in {Stage.ENDED, Stage.FOLLOWED_UP}


class ApplicationStep(CentreOwnedModel):
    """One move of an application from one stage to the next, with who made it and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="steps", verbose_name=_("application")
    )
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    note = models.CharField(_("note or reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("step of an application")
        verbose_name_plural = _("steps of applications")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"
