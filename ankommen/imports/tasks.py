"""Background jobs of imports: the check (dry run), the commit, and dropping files left unwritten."""

from __future__ import annotations

from procrastinate.contrib.django import app


@app.task(queue="imports", name="imports.check")
def import_check_job(run_id: str) -> None:
    from ankommen.imports.services import import_check

    import_check(run_id=run_id)


@app.task(queue="imports", name="imports.commit")
def import_commit_job(run_id: str) -> None:
    from ankommen.imports.services import import_commit

    import_commit(run_id=run_id)


@app.periodic(cron="17 * * * *", periodic_id="imports_expire")
@app.task(queue="housekeeping", queueing_lock="imports_expire")
def imports_expire_job(timestamp: int) -> int:
    """Hourly: an upload is kept UPLOAD_HOURS hours at most while it waits to be imported."""
    from ankommen.imports.services import imports_expire

    return imports_expire()
