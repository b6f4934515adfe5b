"""One settings module, configured from the environment.

Defaults run one practice on one machine: SQLite in WAL mode under ``var/``,
local files, DEBUG off unless asked. ``BOUNDARIES_ENV=production`` turns on
every deployment check and refuses to start without real secrets.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from boundaries.accounts.client_address import trusted_networks

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_str("BOUNDARIES_ENV", "development") == "production"
DATA_DIR = Path(env_str("BOUNDARIES_DATA_DIR", str(PROJECT_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

_DEV_SECRET = "insecure-development-key-never-use-in-production"  # noqa: S105 - dev only, refused below
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
if env_str("SECRET_KEY_FILE"):  # containers pass secrets as files
    SECRET_KEY = Path(env_str("SECRET_KEY_FILE")).read_text(encoding="utf-8").strip()
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production"
    )

# The vault's master key never lives in the database: the environment or a key file.
MASTER_KEY = env_str("BOUNDARIES_MASTER_KEY")
MASTER_KEY_FILE = env_str("BOUNDARIES_MASTER_KEY_FILE")
if PRODUCTION and not (MASTER_KEY or MASTER_KEY_FILE):
    raise ImproperlyConfigured(
        "BOUNDARIES_MASTER_KEY or BOUNDARIES_MASTER_KEY_FILE must be set in production "
        "(generate one with `boundaries vault generate-key`)"
    )

# The audit log's checkpoint signing key (Ed25519, PEM): a file outside the database.
# Development creates DATA_DIR/audit-signing.key; production requires this setting
# before it writes checkpoints (boundaries.audit.signing).
AUDIT_SIGNING_KEY_FILE = env_str("BOUNDARIES_AUDIT_SIGNING_KEY_FILE")

DEBUG = env_bool("DEBUG", default=False)
# The host names this installation answers to (docs/operators.md, "Hosting many practices").
# BOUNDARIES_ALLOWED_HOSTS (or ALLOWED_HOSTS, the older name) takes Django's patterns:
# "therapy.example.org", ".example.net" or "*.example.net" for a domain and its subdomains.
# Practices' own domains (boundaries practice domain add) are admitted from the database
# by boundaries.site.hosts.PracticeHostMiddleware, which therefore does the check that
# Django's ALLOWED_HOSTS would do: Django's own list is open, and the middleware refuses
# every other host with the same 400.
BOUNDARIES_ALLOWED_HOSTS = env_list(
    "BOUNDARIES_ALLOWED_HOSTS",
    env_str("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"),
)
ALLOWED_HOSTS = ["*"]
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "boundaries.accounts",
    "boundaries.audit",
    "boundaries.practices",
    "boundaries.inbox",
    "boundaries.channels.sms",
    "boundaries.reminders",
    "boundaries.welfare",
    "boundaries.platform_audit",
    "boundaries.portal",
    "boundaries.vault",
    "boundaries.records",
    "boundaries.dashboard",
    "boundaries.setup",
    "boundaries.site",
]

MIDDLEWARE = [
    "boundaries.site.hosts.PracticeHostMiddleware",  # first: refuses unknown hosts (400)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "boundaries.practices.timezone.PracticeTimeZoneMiddleware",  # times in the practice's zone
    "django_htmx.middleware.HtmxMiddleware",
    "boundaries.accounts.security.SessionLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "boundaries.site.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "boundaries.urls"
WSGI_APPLICATION = "boundaries.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'boundaries.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db))}
except ValueError as error:  # an unknown scheme, a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL cannot be used: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer commits; synchronous=FULL makes each
    # commit durable before we acknowledge a message; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a real file (not memory) so that servers started by the tests, in other
    # threads and processes, see the same database the test writes.
    # One file per test run (the pytest process id), so two runs never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
# Keep connections between requests and messages: reopening SQLite runs the PRAGMAs
# again and closing the last connection checkpoints the WAL, per message.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from here after collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Encrypted vault files. Any Django storage works (e.g. an S3-compatible one via
    # django-storages); content is encrypted before it reaches the storage.
    "vault": {
        "BACKEND": env_str("VAULT_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": str(DATA_DIR / "vault")},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Sign-in: password then a mandatory second factor; sessions end when idle or old.
LOGIN_URL = "accounts:login"
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 15 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
REAUTH_SECONDS = env_int("REAUTH_SECONDS", 5 * 60)
# A subscribed calendar's address must reach the public internet: a loopback, private or
# link-local address is refused (a therapist's URL must not reach the host's own services).
# Tests and development serve .ics files on 127.0.0.1 and set this to allow loopback only.
CALENDAR_ALLOW_LOOPBACK = env_bool("BOUNDARIES_CALENDAR_ALLOW_LOOPBACK", default=False)
CALENDAR_MAX_BYTES = env_int("BOUNDARIES_CALENDAR_MAX_BYTES", 5 * 1024 * 1024)
LOGIN_THROTTLE_MINUTES = 15
LOGIN_FAILURES_PER_USERNAME = env_int("LOGIN_FAILURES_PER_USERNAME", 5)
LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 20)
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks): the client's
# address, which the per-address limit counts, is the first one to their left
# (accounts/client_address.py). Loopback by default: the proxy on this machine, as the
# systemd unit binds gunicorn to 127.0.0.1. Empty: REMOTE_ADDR is always the client.
BOUNDARIES_TRUSTED_PROXIES = env_list("BOUNDARIES_TRUSTED_PROXIES", "127.0.0.1,::1")
try:
    _trusted_proxies = trusted_networks(tuple(BOUNDARIES_TRUSTED_PROXIES))
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
# A forgotten-password link works once, for an hour (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 3600
OTP_TOTP_ISSUER = "Boundaries"

# Outside production WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
BOUNDARIES_DEFAULT_PRACTICE = env_str("BOUNDARIES_DEFAULT_PRACTICE")

# Security: the same strict headers in every mode; HTTPS-only settings in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts,
# which Django's CSRF check rightly refuses. No address ever leaks to another site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes speak plain HTTP inside
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The one table of every channel's senders (boundaries.inbox.delivery.Senders). The inbox
# reads it through this setting because the channels import the inbox, not the reverse.
BOUNDARIES_SENDERS = "boundaries.channels.registry.SENDERS"

# Outbound mail. Development writes mail to files under the data folder instead of sending it.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "outbox"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "boundaries@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Backups (docs/operators.md, "Backups"): where `boundaries backup` and the daily job
# write snapshots, and how many daily, weekly and monthly ones the job keeps.
BOUNDARIES_BACKUP_DIR = Path(env_str("BOUNDARIES_BACKUP_DIR", str(DATA_DIR / "backups")))
BOUNDARIES_BACKUP_KEEP = env_str("BOUNDARIES_BACKUP_KEEP", "7,4,12")
_backup_keep = [part.strip() for part in BOUNDARIES_BACKUP_KEEP.split(",")]
if len(_backup_keep) != 3 or not all(part.isdigit() for part in _backup_keep):
    raise ImproperlyConfigured(
        f"BOUNDARIES_BACKUP_KEEP must be 'daily,weekly,monthly' counts such as '7,4,12', "
        f"not {BOUNDARIES_BACKUP_KEEP!r}"
    )

VAULT_MAX_UPLOAD_BYTES = env_int("VAULT_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = VAULT_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Inbound mail and automated replies.
SMTPD_HOSTNAME = env_str("SMTPD_HOSTNAME", "boundaries.localhost")
SMTPD_MAX_MESSAGE_BYTES = env_int("SMTPD_MAX_MESSAGE_BYTES", 25 * 1024 * 1024)
# Who may hold the receiver's connections, and for how long (docs/channels.md). Beyond
# these a connection is answered 421 and closed; the timeouts are RFC 5321 4.5.3.2's.
SMTPD_MAX_CONNECTIONS = env_int("SMTPD_MAX_CONNECTIONS", 1000)
SMTPD_MAX_CONNECTIONS_PER_ADDRESS = env_int("SMTPD_MAX_CONNECTIONS_PER_ADDRESS", 50)
SMTPD_COMMAND_TIMEOUT = env_int("SMTPD_COMMAND_TIMEOUT", 300)  # awaiting a command: 5 minutes
SMTPD_DATA_TIMEOUT = env_int("SMTPD_DATA_TIMEOUT", 180)  # between blocks of DATA: 3 minutes
# With every connection taken, one silent this long gives its place to a newcomer.
SMTPD_STRESS_TIMEOUT = env_int("SMTPD_STRESS_TIMEOUT", 10)
AUTO_REPLY_WINDOW_HOURS = env_int("AUTO_REPLY_WINDOW_HOURS", 24)

# Text messages through Twilio (docs/channels.md). The auth token signs the inbound
# webhooks and authenticates outbound calls; alerts to therapists go from TWILIO_FROM_NUMBER.
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")
TWILIO_API_BASE = env_str("TWILIO_API_BASE", "https://api.twilio.com")
# Numbers in other Twilio accounts (one subaccount per practice): "+E164=ACsid:token,...".
TWILIO_NUMBER_ACCOUNTS = env_list("TWILIO_NUMBER_ACCOUNTS")

# Facebook Pages and Instagram accounts through a Meta app (docs/channels.md).
META_APP_SECRET = env_str("META_APP_SECRET")
META_VERIFY_TOKEN = env_str("META_VERIFY_TOKEN")
META_PAGE_ACCESS_TOKEN = env_str("META_PAGE_ACCESS_TOKEN")
# One token per Page or Instagram account when there are several: "page-id=token,...".
META_PAGE_ACCESS_TOKENS = env_list("META_PAGE_ACCESS_TOKENS")
META_GRAPH_BASE = env_str("META_GRAPH_BASE", "https://graph.facebook.com")
# Meta retries a failed delivery for about a day and a half; older signed bodies are replays.
META_MAX_DELIVERY_AGE_HOURS = env_int("META_MAX_DELIVERY_AGE_HOURS", 48)
# Attachments are fetched into the client's vault only from Meta's own CDN hosts
# (and their subdomains), only over these schemes.
META_MEDIA_HOSTS = env_list("META_MEDIA_HOSTS", "fbcdn.net,fbsbx.com,cdninstagram.com")
META_MEDIA_SCHEMES = env_list("META_MEDIA_SCHEMES", "https")

# Structured logs: JSON lines in production (LOG_FORMAT=json), readable text otherwise.
# Exceptions are logged by type only, so a traceback can never carry message content.
# Every handler redacts secrets that travel in URLs (sign-in, reset and calendar tokens),
# which Django logs with the path of a request it refuses (boundaries.ops.logs).
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "boundaries.ops.logs.RedactTokens"}},
    "formatters": {
        "json": {"()": "boundaries.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default handlers (a DEBUG console, mail to ADMINS with the full
        # request, runserver's request lines) would bypass the redaction: configured here
        # with none, their records reach the console handler above through the root.
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        # aiosmtpd logs every SMTP command at INFO, envelope addresses included: client
        # data that has no place in logs. Its warnings and errors still come through.
        "mail.log": {"level": "WARNING"},
    },
}
