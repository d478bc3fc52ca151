"""`manage.py jobs_worker`: the procrastinate worker of `make run` and production, which outlives database restarts."""

from __future__ import annotations

import asyncio
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector

from ankommen.core.jobs_worker import run_until_stopped


class Command(BaseCommand):
    help = (
        "Run procrastinate's job worker; when the database goes away (a restart, a failover) start a new one in the "
        "same process as soon as it is back. SIGTERM or SIGINT stop it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queues", default="", help="comma-separated queues to work on (default: all)")
        parser.add_argument("--concurrency", type=int, default=1, help="jobs at once (default: 1)")
        parser.add_argument("--one-shot", action="store_true", help="run what is due, then stop")

    def handle(self, *args: Any, queues: str, concurrency: int, one_shot: bool, **options: Any) -> None:
        queue_names = [name.strip() for name in queues.split(",") if name.strip()] or None
        connector = app.connector
        assert isinstance(connector, DjangoConnector)
        # The worker's own psycopg connections, as `manage.py procrastinate worker` uses, not Django's.
        with app.replace_connector(connector.get_worker_connector()) as worker_app:
            asyncio.run(run_until_stopped(worker_app, queues=queue_names, concurrency=concurrency, wait=not one_shot))
