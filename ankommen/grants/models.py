"""Programme funds of the state (KOMM-AN NRW and others) and the grants a centre passes on to local organisations.

The state sets a programme's budget per year and allocates it to the centres; a centre grants from its allocation
to organisations of its network, pays in instalments and checks the proof of use (Verwendungsnachweis). Budgets
and allocations are figures; grants name a contact person of the organisation and are personal data of the centre.
"""

from __future__ import annotations

from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import TimeStampedModel
from ankommen.core.scoping import CentreOwnedModel

CENT = Decimal("0.01")


class Programme(models.Model):
    """A state funding programme. Not centre-owned: every centre and the state see the same programmes."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ProgrammeBudget(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("budget (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("programme budget")
        verbose_name_plural = _("programme budgets")
        ordering = ["programme", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="grants_budget_one_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="grants_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Allocation(CentreOwnedModel, TimeStampedModel):
    """The part of a programme's yearly budget the state gives a centre to pass on."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("allocation (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["programme", "-year", "centre"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "centre"], name="grants_allocation_one_per_centre"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="grants_allocation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"


class GrantStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class ProofStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted, to be checked")
    QUESTIONS = "questions", _("questions to the organisation")
    ACCEPTED = "accepted", _("accepted")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Grant(CentreOwnedModel, TimeStampedModel):
    """An organisation's application for programme funds and the centre's decision on it."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="grants", verbose_name=_("programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="grants", verbose_name=_("organisation")
    )
    title = models.CharField(_("project"), max_length=200)
    description = models.TextField(_("what the funds are for"), max_length=5000)
    requested_amount = models.DecimalField(
        _("requested amount (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(CENT)]
    )
    # Personal data: the organisation's contact person for this application.
    contact_name = models.CharField(_("contact person"), max_length=160)
    contact_email = models.EmailField(_("contact e-mail address"))
    applied_on = models.DateField(_("applied on"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    status = models.CharField(_("status"), max_length=16, choices=GrantStatus.choices, default=GrantStatus.APPLIED)
    approved_amount = models.DecimalField(
        _("approved amount (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decision_reason = models.TextField(_("reason"), blank=True, max_length=5000)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    proof_due_on = models.DateField(_("proof of use due on"), null=True, blank=True)
    # One reminder per stage, each sent once by the periodic job.
    proof_reminder_sent_at = models.DateTimeField(_("reminder before the due date sent"), null=True, blank=True)
    proof_overdue_sent_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(requested_amount__gt=0), name="grants_grant_requested_positive"),
            models.CheckConstraint(
                name="grants_grant_decision_complete",
                condition=models.Q(status=GrantStatus.APPLIED, approved_amount__isnull=True)
                | models.Q(
                    status=GrantStatus.APPROVED,
                    approved_amount__gt=0,
                    approved_amount__lte=models.F("requested_amount"),
                    proof_due_on__isnull=False,
                )
                | (models.Q(status=GrantStatus.REJECTED, approved_amount__isnull=True) & ~models.Q(decision_reason="")),
            ),
        ]
        indexes = [models.Index(fields=["centre", "programme", "year"])]

    def __str__(self) -> str:
        return f"{self.pk} {self.title}"

    @property
    def number(self) -> str:
        return f"{self.year}-{self.pk:05d}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Payment(CentreOwnedModel):
    """One instalment paid out on an approved grant."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="payments", verbose_name=_("grant"))
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(CENT)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="grants_payment_positive")]
        triggers = [
            # The service locks the grant and checks; this is the database's own guard for every other writer.
            # It takes the same lock, so two concurrent inserts cannot both see the old sum.
            pgtrigger.Trigger(
                name="payments_within_approved_amount",
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
                DECLARE
                    approved numeric;
                    paid numeric;
                BEGIN
                    SELECT approved_amount INTO approved FROM grants_grant WHERE id = NEW.grant_id FOR UPDATE;
                    SELECT coalesce(sum(amount), 0) INTO paid FROM grants_payment WHERE grant_id = NEW.grant_id;
                    IF approved IS NULL OR paid > approved THEN
                        RAISE EXCEPTION 'payments of grant % exceed its approved amount', NEW.grant_id
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NULL;
                END;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant_id} {self.amount}"


# The attached file stays out of the history rows: each change would copy it again.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), exclude=["attachment"])
class ProofOfUse(CentreOwnedModel, TimeStampedModel):
    """The organisation's account of how it used the funds (Verwendungsnachweis), and the centre's check."""

    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="proof", verbose_name=_("grant"))
    report = models.TextField(_("report on the use of the funds"), max_length=10000)
    spent_amount = models.DecimalField(
        _("amount spent (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    submitted_on = models.DateField(_("submitted on"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    # Optional receipts or documents: one file (PDF, PNG or JPEG), kept in the database with the proof.
    attachment = models.BinaryField(_("attachment"), null=True, blank=True, editable=False)
    attachment_name = models.CharField(_("file name"), max_length=120, blank=True)
    attachment_type = models.CharField(_("file type"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProofStatus.choices, default=ProofStatus.SUBMITTED)
    check_note = models.TextField(_("questions or note of the check"), blank=True, max_length=5000)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )

    class Meta:
        verbose_name = _("proof of use")
        verbose_name_plural = _("proofs of use")
        ordering = ["-submitted_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(spent_amount__gte=0), name="grants_proof_spent_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(status=ProofStatus.QUESTIONS, check_note=""), name="grants_proof_questions_asked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant_id} {self.status}"
