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
    numbers only, no names. An application is marked in the same transaction, so it is never mailed twice."""
    today = timezone.localdate()
    sent = 0
    with transaction.atomic():
        due = list(
            Application.objects.dangerously_unscoped()
            .select_for_update(skip_locked=True)
            .filter(
                stage=Stage.CONTRACT,
                follow_up_due__lte=today,
                follow_up_reminded_at__isnull=True,
                still_employed__isnull=True,
            )
            .order_by("centre_id", "follow_up_due", "pk")
            .values_list("pk", "centre_id")
        )
        by_centre: dict[int, list[int]] = defaultdict(list)
        for pk, centre_id in due:
            by_centre[centre_id].append(pk)
        addresses = _staff_addresses(list(by_centre))
        link = f"{settings.SITE_URL.rstrip('/')}{reverse('work:application_list')}"
        reminded: list[int] = []
        with translation.override(settings.LANGUAGE_CODE):
            for centre_id, ids in sorted(by_centre.items()):
                recipients = addresses.get(centre_id)
                if not recipients:
                    continue  # no one to tell yet: try again on the next run
                body = ngettext(
                    "%(count)d six-month follow-up has fallen due: application %(ids)s.",
                    "%(count)d six-month follow-ups have fallen due: applications %(ids)s.",
                    len(ids),
                ) % {"count": len(ids), "ids": ", ".join(f"Nr. {pk}" for pk in ids)}
                link_intro = _("The list, after logging in:")
                send_mail(
                    subject=_("Ankommen: six-month follow-ups are due"),
                    message=f"{body}\n\n{link_intro} {link}\n",
                    from_email=None,
                    recipient_list=recipients,
                )
                reminded.extend(ids)
                sent += 1
        Application.objects.dangerously_unscoped().filter(pk__in=reminded).update(follow_up_reminded_at=timezone.now())
    return sent


@app.periodic(cron="45 6 * * 1-5", periodic_id="work_follow_up_reminders")
@app.task(queue="notifications", queueing_lock="work_follow_up_reminders")
def follow_up_reminders(timestamp: int) -> int:
    """On working-day mornings: the centre learns which six-month follow-ups have become due, once each."""
    return follow_up_reminders_send()
