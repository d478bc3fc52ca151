"""Background jobs of the work module."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from procrastinate.contrib.django import app

from ankommen.accounts.models import Membership, Role
from ankommen.core.row_level_security import centre_scope
from ankommen.work.models import Application, Stage


def _staff_addresses(centre_ids: list[int]) -> dict[int, list[str]]:
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


def follow_up_reminders_send() -> int:
    """Mail each centre's lead and staff once about six-month follow-ups that have fallen due: the application
    numbers only, no names.

    One transaction per centre, which locks the centre's due applications, mails and marks them: a job killed
    between two centres and run again mails only the centres it had not reached, and two runs at once never mail
    the same application twice (the second waits for the first's lock and then finds them marked)."""
    today = timezone.localdate()
    due = Application.objects.dangerously_unscoped().filter(
        stage=Stage.CONTRACT,
        follow_up_due__lte=today,
        follow_up_reminded_at__isnull=True,
        still_employed__isnull=True,
    )
    centre_ids = sorted(set(due.values_list("centre_id", flat=True)))
    addresses = _staff_addresses(centre_ids)
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('work:application_list')}"
    sent = 0
    for centre_id in centre_ids:
        recipients = addresses.get(centre_id)
        if not recipients:
            continue  # no one to tell yet: try again on the next run
        with centre_scope(centre_id), transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            ids = list(
                due.filter(centre_id=centre_id)
                .select_for_update()
                .order_by("follow_up_due", "pk")
                .values_list("pk", flat=True)
            )
            if not ids:
                continue  # marked by another run meanwhile
            body = ngettext(
                "%(count)d six-month follow-up has fallen due: application %(ids)s.",
                "%(count)d six-month follow-ups have fallen due: applications %(ids)s.",
                len(ids),
            ) % {"count": len(ids), "ids": ", ".join(f"Nr. {pk}" for pk in ids)}
            link_intro = _("The list, after logging in:")
            Application.objects.dangerously_unscoped().filter(pk__in=ids).update(follow_up_reminded_at=timezone.now())
            send_mail(
                subject=_("Ankommen: six-month follow-ups are due"),
                message=f"{body}\n\n{link_intro} {link}\n",
                from_email=None,
                recipient_list=recipients,
            )
        sent += 1
    return sent


@app.periodic(cron="45 6 * * 1-5", periodic_id="work_follow_up_reminders")
@app.task(queue="notifications", queueing_lock="work_follow_up_reminders")
def follow_up_reminders(timestamp: int) -> int:
    """On working-day mornings: the centre learns which six-month follow-ups have become due, once each."""
    return follow_up_reminders_send()
