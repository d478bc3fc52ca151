from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ankommen.accounts.models import Membership
from ankommen.people.demo.users import DEMO_CENTRE_SLUGS, DEMO_DOMAIN, DEMO_PASSWORD

# Every centre has a case worker staff1.<centre>; listing all 54 would bury the interesting logins.
_LISTED_STAFF1 = {f"staff1.{slug}@{DEMO_DOMAIN}" for slug in DEMO_CENTRE_SLUGS}


class Command(BaseCommand):
    help = "Prints the demo logins (e-mail, role, centre or school, password)."

    def handle(self, *args: Any, **options: Any) -> None:
        memberships = [
            membership
            for membership in Membership.objects.filter(user__email__endswith=f"@{DEMO_DOMAIN}", is_active=True)
            .select_related("user", "centre", "school")
            .order_by("centre__name", "role", "user__email")
            if not membership.user.email.startswith("staff1.") or membership.user.email in _LISTED_STAFF1
        ]
        if not memberships:
            self.stdout.write("No demo logins yet: run manage.py seed_demo first.")
            return
        rows = [("E-mail", "Role", "Centre / school", "Password")]
        rows += [
            (
                membership.user.email,
                str(membership.get_role_display()),
                str(membership.centre or membership.school or "NRW"),
                DEMO_PASSWORD,
            )
            for membership in memberships
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        rule = "+-" + "-+-".join("-" * width for width in widths) + "-+"
        self.stdout.write(rule)
        for index, row in enumerate(rows):
            self.stdout.write(
                "| " + " | ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)) + " |"
            )
            if index == 0:
                self.stdout.write(rule)
        self.stdout.write(rule)
        self.stdout.write(
            f"Every other centre has a case worker too: staff1.<centre>@{DEMO_DOMAIN} (e.g. staff1.essen@…), "
            "same password."
        )
        self.stdout.write(
            "In the embedded demo (make run) the second factor is off, unless ANKOMMEN_REQUIRE_SECOND_FACTOR=true; "
            "with it on, staff, state and research roles set up an authenticator app at their first login."
        )
