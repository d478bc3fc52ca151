"""Writes of the accounts app: second factor, failed logins, sessions, API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import CharField, Func
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ankommen.accounts.models import ApiToken, LoginFailure, Membership, RecoveryCode, TotpDevice, User, UserSession
from ankommen.accounts.user_agents import describe_user_agent

RECOVERY_CODE_COUNT = 10
# Lower-case base32 without padding: 16 characters carry 80 random bits, enough for a plain SHA-256.
RECOVERY_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
TOTP_ISSUER = "Ankommen NRW"


# --- second factor -------------------------------------------------------------------------------


def totp_device_create(*, user: User) -> TotpDevice:
    """A fresh, unconfirmed device; replaces an earlier unconfirmed one (a confirmed one stays)."""
    with transaction.atomic():
        TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).delete()
        device = TotpDevice(user=user)
        device.secret = pyotp.random_base32()
        device.full_clean()
        device.save()
    return device


def totp_provisioning_uri(*, device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.email, issuer_name=TOTP_ISSUER)


def _totp_matching_step(device: TotpDevice, code: str) -> int | None:
    """The time step the code belongs to, allowing one step of clock drift either way."""
    totp = pyotp.TOTP(device.secret)
    current = int(time.time()) // totp.interval
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _totp_accept(device: TotpDevice, code: str) -> bool:
    step = _totp_matching_step(device, code)
    if step is None or step <= device.last_used_step:
        return False
    # The conditional update makes two simultaneous requests with the same code accept only one.
    updated = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(last_used_step=step)
    device.last_used_step = step
    return updated == 1


def totp_device_confirm(*, device: TotpDevice, code: str) -> bool:
    with transaction.atomic():
        if device.is_confirmed or not _totp_accept(device, _normalise_code(code)):
            return False
        device.confirmed_at = timezone.now()
        device.full_clean()
        device.save(update_fields=["confirmed_at"])
    return True


def _normalise_code(code: str) -> str:
    return "".join(character for character in code.lower() if character.isalnum())


def _recovery_code_digest(code: str) -> str:
    return hashlib.sha256(_normalise_code(code).encode()).hexdigest()


def recovery_codes_generate(*, user: User) -> list[str]:
    """Replaces all earlier recovery codes; the returned codes are shown once and never stored."""
    codes = []
    for _index in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _position in range(16))
        codes.append("-".join(raw[start : start + 4] for start in range(0, 16, 4)))
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            [RecoveryCode(user=user, digest=_recovery_code_digest(code)) for code in codes]
        )
    return codes


def recovery_codes_remaining(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def second_factor_verify(*, user: User, code: str) -> bool:
    """Accepts a current authenticator code or an unused recovery code (which is then used up)."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    normalised = _normalise_code(code)
    if len(normalised) == 6 and normalised.isdigit():
        return _totp_accept(device, normalised)
    with transaction.atomic():
        used = RecoveryCode.objects.filter(
            user=user, digest=_recovery_code_digest(normalised), used_at__isnull=True
        ).update(used_at=timezone.now())
    return used == 1


# --- failed logins -------------------------------------------------------------------------------


def _email_digest(email: str) -> str:
    return salted_hmac("ankommen.accounts.login_failure", email.strip().lower(), algorithm="sha256").hexdigest()


def login_failure_record(*, email: str) -> None:
    failure = LoginFailure(email_digest=_email_digest(email))
    failure.full_clean()
    failure.save()


def login_is_locked(*, email: str) -> bool:
    since = timezone.now() - settings.LOGIN_LOCKOUT
    failures = LoginFailure.objects.filter(email_digest=_email_digest(email), at__gte=since).count()
    return failures >= settings.LOGIN_FAILURE_LIMIT


def login_failures_clear(*, email: str) -> None:
    LoginFailure.objects.filter(email_digest=_email_digest(email)).delete()


def login_failures_prune() -> int:
    deleted, _kinds = LoginFailure.objects.filter(at__lt=timezone.now() - settings.LOGIN_LOCKOUT).delete()
    return deleted


# --- sessions ------------------------------------------------------------------------------------


def user_session_start(*, user: User, session_key: str, user_agent: str) -> UserSession:
    now = timezone.now()
    user_session, _created = UserSession.objects.update_or_create(
        session_key_digest=UserSession.digest_of(session_key),
        defaults={"user": user, "created_at": now, "last_seen_at": now, "browser": describe_user_agent(user_agent)},
    )
    return user_session


def user_session_is_expired(*, user_session: UserSession) -> bool:
    now = timezone.now()
    return (
        now - user_session.last_seen_at > settings.SESSION_IDLE_TIMEOUT
        or now - user_session.created_at > settings.SESSION_ABSOLUTE_TIMEOUT
    )


# Writing "last seen" on every request would cost an UPDATE per page; a minute is precise enough.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def user_session_touch(*, user_session: UserSession) -> None:
    now = timezone.now()
    if now - user_session.last_seen_at >= LAST_SEEN_RESOLUTION:
        UserSession.objects.filter(pk=user_session.pk).update(last_seen_at=now)
        user_session.last_seen_at = now


def user_session_rekey(*, old_session_key: str, new_session_key: str) -> None:
    UserSession.objects.filter(session_key_digest=UserSession.digest_of(old_session_key)).update(
        session_key_digest=UserSession.digest_of(new_session_key)
    )


class _Sha256Hex(Func):
    # PostgreSQL's built-in sha256(); Django's SHA256 function needs the pgcrypto extension.
    template = "encode(sha256(convert_to(%(expressions)s, 'UTF8')), 'hex')"
    output_field = CharField()


def _sessions_delete(user_sessions: list[UserSession]) -> int:
    digests = [user_session.session_key_digest for user_session in user_sessions]
    if not digests:
        return 0
    with transaction.atomic():
        # Only the digest of a session key is stored, so the session row is found by hashing in the database.
        Session.objects.annotate(key_digest=_Sha256Hex("session_key")).filter(key_digest__in=digests).delete()
        deleted, _kinds = UserSession.objects.filter(session_key_digest__in=digests).delete()
    return deleted


def user_session_end(*, user_session: UserSession) -> None:
    _sessions_delete([user_session])


def user_sessions_end_others(*, user: User, current_session_key: str) -> int:
    current = UserSession.digest_of(current_session_key)
    return _sessions_delete(list(UserSession.objects.filter(user=user).exclude(session_key_digest=current)))


# --- API tokens ----------------------------------------------------------------------------------

TOKEN_EXPIRY_DAYS_MAX = 365


def api_token_create(*, membership: Membership, name: str, expires_in_days: int) -> tuple[ApiToken, str]:
    if not 1 <= expires_in_days <= TOKEN_EXPIRY_DAYS_MAX:
        raise ValueError("expires_in_days must lie between 1 and 365")
    secret = ApiToken.new_secret()
    token = ApiToken(
        membership=membership,
        name=name.strip(),
        digest=ApiToken.digest_of(secret),
        expires_at=timezone.now() + timedelta(days=expires_in_days),
    )
    with transaction.atomic():
        token.full_clean()
        token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken, by: User) -> None:
    if token.membership.user_id != by.pk:
        raise PermissionError("a token is revoked only by its owner")
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.full_clean()
        token.save(update_fields=["revoked_at"])
