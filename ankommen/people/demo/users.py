"""Demo logins for every role, and one case worker per centre who records the demo consents."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from ankommen.accounts.models import Membership, Role, User
from ankommen.regions.models import Centre, School, SchoolForm

DEMO_PASSWORD = "Ankommen-Demo-2026!"  # noqa: S105 (published demo password, printed by make run)
DEMO_DOMAIN = "demo.ankommen.nrw"
# Köln, Dortmund and the city of Aachen: a big city, a Ruhr city, and the centre that shares its district.
DEMO_CENTRE_SLUGS = ("koeln", "dortmund", "stadt-aachen")
SCHOOL_CONTACT_CENTRE = "koeln"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: Role
    centre: Centre | None = None
    school: School | None = None


class DemoPassword:
    """Hashes the demo password once per run: Argon2 takes half a second per hash on purpose."""

    def __init__(self) -> None:
        self._hash: str | None = None

    @property
    def hash(self) -> str:
        if self._hash is None:
            self._hash = make_password(DEMO_PASSWORD)
        return self._hash


def demo_email(local: str, centre: Centre | None = None) -> str:
    return f"{local}.{centre.slug}@{DEMO_DOMAIN}" if centre else f"{local}@{DEMO_DOMAIN}"


def _place(centre: Centre) -> str:
    return centre.name.removeprefix("Kommunales Integrationszentrum ").strip()


def _school_for_contact(centre: Centre) -> School | None:
    schools = School.objects.filter(municipality__centre=centre).order_by("number")
    return schools.filter(form=SchoolForm.GESAMTSCHULE).first() or schools.first()


def demo_accounts(centres: dict[str, Centre]) -> list[DemoAccount]:
    accounts: list[DemoAccount] = []
    for slug in DEMO_CENTRE_SLUGS:
        centre = centres.get(slug)
        if centre is None:
            continue
        place = _place(centre)
        accounts += [
            DemoAccount(demo_email("lead", centre), f"Leitung KI {place}", Role.CENTRE_LEAD, centre),
            DemoAccount(demo_email("staff1", centre), f"Fachkraft 1 KI {place}", Role.CENTRE_STAFF, centre),
            DemoAccount(demo_email("staff2", centre), f"Fachkraft 2 KI {place}", Role.CENTRE_STAFF, centre),
            DemoAccount(demo_email("teacher", centre), f"Lehrkraft KI {place}", Role.CENTRE_TEACHER, centre),
        ]
    home = centres.get(SCHOOL_CONTACT_CENTRE)
    if home is not None:
        school = _school_for_contact(home)
        if school is not None:
            accounts.append(
                DemoAccount(
                    demo_email("school", home), f"Sekretariat {school.name}"[:150], Role.SCHOOL_CONTACT, school=school
                )
            )
        accounts += [
            DemoAccount(demo_email("volunteer", home), "Ehrenamt Köln", Role.VOLUNTEER, home),
            DemoAccount(demo_email("employer", home), "Ausbildungsbetrieb Köln", Role.EMPLOYER_CONTACT, home),
            DemoAccount(demo_email("partner", home), "Beratungsstelle Köln", Role.PARTNER_CONTACT, home),
        ]
    accounts += [
        DemoAccount(demo_email("analyst"), "Landesauswertung NRW", Role.STATE_ANALYST),
        DemoAccount(demo_email("researcher"), "Evaluation KI NRW", Role.RESEARCHER),
    ]
    return accounts


@transaction.atomic
def demo_account_ensure(*, account: DemoAccount, password: DemoPassword) -> Membership:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User.objects.create_user(account.email, None, display_name=account.display_name)
        user.password = password.hash
        user.save(update_fields=["password"])
    membership = Membership.objects.filter(
        user=user, role=account.role, centre=account.centre, school=account.school
    ).first()
    if membership is None:
        membership = Membership(user=user, role=account.role, centre=account.centre, school=account.school)
        membership.full_clean()
        membership.save()
    return membership


def demo_users_ensure(*, centres: list[Centre], password: DemoPassword | None = None) -> list[Membership]:
    """The named demo logins, plus `staff1.<centre>` in every centre (it records the consents)."""
    password = password or DemoPassword()
    by_slug = {centre.slug: centre for centre in centres}
    accounts = demo_accounts(by_slug)
    named = {account.email for account in accounts}
    accounts += [
        DemoAccount(demo_email("staff1", centre), f"Fachkraft 1 KI {_place(centre)}", Role.CENTRE_STAFF, centre)
        for centre in centres
        if demo_email("staff1", centre) not in named
    ]
    return [demo_account_ensure(account=account, password=password) for account in accounts]


def centre_recorders(centres: list[Centre]) -> dict[int, int]:
    """Centre id -> id of the staff user who records that centre's demo consents."""
    emails = {demo_email("staff1", centre): centre.pk for centre in centres}
    return {
        emails[email]: user_id for email, user_id in User.objects.filter(email__in=emails).values_list("email", "id")
    }
