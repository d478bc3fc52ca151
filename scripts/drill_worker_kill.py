"""`make drill-worker-kill`: a worker killed mid-job, in real time: how long until the job has run again, and once.

The test (`tests/faults/test_worker_killed.py`) sets the dead worker's heartbeat into the past to stay fast; this
drill waits for real. On the drill's own embedded PostgreSQL (`var/drill-pgdata`, shared with `make
drill-restart`): worker A runs the waiting alert for two centres until it waits for a lock the drill holds on the
second centre (the first centre's mail is out and committed), and is killed with SIGKILL. Worker B, started as
in production (with the periodic deferrer, so `jobs_retry_stalled` runs every minute), finds the job once A has
been silent for 60 s and runs it again. Measured: the seconds from the kill to the job's success, and the mails
per lead (exactly one each). Result to stdout and `var/drill-worker-kill.json`.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from drill_restart import connection_settings, drill_server  # noqa: E402 - the drill's own database

LEADS = ("drill-lead-1@ankommen.invalid", "drill-lead-2@ankommen.invalid")


def main() -> int:
    server = drill_server()
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.process_settings"
    os.environ["ANKOMMEN_TEST_DATABASE"] = json.dumps(connection_settings(server))
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    mail_dir = BASE_DIR / "var" / "drill-worker-kill-mails"
    mail_dir.mkdir(parents=True, exist_ok=True)
    for old in mail_dir.glob("*.log"):
        old.unlink()
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from procrastinate.contrib.django.models import ProcrastinateJob

    from ankommen.accounts.models import Membership, Role
    from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
    from ankommen.people.tests.factories import PersonFactory
    from ankommen.regions.tests.factories import CentreFactory
    from ankommen.schooling.models import IntakeStatus, WaitingAlert
    from ankommen.schooling.tasks import waiting_alert
    from ankommen.schooling.tests.factories import IntakeFactory
    from tests.faults import processes

    call_command("migrate", "--no-input", verbosity=0)
    centres = []
    for number, email in enumerate(LEADS, start=1):
        membership = Membership.objects.filter(user__email=email).select_related("centre").first()
        if membership is None:  # the first run; later runs reuse the data
            centre = CentreFactory(slug=f"drill-centre-{number}")
            MembershipFactory(user=UserFactory(email=email), role=Role.CENTRE_LEAD, centre=centre)
            IntakeFactory(
                child=PersonFactory(centre=centre),
                status=IntakeStatus.REGISTERED,
                registered_on=timezone.localdate() - datetime.timedelta(days=60),
            )
            membership = Membership.objects.select_related("centre").get(user__email=email)
        assert membership.centre is not None
        centres.append(membership.centre)
    centres.sort(key=lambda centre: centre.pk)  # the job mails the centres in this order
    processes.truncate_queue()
    with processes.connect() as database:
        database.execute("DELETE FROM schooling_waitingalert")  # today's alerts of an earlier drill
    log = BASE_DIR / "var" / "drill-worker-kill.log"
    log.unlink(missing_ok=True)

    job_id = waiting_alert.defer(timestamp=0)  # type: ignore[call-arg]  # periodic tasks take the time
    with processes.connect(autocommit=False) as blocker, processes.connect() as watcher:
        blocker.execute(
            "INSERT INTO schooling_waitingalert (centre_id, sent_on, children) VALUES (%s, %s, 1)",
            [centres[1].pk, timezone.localdate()],
        )
        with processes.worker(log=log, mail_dir=mail_dir) as worker_a:
            processes.backend_waiting_for_a_lock(watcher, timeout=600)
            worker_a.kill()
            killed = time.monotonic()
            worker_a.wait()
        last_heartbeat_age = watcher.execute(
            "SELECT extract(epoch FROM now() - max(last_heartbeat)) FROM procrastinate_workers"
        ).fetchone()
        blocker.rollback()
    mails_after_the_kill = len(processes.mails(mail_dir))
    with processes.worker(log=log, mail_dir=mail_dir):
        processes.wait_for(
            lambda: ProcrastinateJob.objects.get(pk=job_id).status in {"succeeded", "failed"},
            timeout=600,
            interval=0.5,
            what="the job to run again",
        )
        done = time.monotonic()
    job = ProcrastinateJob.objects.get(pk=job_id)
    recipients = sorted(str(message["To"]) for message in processes.mails(mail_dir))
    summary = {
        "job": "schooling.waiting_alert for 2 centres",
        "mails_when_killed": mails_after_the_kill,
        "heartbeat_age_at_kill_seconds": round(float(last_heartbeat_age[0]), 1) if last_heartbeat_age else None,
        "seconds_from_kill_to_success": round(done - killed, 1),
        "job_status": job.status,
        "attempts": job.attempts,
        "mails_per_lead": {email: recipients.count(email) for email in LEADS},
        "waiting_alerts": WaitingAlert.objects.dangerously_unscoped().count(),
    }
    (BASE_DIR / "var" / "drill-worker-kill.json").write_text(json.dumps(summary, indent=1) + "\n")
    width = max(len(key) for key in summary)
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")
    passed = job.status == "succeeded" and all(recipients.count(email) == 1 for email in LEADS)
    print("PASSED: the job ran again, every lead has exactly one mail" if passed else "FAILED: see above")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
