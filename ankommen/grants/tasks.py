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
    grants = list(
        Grant.objects.dangerously_unscoped()
        .select_for_update(skip_locked=True, of=("self",))
        .filter(
            _OUTSTANDING,
            proof_due_on__gte=today,
            proof_due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE_DUE),
            proof_reminder_sent_at__isnull=True,
        )
        .select_related("organisation", "centre")
        .order_by("proof_due_on", "pk")
    )
    for grant in grants:
        body = _(
            "Dear %(name)s,\n\nthe proof of use for the grant %(number)s (%(title)s) is due on %(due)s. "
            "Please submit it on Ankommen: a short report and the amount spent.\n\n%(link)s\n\n%(centre)s"
        ) % {
            "name": grant.contact_name,
            "number": grant.number,
            "title": grant.title,
            "due": grant.proof_due_on.strftime("%d.%m.%Y") if grant.proof_due_on else "",
            "link": _link("grants:partner_application_detail", grant_id=grant.pk),
            "centre": grant.centre.name,
        }
        send_mail(
            subject=_("Ankommen: the proof of use for %(number)s is due soon") % {"number": grant.number},
            message=body,
            from_email=None,
            recipient_list=[grant.contact_email],
        )
    Grant.objects.dangerously_unscoped().filter(pk__in=[g.pk for g in grants]).update(
        proof_reminder_sent_at=timezone.now()
    )
    return len(grants)


def _notify_centres(today: datetime.date) -> int:
    overdue = list(
        Grant.objects.dangerously_unscoped()
        .select_for_update(skip_locked=True, of=("self",))
        .filter(_OUTSTANDING, proof_due_on__lt=today, proof_overdue_sent_at__isnull=True)
        .select_related("organisation")
        .order_by("centre_id", "proof_due_on", "pk")
    )
    by_centre: dict[int, list[Grant]] = defaultdict(list)
    for grant in overdue:
        by_centre[grant.centre_id].append(grant)
    addresses = _centre_addresses(list(by_centre))
    notified: list[int] = []
    sent = 0
    for centre_id, grants in sorted(by_centre.items()):
        recipients = addresses.get(centre_id)
        if not recipients:
            continue  # no one to tell yet: the next run tries again
        lines = "\n".join(
            f"- {grant.number} {grant.organisation.name}: {grant.title} "
            + _("(due on %(due)s)") % {"due": grant.proof_due_on.strftime("%d.%m.%Y") if grant.proof_due_on else ""}
            for grant in grants
        )
        intro = _("These proofs of use are overdue:")
        send_mail(
            subject=_("Ankommen: proofs of use are overdue"),
            message=f"{intro}\n\n{lines}\n\n{_link('grants:grant_list')}\n",
            from_email=None,
            recipient_list=recipients,
        )
        notified.extend(grant.pk for grant in grants)
        sent += 1
    Grant.objects.dangerously_unscoped().filter(pk__in=notified).update(proof_overdue_sent_at=timezone.now())
    return sent


def proof_reminders_send(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Two stages, each mailed once per grant: the organisation's contact before the due date, the centre's lead
    and staff once it is overdue. Each grant is marked in the transaction that mails it. Returns the number of
    mails of each stage."""
    today = today or timezone.localdate()
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        reminded = _remind_organisations(today)
        notified = _notify_centres(today)
    return reminded, notified


@app.periodic(cron="30 6 * * *", periodic_id="grants_proof_reminders")
@app.task(queue="notifications", queueing_lock="grants_proof_reminders")
def proof_reminders(timestamp: int) -> int:
    """Every morning: reminders about proofs of use that fall due soon or are overdue."""
    reminded, notified = proof_reminders_send()
    return reminded + notified
