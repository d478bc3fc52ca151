"""Security headers on every page: CSP with a nonce, no-store behind the login, cookie flags, production settings.

The page walk reuses the permission matrix (`tests/test_permission_matrix.py`): its rows name every URL of the
resolver with the objects its arguments need, so a new page is walked as soon as it has its row there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from ankommen.accounts.models import Role
from ankommen.accounts.services import api_token_create
from ankommen.accounts.tests.factories import MembershipFactory, UserFactory
from ankommen.accounts.tests.helpers import attempt_login
from tests.test_permission_matrix import API_ROUTES, ROUTES, _member, world  # noqa: F401 (world: the fixture)

pytestmark = pytest.mark.django_db

BASE_DIR = settings.BASE_DIR
NONCE_IN_POLICY = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


def policy_problems(response) -> list[str]:
    """What is wrong with the Content-Security-Policy of an HTML answer (an empty list: nothing)."""
    policy = response.headers.get("Content-Security-Policy", "")
    if not policy:
        return ["no Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    problems = [f"{name} allows unsafe sources" for name, values in directives.items() if "'unsafe-inline'" in values]
    problems += [f"{name} allows eval" for name, values in directives.items() if "'unsafe-eval'" in values]
    for directive in ("script-src", "style-src"):
        if "'self'" not in directives.get(directive, []):
            problems.append(f"{directive} does not name 'self'")
    if directives.get("frame-ancestors") != ["'none'"] or directives.get("object-src") != ["'none'"]:
        problems.append("frames or plugins are allowed")
    content = response.content.decode(errors="ignore")
    if "<script" in content:
        nonces = set(NONCE_IN_POLICY.findall(policy))
        if len(nonces) != 1:
            problems.append(f"not one nonce in the policy: {policy}")
        else:
            nonce = nonces.pop()
            for tag in re.findall(r"<script\b[^>]*>", content):
                if f'nonce="{nonce}"' not in tag:
                    problems.append(f"a script without this answer's nonce: {tag}")
            if f'"inlineStyleNonce": "{nonce}"' not in content:
                problems.append("htmx does not know the nonce for its indicator styles")
    return problems


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def stored_anywhere(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return not {"no-store", "private"} <= directives


# Every role whose pages differ: centre staff and teachers see a part of the lead's pages (the matrix proves which).
ROLES = [role for role in Role if role not in {Role.CENTRE_STAFF, Role.CENTRE_TEACHER}]


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value)
def test_every_page_behind_the_login_is_never_stored_and_carries_a_strict_policy(world, login, role):  # noqa: F811
    user, _membership = _member(role, world.centre)
    client = login(user)
    failures = []
    html_answers = 0
    for name, route in ROUTES.items():
        if not route.get_allowed:
            continue
        response = client.get(reverse(name, kwargs=route.kwargs(world) if route.kwargs else None))
        if stored_anywhere(response):
            failures.append(f"{name} ({response.status_code}): Cache-Control {response.get('Cache-Control')!r}")
        if is_html(response):
            html_answers += 1
            failures += [f"{name} ({response.status_code}): {problem}" for problem in policy_problems(response)]
    assert html_answers > 10, "the walk reached too few pages to prove anything"
    assert not failures, "\n".join(failures)


def test_public_pages_carry_a_strict_policy_and_may_be_stored(world, client):  # noqa: F811
    checked = 0
    for path in ["/", "/quellen/", "/barrierefreiheit/", "/gibt-es-nicht/", reverse("accounts:login")]:
        response = client.get(path)
        assert is_html(response), path
        assert not policy_problems(response), (path, policy_problems(response))
        checked += 1
    # The public landing page holds nothing personal: browsers may keep it (no no-store forced on anonymous pages).
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    assert checked == 5


def test_each_answer_has_a_nonce_of_its_own(staff_client):
    nonces = [
        NONCE_IN_POLICY.findall(staff_client.get("/").headers["Content-Security-Policy"])[0] for _round in range(3)
    ]
    assert len(set(nonces)) == 3


def test_the_django_admin_is_never_stored(login):
    operator = UserFactory(is_staff=True, is_superuser=True)
    client = login(operator)
    for url in ["/admin/", "/admin/people/person/", "/admin/accounts/user/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not stored_anywhere(response), (url, response.get("Cache-Control"))
        assert "Content-Security-Policy" in response.headers, url


@pytest.mark.parametrize("role", [Role.CENTRE_STAFF, Role.STATE_ANALYST], ids=lambda role: role.value)
def test_api_answers_to_a_token_are_never_stored(world, role):  # noqa: F811
    _user, membership = _member(role, world.centre)
    _token, secret = api_token_create(membership=membership, name="headers", expires_in_days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    checked = 0
    for (method, _template), route in API_ROUTES.items():
        if method != "get":
            continue
        response = client.get(route.path(world))
        assert not stored_anywhere(response), (route.path(world), response.status_code, response.get("Cache-Control"))
        checked += 1
    assert checked > 5


def test_a_logged_out_browser_is_told_not_to_keep_the_logout_answer(login, staff):
    client = login(staff)
    response = client.post(reverse("accounts:logout"))
    assert not stored_anywhere(response)


@override_settings(
    SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True, LANGUAGE_COOKIE_SECURE=True, SECURE_SSL_REDIRECT=False
)
def test_every_cookie_is_secure_http_only_and_same_site():
    user = UserFactory()
    MembershipFactory(user=user, role=Role.VOLUNTEER)
    client = Client(enforce_csrf_checks=False)
    cookies = SimpleCookie()
    cookies.update(client.get(reverse("accounts:login")).cookies)
    cookies.update(attempt_login(client, user.email).cookies)
    cookies.update(client.post(reverse("set_language"), {"language": "en", "next": "/"}).cookies)
    names = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    assert names <= set(cookies), sorted(cookies)
    for name, morsel in cookies.items():
        assert morsel["secure"], f"{name} is sent over plain HTTP"
        assert morsel["httponly"], f"{name} is readable by scripts"
        assert morsel["samesite"] == "Lax", f"{name}: SameSite={morsel['samesite']!r}"


def production_environment() -> dict[str, str]:
    from cryptography.fernet import Fernet

    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "ANKOMMEN_", "DATABASE"))
    }
    environment.update(
        DATABASE_URL="postgresql://ankommen@db.example.org:5432/ankommen",
        DJANGO_SECRET_KEY="production-like-" + "k3y" * 20,
        DJANGO_ALLOWED_HOSTS="ankommen.example.org",
        ANKOMMEN_FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return environment


def test_production_settings_pass_the_deployment_checks_and_set_every_flag():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE)"
    )
    environment = production_environment()
    flags = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=BASE_DIR, env=environment, capture_output=True, text=True, check=True
    )
    assert flags.stdout.split() == ["31536000", "True", "True", "True", "True", "True"]
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
