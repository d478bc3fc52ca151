"""Background jobs of the schooling module."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from procrastinate.contrib.django import app

from ankommen.schooling import selectors


def waiting_alert_send() -> int:
    """Mail each centre's leads how many children wait longer than the limit. Counts only, no names."""
    counts = selectors.over_limit_counts()
    addresses = selectors.lead_addresses(centre_ids=counts)
    limit = selectors.waiting_limit_days()
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('schooling:intake_list')}?over_limit=on"
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for centre_id, count in sorted(counts.items()):
            recipients = addresses.get(centre_id)
            if not recipients:
                continue
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
