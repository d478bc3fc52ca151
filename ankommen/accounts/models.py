from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.core.crypto import decrypt_text, encrypt_text


class Role(models.TextChoices):
    CENTRE_LEAD = "centre_lead", _("centre lead")
    CENTRE_STAFF = "centre_staff", _("centre staff")
    CENTRE_TEACHER = "centre_teacher", _("centre teacher")
    SCHOOL_CONTACT = "school_contact", _("school contact")
    VOLUNTEER = "volunteer", _("volunteer")
    EMPLOYER_CONTACT = "employer_contact", _("employer contact")
    PARTNER_CONTACT = "partner_contact", _("partner organisation contact")
    STATE_ANALYST = "state_analyst", _("state analyst")
    RESEARCHER = "researcher", _("researcher")


CENTRE_ROLES = frozenset({Role.CENTRE_LEAD, Role.CENTRE_STAFF, Role.CENTRE_TEACHER})
STATE_ROLES = frozenset({Role.STATE_ANALYST, Role.RESEARCHER})
# Roles that handle many people's data or the state's figures log in with a second factor.
SECOND_FACTOR_ROLES = CENTRE_ROLES | STATE_ROLES


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        return self.create_user(email, password, is_staff=True, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150)
    preferred_language = models.CharField(_("language"), max_length=8, default="de")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def needs_second_factor(self) -> bool:
        return self.memberships.filter(role__in=SECOND_FACTOR_ROLES, is_active=True).exists()


class Membership(models.Model):
    """A user's role in one centre, one school, or state-wide (no centre, no school)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    centre = models.ForeignKey(
        "regions.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("centre"),
    )
    school = models.ForeignKey(
        "regions.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("school"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "centre", "school"], name="membership_unique", nulls_distinct=False
            ),
            models.CheckConstraint(
                name="membership_scope_fits_role",
                # Sorted: set order varies between runs and would make migrations flap.
                condition=(
                    models.Q(
                        role__in=sorted(r.value for r in CENTRE_ROLES | {Role.VOLUNTEER}),
                        centre__isnull=False,
                        school__isnull=True,
                    )
                    | models.Q(role=Role.SCHOOL_CONTACT, school__isnull=False)
                    | models.Q(role__in=sorted(r.value for r in STATE_ROLES), centre__isnull=True, school__isnull=True)
                    | models.Q(role__in=[Role.EMPLOYER_CONTACT, Role.PARTNER_CONTACT], centre__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.centre or self.school or _("state-wide")
        return f"{self.get_role_display()} · {scope}"

    @property
    def is_centre_role(self) -> bool:
        return self.role in CENTRE_ROLES

    @property
    def is_state_role(self) -> bool:
        return self.role in STATE_ROLES


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal access token: shown once, stored as its SHA-256, tied to one membership."""

    PREFIX = "ank_"

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("membership")
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def new_secret() -> str:
        return ApiToken.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _token_digest(raw)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now() and self.membership.is_active


class TotpDevice(models.Model):
    """A user's authenticator app. Confirmed once the user has typed one valid code."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device", verbose_name=_("user"))
    # The shared secret lets anyone make valid codes: it is kept encrypted like special-category data.
    secret_encrypted = models.BinaryField(_("secret (encrypted)"), default=b"")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The time step of the last accepted code: a code is accepted once, never replayed.
    last_used_step = models.BigIntegerField(_("last used time step"), default=0)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def secret(self) -> str:
        return decrypt_text(self.secret_encrypted)

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_encrypted = encrypt_text(value)


class RecoveryCode(models.Model):
    """A single-use code for a lost authenticator app, stored as its SHA-256 only."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("user"))
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class LoginFailure(models.Model):
    """One failed login or second-factor attempt.

    Keyed by a keyed hash of the normalised e-mail address, so that the table neither holds
    addresses nor tells whether an account exists.
    """

    email_digest = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.email_digest[:8]}… {self.at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A logged-in browser session as the user sees it in their session list."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_sessions", verbose_name=_("user"))
    session_key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("logged in"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    browser = models.CharField(_("browser"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.browser}"

    @staticmethod
    def digest_of(session_key: str) -> str:
        return hashlib.sha256(session_key.encode()).hexdigest()
