"""The Content-Security-Policy forbids inline scripts and styles; the templates must not need them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ankommen.accounts.models import Role

ANKOMMEN = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ANKOMMEN.glob("*/templates/**/*.html"))
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)

pytestmark = pytest.mark.django_db


def assert_strict_policy(response) -> None:
    assert response["Content-Type"].startswith("text/html")
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"{response.wsgi_request.path} has no Content-Security-Policy"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "script-src 'self'" in policy


@pytest.mark.parametrize("path", ["/", "/quellen/", "/barrierefreiheit/", "/gibt-es-nicht/"])
def test_public_pages_carry_a_strict_policy(client, path):
    assert_strict_policy(client.get(path))


@pytest.mark.parametrize("role", [Role.CENTRE_LEAD, Role.CENTRE_STAFF, Role.STATE_ANALYST, Role.VOLUNTEER])
def test_start_page_of_every_role_carries_a_strict_policy(login, make_member, centre, role):
    scope = {} if role == Role.STATE_ANALYST else {"centre": centre}
    response = login(make_member(role, **scope)).get("/")
    assert response.status_code == 200
    assert_strict_policy(response)


def test_there_are_templates_to_scan():
    assert any(path.name == "base.html" for path in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ANKOMMEN)))
def test_template_has_no_inline_style_or_script(path):
    text = path.read_text(encoding="utf-8")
    assert 'style="' not in text.replace(" ", ""), f"{path}: inline style attribute"
    assert "<style" not in text.lower(), f"{path}: inline <style> element"
    for attributes in SCRIPT_TAG.findall(text):
        assert re.search(r"\bsrc=", attributes), f"{path}: inline <script> without src"
    assert not re.search(r"\son[a-z]+=\"", text), f"{path}: inline event handler"
