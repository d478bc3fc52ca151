"""Background jobs of the core. Later modules add their own `tasks.py` (retention, reminders) the same way."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone
from procrastinate.contrib.django import app


@app.periodic(cron="17 3 * * *", periodic_id="sessions_clear_expired")
@app.task(queue="housekeeping", queueing_lock="sessions_clear_expired")
def sessions_clear_expired(timestamp: int) -> int:
    """Nightly: expired sessions must not linger in the database (they name who was logged in, and when)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
