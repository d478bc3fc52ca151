"""The locust users of `make bench-load` (benchmarks/load.py starts locust with this file; not run on its own).

Each user is a logged-in browser or API client of the benchmark database: `BENCH_LOAD_PLAN` names a JSON file with
the session cookies, the API token and the paths to ask for (benchmarks/load.py writes it). Between two requests a
user thinks for one to two seconds, as a person at a desk does.
"""

from __future__ import annotations

import json
import os
import random

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115


class CentreLeadUser(FastHttpUser):
    """The centre lead of the large demo centre: main pages, a person's page, and the API with a token."""

    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.page_headers = {"Cookie": f"sessionid={PLAN['lead_session']}"}
        self.api_headers = {"Authorization": f"Bearer {PLAN['token']}"}

    def _page(self, path: str, name: str) -> None:
        with self.client.get(path, headers=self.page_headers, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(3)
    def pages(self) -> None:
        name, path = random.choice(PLAN["pages"])
        self._page(path, name)

    @task(2)
    def person(self) -> None:
        self._page(random.choice(PLAN["person_pages"]), "person page")

    @task(3)
    def api(self) -> None:
        name, path = random.choice(PLAN["api"])
        if "{id}" in path:
            path = path.format(id=random.choice(PLAN["person_ids"]))
        with self.client.get(path, headers=self.api_headers, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


class AdminUser(FastHttpUser):
    """The baseline: an operator paging through the Django admin's person changelist, under the same load."""

    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.page_headers = {"Cookie": f"sessionid={PLAN['admin_session']}"}

    @task
    def changelist(self) -> None:
        path = PLAN["admin_changelist"] + f"?p={random.randint(1, 20)}"
        with self.client.get(path, headers=self.page_headers, name="admin changelist", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
