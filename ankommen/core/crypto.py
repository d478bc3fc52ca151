"""Encryption at rest for special-category fields (GDPR Art. 9), such as the health notes of an assessment.

The key is settings.FIELD_ENCRYPTION_KEY (a Fernet key). The plain text exists only in memory, while a page
that may show it is rendered; it never reaches the history tables, logs or error reports.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class DecryptionError(RuntimeError):
    """The stored value was not written with the configured key (wrong key or damaged data)."""


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key)


def encrypt_text(plain: str) -> bytes:
    # An empty note stays empty, so that "no health notes" needs no key to be recognised.
    if not plain:
        return b""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(plain.encode("utf-8"))


def decrypt_text(token: bytes | memoryview | None) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(bytes(token)).decode("utf-8")
    except InvalidToken:
        raise DecryptionError("The value cannot be decrypted with the configured key.") from None


def encrypt_bytes(plain: bytes) -> bytes:
    """Files with personal data kept for a while (an upload waiting to be imported)."""
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(plain)


def decrypt_bytes(token: bytes | memoryview) -> bytes:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(bytes(token))
    except InvalidToken:
        raise DecryptionError("The value cannot be decrypted with the configured key.") from None
