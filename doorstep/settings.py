"""Doorstep's one settings module.

Every value comes from the environment, read once here through the small helpers below, which
raise ``ImproperlyConfigured`` naming the variable when a value is wrong. Nothing else in the code
reads ``os.environ``.

Development convenience: when ``DOORSTEP_DEBUG`` is on (or not set in the real environment), unset
variables are taken from ``var/doorstep.env``, which ``make run`` / ``make test`` write once with
freshly generated development keys (see ``doorstep/devkeys.py``). In production
(``DOORSTEP_DEBUG=0`` in the real environment) that file is ignored and the process refuses to
start until the secret key, the master key and the allowed hosts are given.
"""

import base64
import binascii
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ImproperlyConfigured(f"{path}, line {number}: expected NAME=value.")
        name, value = line.split("=", 1)
        values[name.strip()] = value.strip()
    return values


_DEBUG_FROM_ENVIRONMENT = os.environ.get("DOORSTEP_DEBUG")
_ENV_FILE = Path(os.environ.get("DOORSTEP_ENV_FILE", VAR_DIR / "doorstep.env"))
# Where development keys live; `python -m doorstep doctor` refuses them in production.
DEVELOPMENT_ENV_FILE = _ENV_FILE
_FILE_VALUES: dict[str, str] = {}
if _DEBUG_FROM_ENVIRONMENT is None or _parse_bool("DOORSTEP_DEBUG", _DEBUG_FROM_ENVIRONMENT):
    _FILE_VALUES = _read_env_file(_ENV_FILE)


def env_str(name: str, default: str | None = None) -> str | None:
    """The variable from the environment, else from the development env file, else ``default``."""
    value = os.environ.get(name)
    if value is None:
        value = _FILE_VALUES.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name)
    return default if raw is None else _parse_bool(name, raw)


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_master_key(name: str) -> bytes | None:
    """A 32-byte key given as URL-safe or standard base64."""
    raw = env_str(name)
    return None if raw is None else _decode_master_key(name, raw)


def _decode_master_key(name: str, raw: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(raw.replace("+", "-").replace("/", "_") + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{name} must be 32 bytes encoded as base64.") from None
    if len(key) != 32:
        raise ImproperlyConfigured(
            f"{name} must be 32 bytes encoded as base64; it decodes to {len(key)} bytes."
        )
    return key


DEBUG = env_bool("DOORSTEP_DEBUG", default=False)

SECRET_KEY = env_str("DOORSTEP_SECRET_KEY")
MASTER_KEY = env_master_key("DOORSTEP_MASTER_KEY")
# Keys the audit chain's HMACs and signs its anchors (core.audit); held outside the database like
# MASTER_KEY, so someone who can write the database cannot re-hash the chain.
AUDIT_KEY = env_master_key("DOORSTEP_AUDIT_KEY")
# During a master-key rotation: the keys being retired, still able to unwrap until
# `python -m doorstep keys rotate` has re-wrapped everything under MASTER_KEY.
PREVIOUS_MASTER_KEYS = [
    key
    for index, raw in enumerate(env_list("DOORSTEP_PREVIOUS_MASTER_KEYS", []))
    if (key := _decode_master_key(f"DOORSTEP_PREVIOUS_MASTER_KEYS (item {index + 1})", raw))
]
# Encrypts and authenticates `python -m doorstep backup` / `backup-keys` (32 bytes, base64). Keep a copy
# away from the backups: without it they cannot be restored.
BACKUP_KEY = env_master_key("DOORSTEP_BACKUP_KEY")
ALLOWED_HOSTS = env_list("DOORSTEP_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

_missing = [
    name
    for name, value in (
        ("DOORSTEP_SECRET_KEY", SECRET_KEY),
        ("DOORSTEP_MASTER_KEY", MASTER_KEY),
        ("DOORSTEP_AUDIT_KEY", AUDIT_KEY),
        ("DOORSTEP_ALLOWED_HOSTS", ALLOWED_HOSTS),
    )
    if not value
]
if _missing:
    hint = (
        "run `make run` (or `python -m doorstep.devkeys`) to create development keys"
        if DEBUG
        else "set them in the environment; see README.md, 'Running in production'"
    )
    raise ImproperlyConfigured(f"Doorstep cannot start: missing {', '.join(_missing)}; {hint}.")
if not DEBUG and (len(SECRET_KEY or "") < 50 or len(set(SECRET_KEY or "")) < 5):
    raise ImproperlyConfigured(
        "DOORSTEP_SECRET_KEY must be a random value of at least 50 characters in production "
        "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

INSTALLED_APPS = [
    "doorstep.core",
    "doorstep.organizations",
    "doorstep.members",
    "doorstep.supplychains",
    "doorstep.work",
    "doorstep.surveys",
    "doorstep.grievances",
    "doorstep.protection",
    "doorstep.insights",
    "doorstep.network",
    "doorstep.advocacy",
    "doorstep.governance",
    "doorstep.elections",
    "doorstep.messaging",
    "doorstep.market",
    "doorstep.relief",
    "doorstep.bench",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

# Background jobs (imports, exports) are stored in the database and run by `python -m doorstep db_worker`;
# no broker is needed. `make run` starts one worker beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# An import's run holds a lease on its job, renewed as it writes; a worker that dies stops renewing,
# and once the lease has run out another worker resumes the import (docs/architecture.md, Imports).
IMPORT_LEASE_SECONDS = env_int("DOORSTEP_IMPORT_LEASE_SECONDS", 60)
# How long a queued run may wait for a free worker before it is queued again.
IMPORT_QUEUE_SECONDS = env_int("DOORSTEP_IMPORT_QUEUE_SECONDS", 600)
# Uploaded spreadsheets are parsed in a child process whose address space may grow by at most this
# much (RLIMIT_AS, Linux) and which must have read the file within this time; past either, the file
# is refused with a message saying so, and only the child dies.
IMPORT_PARSE_MEMORY_MB = env_int("DOORSTEP_IMPORT_PARSE_MEMORY_MB", 1024)
IMPORT_PARSE_SECONDS = env_int("DOORSTEP_IMPORT_PARSE_SECONDS", 300)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "doorstep.core.middleware.ActiveOrganizationMiddleware",
    "doorstep.core.middleware.DomainErrorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "doorstep.urls"
WSGI_APPLICATION = "doorstep.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "doorstep" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "doorstep.core.context_processors.shell",
            ],
        },
    },
]

# Databases ------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'doorstep.sqlite3'}")
_database = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; synchronous=FULL makes an acknowledged commit
    # survive a power cut; IMMEDIATE transactions take the write lock up front, so two writers
    # queue on the busy timeout instead of failing half-way with "database is locked".
    # secure_delete overwrites deleted rows, so an erased member's key leaves no bytes behind.
    _database["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
            "PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    _database["CONN_MAX_AGE"] = env_int("DOORSTEP_DB_CONN_MAX_AGE", 60)
    _database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Users and passwords --------------------------------------------------------------------------
AUTH_USER_MODEL = "organizations.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# An invitation link (a password-set link) stays valid for a week.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

# Login throttling (see core/throttle.py): after this many failures for one username from one address
# within the window, further tries from that address are refused for the same window; beyond the
# account limit (from any address) and an organization's member-login limit, each try waits 2^n
# seconds (at most the backoff maximum); beyond the address limit an address is refused everywhere.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("DOORSTEP_LOGIN_ACCOUNT_FAILURE_LIMIT", 10)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("DOORSTEP_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
MEMBER_LOGIN_FAILURE_LIMIT = env_int("DOORSTEP_MEMBER_LOGIN_FAILURE_LIMIT", 50)
LOGIN_BACKOFF_MAX_SECONDS = env_int("DOORSTEP_LOGIN_BACKOFF_MAX_SECONDS", 300)
# The client's address behind a reverse proxy: taken from this header (e.g. X-Forwarded-For) only
# when the request comes from one of the trusted proxies (addresses or networks, comma-separated).
# By default no proxy is trusted and REMOTE_ADDR is the address.
# An API token without an expiry given expires after this many days.
API_TOKEN_DEFAULT_DAYS = env_int("DOORSTEP_API_TOKEN_DAYS", 90)
CLIENT_ADDRESS_HEADER = env_str("DOORSTEP_CLIENT_ADDRESS_HEADER", "")
TRUSTED_PROXIES = env_list("DOORSTEP_TRUSTED_PROXIES", [])

# Languages ------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("hi", _("Hindi")),
    ("sw", _("Swahili")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "doorstep" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# Static files: vendored, served by WhiteNoise, no CDN ------------------------------------------
STATIC_URL = "/static/"
# Development serves straight from the apps' static folders; production from `collectstatic`'s copy.
STATIC_ROOT = None if DEBUG else Path(env_str("DOORSTEP_STATIC_ROOT", str(VAR_DIR / "static")))
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("DOORSTEP_MEDIA_ROOT", str(VAR_DIR / "media")))
# Survey exports written by background jobs: sealed files, deleted (and their keys destroyed) after
# EXPORT_KEEP_DAYS.
EXPORT_ROOT = Path(env_str("DOORSTEP_EXPORT_ROOT", str(VAR_DIR / "exports")))
# The analytics engine's Parquet files and manifest (core.analytics); rebuilt from the database at will.
ANALYTICS_ROOT = Path(env_str("DOORSTEP_ANALYTICS_ROOT", str(VAR_DIR / "analytics")))
# Dashboards older than this many seconds ask for a refresh in the background.
ANALYTICS_MAX_AGE = env_int("DOORSTEP_ANALYTICS_MAX_AGE", 60)
EXPORT_KEEP_DAYS = env_int("DOORSTEP_EXPORT_KEEP_DAYS", 7)
# Uploads are counted as they arrive and stopped past UPLOAD_MAX_BYTES (all files of a request; the
# OpenRosa limit phones are told); a file over FILE_UPLOAD_MAX_MEMORY_SIZE streams to a temporary file.
UPLOAD_MAX_BYTES = env_int("DOORSTEP_UPLOAD_MAX_BYTES", 100 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "doorstep.core.uploads.SizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# An Enketo Express server (web forms in the browser), if the organization runs one: its address and
# API key. Unset: the form pages do not offer Enketo.
# The address people reach Doorstep at (for links in e-mails), e.g. https://doorstep.example.org.
BASE_URL = (env_str("DOORSTEP_BASE_URL", "") or "").rstrip("/")
ENKETO_URL = (env_str("DOORSTEP_ENKETO_URL", "") or "").rstrip("/")
ENKETO_API_KEY = env_str("DOORSTEP_ENKETO_API_KEY", "") or ""

# Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("DOORSTEP_SESSION_SECONDS", 14 * 24 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Swagger UI (the interactive API docs) sets inline styles.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DOORSTEP_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DOORSTEP_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DOORSTEP_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DOORSTEP_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("DOORSTEP_BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("DOORSTEP_CSRF_TRUSTED_ORIGINS", [])

# E-mail: the console in development, SMTP where configured -----------------------------------
EMAIL_BACKEND = env_str(
    "DOORSTEP_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DOORSTEP_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DOORSTEP_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DOORSTEP_FROM_EMAIL", "doorstep@localhost")

# API ------------------------------------------------------------------------------------------
API_PAGE_DEFAULT = 50
API_PAGE_MAX = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DOORSTEP_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
