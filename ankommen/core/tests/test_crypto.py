from __future__ import annotations

import stat

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

import config.settings as project_settings
from ankommen.core.crypto import DecryptionError, decrypt_text, encrypt_text


def test_text_round_trips_and_is_not_stored_in_plain():
    token = encrypt_text("Diabetes Typ 1 – Insulin mittags")
    assert b"Diabetes" not in token
    assert decrypt_text(token) == "Diabetes Typ 1 – Insulin mittags"
    assert decrypt_text(memoryview(token)) == "Diabetes Typ 1 – Insulin mittags"


def test_the_same_text_encrypts_differently_each_time():
    assert encrypt_text("Allergie") != encrypt_text("Allergie")


def test_empty_notes_stay_empty():
    assert encrypt_text("") == b""
    assert decrypt_text(b"") == ""
    assert decrypt_text(None) == ""


def test_a_value_written_with_another_key_is_refused(settings):
    token = encrypt_text("Epilepsie")
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(DecryptionError):
        decrypt_text(token)


def test_outside_the_embedded_mode_a_missing_key_fails_loudly(monkeypatch):
    monkeypatch.setattr(project_settings, "EMBEDDED", False)
    monkeypatch.delenv("ANKOMMEN_FIELD_ENCRYPTION_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="ANKOMMEN_FIELD_ENCRYPTION_KEY"):
        project_settings.field_encryption_key()


def test_a_key_that_is_not_a_fernet_key_fails_loudly(monkeypatch):
    monkeypatch.setenv("ANKOMMEN_FIELD_ENCRYPTION_KEY", "not-a-key")
    with pytest.raises(ImproperlyConfigured, match="not a valid Fernet key"):
        project_settings.field_encryption_key()


def test_a_key_from_the_environment_is_used(monkeypatch):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("ANKOMMEN_FIELD_ENCRYPTION_KEY", key)
    assert project_settings.field_encryption_key() == key


def test_the_embedded_mode_generates_one_key_and_keeps_it_private(monkeypatch, tmp_path):
    monkeypatch.setattr(project_settings, "EMBEDDED", True)
    monkeypatch.setattr(project_settings, "BASE_DIR", tmp_path)
    monkeypatch.delenv("ANKOMMEN_FIELD_ENCRYPTION_KEY", raising=False)
    first = project_settings.field_encryption_key()
    assert project_settings.field_encryption_key() == first
    key_file = tmp_path / "var" / "field-encryption.key"
    assert key_file.read_text() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    Fernet(first)
