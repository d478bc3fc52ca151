"""Background jobs of the schooling module."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from procrastinate.contrib.django import app

from ankommen.core.row_level_security import centre_scope
from ankommen.schooling import selectors
from ankommen.schooling.models import WaitingAlert


def waiting_alert_send(*, today: datetime.date | None = None) -> int:
    """Mail each centre's leads how many children wait longer than the limit. Counts only, no names.

    Once per centre and day: the mail and its WaitingAlert row are one transaction, and the row is unique per centre
    and day, so a job run again after its worker died (or twice at once) mails only the centres it had not reached.
    """
    today = today or timezone.localdate()
    counts = selectors.over_limit_counts(today=today)
    addresses = selectors.lead_addresses(centre_ids=counts)
    limit = selectors.waiting_limit_days()
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('schooling:intake_list')}?over_limit=on"
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for centre_id, count in sorted(counts.items()):
            recipients = addresses.get(centre_id)
            if not recipients:
                continue
            with centre_scope(centre_id), transaction.atomic():
                _alert, created = WaitingAlert.objects.dangerously_unscoped().get_or_create(
                    centre_id=centre_id, sent_on=today, defaults={"children": count}
                )
                if not created:
                    continue  # mailed today already
                body = ngettext(
                    "%(count)d child has been waiting longer than %(limit)d days for a school place.",
                    "%(count)d children have been waiting longer than %(limit)d days for a school place.",
                    count,
                ) % {"count": count, "limit": limit}
                link_intro = _("The list, after logging in:")
                send_mail(
                    subject=_("Ankommen: children waiting too long for a school place"),
                    message=f"{body}\n\n{link_intro} {link}\n",
                    from_email=None,
                    recipient_list=recipients,
                )
            sent += 1
    return sent


@app.periodic(cron="30 6 * * 1-5", periodic_id="schooling_waiting_alert")
@app.task(queue="notifications", queueing_lock="schooling_waiting_alert")
def waiting_alert(timestamp: int) -> int:
    """On working-day mornings: the leads learn how many children have waited too long, before their day starts."""
    return waiting_alert_send()
