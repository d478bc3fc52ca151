"""The network of local actors: organisations and their services, cooperation, network meetings, referrals.

Organisations and services are public information the centre keeps for its area (listed in the public service
finder when `is_listed`); contact persons and referrals are personal data of the centre.
"""

from __future__ import annotations

from typing import Any

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import TimeStampedModel
from ankommen.core.scoping import CentreOwnedModel

POSTCODE_VALIDATOR = RegexValidator(r"^\d{5}$", _("A postcode has five digits."))


class OrganisationKind(models.TextChoices):
    MUNICIPAL_OFFICE = "municipal_office", _("municipal office")
    WELFARE_ASSOCIATION = "welfare_association", _("welfare association")
    CITIZEN_INITIATIVE = "citizen_initiative", _("citizen initiative")
    MIGRANT_ORGANISATION = "migrant_organisation", _("migrant organisation")
    SCHOOL = "school", _("school")
    EMPLOYER = "employer", _("employer")
    OTHER = "other", _("other")


class WelfareAssociation(models.TextChoices):
    AWO = "awo", "AWO"
    CARITAS = "caritas", "Caritas"
    DIAKONIE = "diakonie", "Diakonie"
    DRK = "drk", "DRK"
    PARITAETISCHER = "paritaetischer", _("Paritätischer")


class ServiceCategory(models.TextChoices):
    MIGRATION_COUNSELLING = "migration_counselling", _("migration counselling")
    FAMILY_COUNSELLING = "family_counselling", _("family and parenting counselling")
    PSYCHOSOCIAL_COUNSELLING = "psychosocial_counselling", _("psychosocial counselling")
    LEGAL_ADVICE = "legal_advice", _("legal advice on residence")
    LANGUAGE_COURSE = "language_course", _("German courses")
    HOMEWORK_HELP = "homework_help", _("homework help and tutoring")
    WORK_AND_TRAINING = "work_and_training", _("work and vocational training")
    HEALTH = "health", _("health")
    HOUSING = "housing", _("housing")
    MEETING_PLACE = "meeting_place", _("meeting place and leisure")
    OTHER = "other", _("other help")


class CooperationKind(models.TextChoices):
    AGREEMENT = "agreement", _("cooperation agreement")
    SERVICE_CONTRACT = "service_contract", _("service contract")
    PROJECT = "project", _("joint project")
    NETWORK_MEMBERSHIP = "network_membership", _("member of a working group")


class CooperationTopic(models.TextChoices):
    SCHOOL = "school", _("school and education")
    LANGUAGE = "language", _("language")
    WORK = "work", _("work and training")
    VOLUNTEERING = "volunteering", _("volunteering")
    COUNSELLING = "counselling", _("counselling")
    HEALTH = "health", _("health")
    HOUSING = "housing", _("housing")
    ANTI_DISCRIMINATION = "anti_discrimination", _("anti-discrimination")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Organisation(CentreOwnedModel, TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    welfare_association = models.CharField(
        _("welfare association"), max_length=32, choices=WelfareAssociation.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street and number"), max_length=160, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, validators=[POSTCODE_VALIDATOR])
    place = models.CharField(_("place"), max_length=120)
    # From the postcode reference data (GeoNames): the distance in the service finder is measured from here.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True, max_length=1000)
    languages = ArrayField(models.CharField(max_length=8), default=list, blank=True, verbose_name=_("languages spoken"))
    area_served = models.ManyToManyField(
        "regions.Municipality", blank=True, related_name="+", verbose_name=_("area served")
    )
    is_listed = models.BooleanField(_("listed in the public service finder"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == OrganisationKind.WELFARE_ASSOCIATION and not self.welfare_association:
            raise ValidationError({"welfare_association": _("Choose the welfare association.")})
        if self.kind != OrganisationKind.WELFARE_ASSOCIATION and self.welfare_association:
            raise ValidationError(
                {"welfare_association": _("Only welfare associations belong to a welfare association.")}
            )

    @property
    def kind_label(self) -> str:
        if self.welfare_association:
            return f"{self.get_kind_display()} ({self.get_welfare_association_display()})"
        return str(self.get_kind_display())


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Service(CentreOwnedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="services", verbose_name=_("organisation")
    )
    category = models.CharField(_("what"), max_length=32, choices=ServiceCategory.choices)
    name = models.CharField(_("name of the service"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    languages = ArrayField(
        models.CharField(max_length=8),
        default=list,
        blank=True,
        verbose_name=_("languages"),
        help_text=_("Leave empty if they are the organisation's languages."),
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["category", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def languages_offered(self) -> list[str]:
        return self.languages or self.organisation.languages


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Contact(CentreOwnedModel):
    """A contact person at an organisation: personal data, seen by the centre's staff only."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=160)
    function = models.CharField(_("function"), max_length=160, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class PartnerContact(CentreOwnedModel, TimeStampedModel):
    """Links a user with the partner-contact role to the organisation they act for in the partner portal."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partner_contacts", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_contacts", verbose_name=_("user")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner portal access")
        verbose_name_plural = _("partner portal accesses")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="partner_contact_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


class Cooperation(CentreOwnedModel, TimeStampedModel):
    """An agreement of the centre with an organisation, or between two organisations of its network."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cooperations", verbose_name=_("organisation")
    )
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_cooperations",
        verbose_name=_("partner"),
        help_text=_("Empty: the agreement is with the centre itself."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=CooperationKind.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    topics = ArrayField(models.CharField(max_length=32, choices=CooperationTopic.choices), verbose_name=_("topics"))

    class Meta:
        verbose_name = _("cooperation")
        verbose_name_plural = _("cooperations")
        ordering = ["-since", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.partner or self.centre}"

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.since and self.until and self.until < self.since:
            errors["until"] = [_("The end cannot lie before the start.")]
        if self.partner_id and self.partner_id == self.organisation_id:
            errors["partner"] = [_("An organisation cannot cooperate with itself.")]
        if not self.topics:
            errors["topics"] = [_("Choose at least one topic.")]
        if errors:
            raise ValidationError(errors)

    def topic_labels(self) -> list[str]:
        labels = dict(CooperationTopic.choices)
        return [str(labels.get(topic, topic)) for topic in self.topics]


class Meeting(CentreOwnedModel, TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        Organisation, blank=True, related_name="meetings", verbose_name=_("participating organisations")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return self.title


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class MeetingPerson(CentreOwnedModel):
    """A named person at a network meeting: a contact person of an organisation of the directory, or a name with
    the organisation they came from (one of the directory, or written in). Personal data, seen by staff only."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="persons", verbose_name=_("meeting"))
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_attended",
        verbose_name=_("contact person"),
    )
    name = models.CharField(_("name"), max_length=160, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(
        _("other organisation"),
        max_length=200,
        blank=True,
        help_text=_("If the organisation is not in the directory."),
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if self.contact_id and (self.name.strip() or self.organisation_id or self.organisation_name.strip()):
            raise ValidationError(_("Choose a contact person, or enter a name with an organisation, not both."))
        if not self.contact_id and not self.name.strip():
            raise ValidationError({"name": [_("Choose a contact person or enter a name.")]})
        if self.organisation_id and self.organisation_name.strip():
            raise ValidationError(
                {"organisation_name": [_("Choose the organisation from the directory or write it in, not both.")]}
            )

    @property
    def display_name(self) -> str:
        return self.contact.name if self.contact_id and self.contact else self.name

    @property
    def display_organisation(self) -> str:
        if self.contact_id and self.contact:
            return self.contact.organisation.name
        if self.organisation_id and self.organisation:
            return self.organisation.name
        return self.organisation_name


class Decision(CentreOwnedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting"))
    text = models.TextField(_("decision"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]


class FollowUpTask(CentreOwnedModel):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("decision"))
    description = models.CharField(_("task"), max_length=300)
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("responsible organisation"),
        help_text=_("Empty: the centre itself."),
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description


class ReferralOutcome(models.TextChoices):
    OPEN = "open", _("open")
    TAKEN_UP = "taken_up", _("taken up")
    NOT_TAKEN_UP = "not_taken_up", _("not taken up")
    NOT_SUITABLE = "not_suitable", _("service did not fit")
    UNKNOWN = "unknown", _("outcome unknown")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Referral(CentreOwnedModel, TimeStampedModel):
    """A person referred to an organisation's service, on the basis of their consent to referrals."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("person")
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service"))
    referred_on = models.DateField(_("referred on"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReferralOutcome.choices, default="open")
    outcome_on = models.DateField(_("outcome recorded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.pk} {self.outcome}"
