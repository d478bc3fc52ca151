"""Background jobs of reporting: reports and extracts prepared for the user who asked, and their deletion."""

from __future__ import annotations

from procrastinate.contrib.django import app


@app.task(queue="reports", name="reporting.prepare_file")
def prepare_file_job(file_id: str) -> None:
    """An annual report PDF or an evaluation extract asked for on a page (prepared_files.prepared_file_request)."""
    from ankommen.reporting.prepared_files import prepared_file_execute

    prepared_file_execute(file_id=file_id)


@app.periodic(cron="41 3 * * *", periodic_id="reporting_prepared_files_expire")
@app.task(queue="housekeeping", queueing_lock="reporting_prepared_files_expire")
def prepared_files_expire_job(timestamp: int) -> int:
    """Nightly: prepared files are kept for a week, then deleted."""
    from ankommen.reporting.prepared_files import prepared_files_expire

    return prepared_files_expire()
