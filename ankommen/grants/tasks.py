"""Background jobs of the grants module: reminders about proofs of use."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app

from ankommen.accounts.models import Membership, Role
from ankommen.grants.models import Grant, GrantStatus, ProofStatus

# The organisation is reminded this many days before its proof of use falls due.
REMINDER_DAYS_BEFORE_DUE = 14

_OUTSTANDING = Q(status=GrantStatus.APPROVED) & (Q(proof__isnull=True) | Q(proof__status=ProofStatus.QUESTIONS))


def _centre_addresses(centre_ids: list[int]) -> dict[int, list[str]]:
    addresses: dict[int, list[str]] = defaultdict(list)
    for centre_id, email in (
        Membership.objects.filter(
            centre_id__in=centre_ids,
            role__in=[Role.CENTRE_LEAD, Role.CENTRE_STAFF],
            is_active=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("centre_id", "user__email")
        .distinct()
    ):
        addresses[centre_id].append(email)
    return dict(addresses)


def _link(name: str, **kwargs: int) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse(name, kwargs=kwargs or None)}"


def _remind_organisations(today: datetime.date) -> int:
    due = Grant.objects.dangerously_unscoped().filter(
        _OUTSTANDING,
        proof_due_on__gte=today,
        proof_due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE_DUE),
        proof_reminder_sent_at__isnull=True,
    )
    sent = 0
    for grant_id in list(due.order_by("proof_due_on", "pk").values_list("pk", flat=True)):
        # Check and set, one grant at a time: locked, still unmarked, mailed and marked in one transaction.
        with transaction.atomic():
            claimed = (
                due.select_for_update(of=("self",)).select_related("organisation", "centre").filter(pk=grant_id).first()
            )
            if claimed is None:
                continue  # marked by another run meanwhile
            body = _(
                "Dear %(name)s,\n\nthe proof of use for the grant %(number)s (%(title)s) is due on %(due)s. "
                "Please submit it on Ankommen: a short report and the amount spent.\n\n%(link)s\n\n%(centre)s"
            ) % {
                "name": claimed.contact_name,
                "number": claimed.number,
                "title": claimed.title,
                "due": claimed.proof_due_on.strftime("%d.%m.%Y") if claimed.proof_due_on else "",
                "link": _link("grants:partner_application_detail", grant_id=claimed.pk),
                "centre": claimed.centre.name,
            }
            Grant.objects.dangerously_unscoped().filter(pk=claimed.pk).update(proof_reminder_sent_at=timezone.now())
            send_mail(
                subject=_("Ankommen: the proof of use for %(number)s is due soon") % {"number": claimed.number},
                message=body,
                from_email=None,
                recipient_list=[claimed.contact_email],
            )
        sent += 1
    return sent


def _notify_centres(today: datetime.date) -> int:
    overdue = Grant.objects.dangerously_unscoped().filter(
        _OUTSTANDING, proof_due_on__lt=today, proof_overdue_sent_at__isnull=True
    )
    centre_ids = sorted(set(overdue.values_list("centre_id", flat=True)))
    addresses = _centre_addresses(centre_ids)
    sent = 0
    for centre_id in centre_ids:
        recipients = addresses.get(centre_id)
        if not recipients:
            continue  # no one to tell yet: the next run tries again
        # Check and set, one centre at a time: its overdue grants locked, mailed and marked in one transaction.
        with transaction.atomic():
            grants = list(
                overdue.filter(centre_id=centre_id)
                .select_for_update(of=("self",))
                .select_related("organisation")
                .order_by("proof_due_on", "pk")
            )
            if not grants:
                continue  # marked by another run meanwhile
            lines = "\n".join(
                f"- {grant.number} {grant.organisation.name}: {grant.title} "
                + _("(due on %(due)s)") % {"due": grant.proof_due_on.strftime("%d.%m.%Y") if grant.proof_due_on else ""}
                for grant in grants
            )
            intro = _("These proofs of use are overdue:")
            Grant.objects.dangerously_unscoped().filter(pk__in=[grant.pk for grant in grants]).update(
                proof_overdue_sent_at=timezone.now()
            )
            send_mail(
                subject=_("Ankommen: proofs of use are overdue"),
                message=f"{intro}\n\n{lines}\n\n{_link('grants:grant_list')}\n",
                from_email=None,
                recipient_list=recipients,
            )
        sent += 1
    return sent


def proof_reminders_send(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Two stages, each mailed once per grant: the organisation's contact before the due date, the centre's lead
    and staff once it is overdue. Each grant is marked in the transaction that mails it, so a job killed halfway
    and run again mails only what it had not reached. Returns the number of mails of each stage."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        reminded = _remind_organisations(today)
        notified = _notify_centres(today)
    return reminded, notified


@app.periodic(cron="30 6 * * *", periodic_id="grants_proof_reminders")
@app.task(queue="notifications", queueing_lock="grants_proof_reminders")
def proof_reminders(timestamp: int) -> int:
    """Every morning: reminders about proofs of use that fall due soon or are overdue."""
    reminded, notified = proof_reminders_send()
    return reminded + notified
