from __future__ import annotations

from procrastinate.contrib.django import app

from ankommen.accounts.services import login_failures_prune


@app.periodic(cron="23 * * * *", periodic_id="login_failures_prune")
@app.task(queue="housekeeping", queueing_lock="login_failures_prune")
def login_failures_prune_job(timestamp: int) -> int:
    """Hourly: failed-login records are kept only as long as the lock-out window needs them."""
    return login_failures_prune()
