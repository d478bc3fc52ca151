from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from ankommen.accounts.tests.factories import TEST_PASSWORD

LOGIN_URL = reverse("accounts:login")


def attempt_login(client: Client, email: str, password: str = TEST_PASSWORD) -> Any:
    return client.post(LOGIN_URL, {"email": email, "password": password})


def without_csrf_token(content: bytes) -> str:
    """The page without what differs in every answer: the CSRF token and the CSP nonce."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())
    return re.sub(r'(nonce="|"inlineStyleNonce": ")[^"]+"', r'\1"', page)


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
