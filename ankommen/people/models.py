"""Families and persons whose data a centre holds, and the legal basis for each purpose."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import TimeStampedModel
from ankommen.core.scoping import CentreOwnedModel


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    DIVERSE = "diverse", _("diverse")
    UNSPECIFIED = "unspecified", _("not specified")


class ResidenceStatus(models.TextChoices):
    ASYLUM_PROCEDURE = "asylum_procedure", _("in the asylum procedure (Aufenthaltsgestattung)")
    REFUGEE = "refugee", _("recognised refugee or entitled to asylum")
    SUBSIDIARY_PROTECTION = "subsidiary_protection", _("subsidiary protection")
    TEMPORARY_PROTECTION = "temporary_protection", _("temporary protection (§ 24 AufenthG)")
    TOLERATED = "tolerated", _("tolerated stay (Duldung)")
    EU_CITIZEN = "eu_citizen", _("EU citizen")
    OTHER_PERMIT = "other_permit", _("other residence permit")
    GERMAN = "german", _("German citizen")
    UNKNOWN = "unknown", _("unknown")


class Purpose(models.TextChoices):
    SCHOOL_PLACEMENT = "school_placement", _("school counselling and placement")
    VOLUNTEER_SUPPORT = "volunteer_support", _("support by volunteers")
    EMPLOYMENT = "employment", _("training and work")
    COURSES = "courses", _("courses")
    REFERRAL = "referral", _("referral to partner organisations")
    RESEARCH = "research", _("pseudonymised research extract")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("consent (GDPR Art. 6(1)(a), 9(2)(a))")
    LEGAL_OBLIGATION = "legal_obligation", _("legal obligation (GDPR Art. 6(1)(c))")
    PUBLIC_TASK = "public_task", _("public task (GDPR Art. 6(1)(e), § 67a SGB X)")


POSTCODE_PATTERN = re.compile(r"\d{5}")
# The address words that German full-text search matches; the same expression is indexed.
ADDRESS_SEARCH_VECTOR = SearchVector("street", "place", config="german")


# Set by a bulk import around the checks of many rows: the postcodes read in one query instead of one per row.
_known_postcodes: ContextVar[frozenset[str] | None] = ContextVar("known_postcodes", default=None)


@contextmanager
def postcodes_known(codes: frozenset[str]) -> Iterator[None]:
    token = _known_postcodes.set(codes)
    try:
        yield
    finally:
        _known_postcodes.reset(token)


def _postcode_errors(postcode: str) -> list[Any]:
    from ankommen.regions.models import Postcode

    if not postcode:
        return []
    if not POSTCODE_PATTERN.fullmatch(postcode):
        return [_("A German postcode has five digits.")]
    known = _known_postcodes.get()
    exists = postcode in known if known is not None else Postcode.objects.filter(code=postcode).exists()
    if not exists:
        return [_("This postcode does not exist.")]
    return []


# The fields whose rules Person.clean() applies with person_rule_errors (besides the family's centre).
PERSON_RULE_FIELDS = (
    "birth_date",
    "arrived_in_germany",
    "arrived_in_district",
    "nationalities",
    "languages",
    "postcode",
)


def person_rule_errors(values: Mapping[str, Any], *, today: datetime.date) -> dict[str, list[Any]]:
    """The rules of Person.clean() on a person's values: a bulk import applies them to many rows without building
    a model instance for each."""
    from ankommen.people.choices import is_country_code, is_language_code

    errors: dict[str, list[Any]] = {}

    def refuse(field: str, message: Any) -> None:
        errors.setdefault(field, []).append(message)

    birth_date = values["birth_date"]
    arrived_in_germany = values["arrived_in_germany"]
    arrived_in_district = values["arrived_in_district"]
    for field in ("birth_date", "arrived_in_germany", "arrived_in_district"):
        value = values[field]
        if value is not None and value > today:
            refuse(field, _("This date lies in the future."))
    if birth_date and arrived_in_germany and arrived_in_germany < birth_date:
        refuse("arrived_in_germany", _("The arrival cannot be before the date of birth."))
    if birth_date and arrived_in_district and arrived_in_district < birth_date:
        refuse("arrived_in_district", _("The arrival cannot be before the date of birth."))
    if arrived_in_germany and arrived_in_district and arrived_in_district < arrived_in_germany:
        refuse("arrived_in_district", _("The arrival in the district cannot be before the arrival in Germany."))
    if unknown := [code for code in values["nationalities"] if not is_country_code(code)]:
        refuse("nationalities", _("Unknown country code: %(codes)s") % {"codes": ", ".join(unknown)})
    if unknown := [code for code in values["languages"] if not is_language_code(code)]:
        refuse("languages", _("Unknown language code: %(codes)s") % {"codes": ", ".join(unknown)})
    for message in _postcode_errors(values["postcode"]):
        refuse("postcode", message)
    return errors


class GuardianKind(models.TextChoices):
    MOTHER = "mother", _("mother")
    FATHER = "father", _("father")
    LEGAL_GUARDIAN = "legal_guardian", _("legal guardian")
    OTHER = "other", _("other relative or carer")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Family(CentreOwnedModel, TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("case reference"), max_length=20)
    street = models.CharField(_("street and number"), max_length=160, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [models.UniqueConstraint(fields=["centre", "reference"], name="family_reference_per_centre")]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        if errors := _postcode_errors(self.postcode):
            raise ValidationError({"postcode": errors})


# Statement-level triggers: imports write thousands of persons in one INSERT/UPDATE ... SELECT, and one trigger call
# per statement (reading its transition tables) costs a fraction of one call per row. Still one history row per
# changed row, with the same context, and updates that change no tracked field still write none.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), level=pghistory.Statement)
class Person(CentreOwnedModel, TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("family")
    )
    given_names = models.CharField(_("given names"), max_length=200)
    family_name = models.CharField(_("family name"), max_length=200)
    # Names in Latin letters as written in the passport or by the family; the original script stays above.
    given_names_latin = models.CharField(_("given names in Latin letters"), max_length=200, blank=True)
    family_name_latin = models.CharField(_("family name in Latin letters"), max_length=200, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, default=Gender.UNSPECIFIED)
    nationalities = ArrayField(
        models.CharField(max_length=2), verbose_name=_("nationalities"), default=list, blank=True
    )
    languages = ArrayField(models.CharField(max_length=3), verbose_name=_("languages"), default=list, blank=True)
    arrived_in_germany = models.DateField(_("arrival in Germany"), null=True, blank=True)
    arrived_in_district = models.DateField(_("arrival in the district"), null=True, blank=True)
    residence_status = models.CharField(
        _("residence status"), max_length=32, choices=ResidenceStatus.choices, default=ResidenceStatus.UNKNOWN
    )
    street = models.CharField(_("street and number"), max_length=160, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    # Lower-cased, accent-free, transliterated names: what search matches against. Written by the services.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["family_name", "given_names"]
        indexes = [
            models.Index(fields=["centre", "family_name", "given_names"], name="person_centre_name"),
            GinIndex(fields=["search_text"], name="person_search_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(ADDRESS_SEARCH_VECTOR, name="person_address_fts"),
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"

    def clean(self) -> None:
        errors = person_rule_errors(
            {name: getattr(self, name) for name in PERSON_RULE_FIELDS}, today=timezone.localdate()
        )
        if self.family_id and self.family is not None and self.family.centre_id != self.centre_id:
            errors.setdefault("family", []).append(_("This record belongs to another centre."))
        if errors:
            raise ValidationError(errors)

    @property
    def age(self) -> int | None:
        if self.birth_date is None:
            return None
        today = timezone.localdate()
        return (
            today.year
            - self.birth_date.year
            - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))
        )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class GuardianRelation(CentreOwnedModel):
    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("child"))
    guardian = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="wards", verbose_name=_("guardian"))
    kind = models.CharField(_("relation"), max_length=16, choices=GuardianKind.choices)
    has_custody = models.BooleanField(_("has custody"), default=True)

    class Meta:
        verbose_name = _("guardian relation")
        verbose_name_plural = _("guardian relations")
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian"], name="guardian_relation_unique"),
            models.CheckConstraint(condition=~models.Q(child=models.F("guardian")), name="guardian_not_self"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        errors = {}
        for field in ("child", "guardian"):
            person = getattr(self, field, None) if getattr(self, f"{field}_id") else None
            if person is not None and person.centre_id != self.centre_id:
                errors[field] = _("This record belongs to another centre.")
        if self.child_id and self.child_id == self.guardian_id:
            errors["guardian"] = _("A person cannot be their own guardian.")
        if errors:
            raise ValidationError(errors)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Consent(CentreOwnedModel, TimeStampedModel):
    """The legal basis on which the centre processes a person's data for one purpose."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person"))
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=32, choices=LegalBasis.choices)
    given_on = models.DateField(_("given or established on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("consent or legal basis")
        verbose_name_plural = _("consents and legal bases")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="one_active_basis_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.get_legal_basis_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

    def clean(self) -> None:
        errors = {}
        if self.person_id and self.person.centre_id != self.centre_id:
            errors["person"] = _("This record belongs to another centre.")
        if self.given_on and self.given_on > timezone.localdate():
            errors["given_on"] = _("This date lies in the future.")
        if self.given_on and self.withdrawn_on and self.withdrawn_on < self.given_on:
            errors["withdrawn_on"] = _("The withdrawal cannot be before the consent was given.")
        if errors:
            raise ValidationError(errors)


class ErasureReason(models.TextChoices):
    REQUEST = "request", _("the person asked for erasure (GDPR Art. 17(1))")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("consent withdrawn, no other legal basis (GDPR Art. 17(1)(b))")
    NO_LONGER_NEEDED = "no_longer_needed", _("no longer needed for its purpose (GDPR Art. 17(1)(a))")
    UNLAWFUL = "unlawful", _("processed unlawfully (GDPR Art. 17(1)(d))")


class Erasure(CentreOwnedModel):
    """The audit entry of one erasure on request (ankommen/people/erasure.py): when, by whom, why and how many rows
    of which kind went. It names no one, not even by the erased person's key."""

    at = models.DateTimeField(_("erased at"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("erased by")
    )
    reason = models.CharField(_("reason"), max_length=32, choices=ErasureReason.choices)
    rows = models.JSONField(_("deleted rows by kind"), default=dict)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-at"]
        triggers = [pgtrigger.Protect(name="erasure_append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.reason}"
