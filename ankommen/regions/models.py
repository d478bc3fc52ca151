"""Public reference data: districts, municipalities, the 54 centres, schools, postcodes, occupations."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    CITY = "city", _("district-free city")
    DISTRICT = "district", _("district")
    CITY_REGION = "city_region", _("city region")


class Region(models.Model):
    """One of the 53 districts (Kreise and kreisfreie Städte) of NRW."""

    key = models.CharField(_("official key"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=RegionKind.choices)
    administrative_region = models.CharField(_("administrative region"), max_length=60)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=8, decimal_places=2)
    population = models.PositiveIntegerField(_("population"))
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Centre(models.Model):
    """A Kommunales Integrationszentrum: the tenant of Ankommen."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=160)
    operator = models.CharField(_("operator"), max_length=160)
    operator_kind = models.CharField(_("kind of operator"), max_length=60)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="centres", verbose_name=_("district"))
    population_served = models.PositiveIntegerField(_("inhabitants served"))
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("integration centre")
        verbose_name_plural = _("integration centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    key = models.CharField(_("official key"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("district")
    )
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("integration centre")
    )
    kind = models.CharField(_("kind"), max_length=60)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=8, decimal_places=2)
    population = models.PositiveIntegerField(_("population"))
    postcode = models.CharField(_("postcode of the town hall"), max_length=5)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    code = models.CharField(_("postcode"), max_length=5, unique=True)
    places = models.CharField(_("places"), max_length=255)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="postcodes", verbose_name=_("district"))
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class SchoolForm(models.TextChoices):
    PRIMARY = "Grundschule", _("primary school")
    HAUPTSCHULE = "Hauptschule", _("Hauptschule")
    REALSCHULE = "Realschule", _("Realschule")
    SEKUNDARSCHULE = "Sekundarschule", _("Sekundarschule")
    GESAMTSCHULE = "Gesamtschule", _("comprehensive school")
    GYMNASIUM = "Gymnasium", _("Gymnasium")
    BERUFSKOLLEG = "Berufskolleg", _("vocational college")
    FOERDERSCHULE = "Förderschule", _("special needs school")
    OTHER = "Sonstige", _("other")


class School(models.Model):
    number = models.CharField(_("school number"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=255)
    form = models.CharField(_("school form"), max_length=32, choices=SchoolForm.choices, db_index=True)
    form_label = models.CharField(_("school form as published"), max_length=80)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="schools", verbose_name=_("municipality")
    )
    street = models.CharField(_("street"), max_length=160)
    postcode = models.CharField(_("postcode"), max_length=5)
    place = models.CharField(_("place"), max_length=120)
    is_public = models.BooleanField(_("public school"))
    pupils = models.PositiveIntegerField(_("pupils"), null=True)
    social_index = models.PositiveSmallIntegerField(_("social index"), null=True)
    is_startchancen = models.BooleanField(_("Startchancen school"), default=False)
    latitude = models.FloatField(_("latitude"), null=True)
    longitude = models.FloatField(_("longitude"), null=True)
    coordinates_source = models.CharField(_("source of the coordinates"), max_length=120)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        indexes = [GinIndex(fields=["name"], name="school_name_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self) -> str:
        return self.name


class IscoGroup(models.Model):
    code = models.CharField(_("ISCO-08 code"), max_length=4, unique=True)
    label = models.CharField(_("label"), max_length=255)

    class Meta:
        verbose_name = _("ISCO group")
        verbose_name_plural = _("ISCO groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class Occupation(models.Model):
    uri = models.URLField(_("ESCO URI"), max_length=200, unique=True)
    isco_code = models.CharField(_("ISCO-08 code"), max_length=4, db_index=True)
    label = models.CharField(_("label"), max_length=255)
    alternative_labels = models.TextField(_("synonyms"), blank=True)
    definition = models.TextField(_("definition"), blank=True)

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label
