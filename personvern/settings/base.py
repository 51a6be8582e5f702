"""Settings shared by every environment; everything that differs between installations comes
from the environment so that the same build runs on a laptop and in production."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("PERSONVERN_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, *, default: bool) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("PERSONVERN_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before the admin (it patches the admin's forms): per-language fields, docs/language.md.
    "modeltranslation",
    # The staff home page and searches by POST; before the admin, whose templates it extends.
    "personvern.workplace",
    "personvern.workplace.apps.PersonvernAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tasks",
    "django_tasks_db",
    # django-ninja's own copy of Swagger UI (its static files): /api/docs loads nothing from a
    # CDN, so it works offline and staff browsing it tell no third party.
    "ninja",
    "personvern.core",
    "personvern.accounts",
    "personvern.audit",
    "personvern.organisation",
    "personvern.register",
    "personvern.pii",
    "personvern.processing",
    "personvern.consent",
    "personvern.connectors",
    "personvern.rights",
    "personvern.retention",
    "personvern.scheduling",
    "personvern.website",
    "personvern.clients",
    "personvern.assessments",
    "personvern.breaches",
    "personvern.backups",
    "personvern.demo",
]

# The admin's messages name the object saved ("Kari Nordmann was changed"): kept server-side in
# the session, never in a cookie the browser stores.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # The IP security log wraps everything after it (blocked attempts are logged too); the
    # blocklist answers 403 before any other middleware or view runs.
    "personvern.website.middleware.IpLogMiddleware",
    "personvern.website.middleware.BlocklistMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "personvern.core.middleware.RefuseNulInQuery",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A staff session counts as signed in only after the second factor (docs: README, Staff
    # sign-in); until then only the second-factor pages see the user.
    "django_otp.middleware.OTPMiddleware",
    "personvern.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Every page loads only from Personvern itself: no third-party host, no inline script, no inline
# style element or attribute, no plugins, no framing. Swagger UI and the admin work within it;
# the browser tests (tests/browser/test_csp.py) load every page and fail on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Swagger UI and the admin draw small icons as data: URIs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}

ROOT_URLCONF = "personvern.urls"
WSGI_APPLICATION = "personvern.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Personvern's queries are short and index-driven. PostgreSQL's JIT compiles any query whose
# *estimated* cost is high, such as a retention-sweep batch with its hold checks, and spent
# about 0.3 s per batch doing so: five times the batch's own work.
POSTGRES_OPTIONS = {"options": "-c jit=off"}
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'personvern.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded database serves a web process and a worker at once: writers take the lock
    # when their transaction begins (no upgrade deadlocks) and wait for each other. Deleted
    # content is overwritten with zeros (secure_delete; not every SQLite build has it on), so
    # an erasure leaves no readable copy once the write-ahead log is checkpointed
    # (core.db.checkpoint_after_commit).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
            ),
        }
    )
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: five failures lock the username from that address for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("PERSONVERN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Texts the organisation writes (activity purposes, cookie purposes, retention rules) have a
# field per language (django-modeltranslation); a text missing in one language falls back to
# the other, and every reader of the organisation's texts flags the fallback (docs/language.md).
MODELTRANSLATION_DEFAULT_LANGUAGE = "nb"
MODELTRANSLATION_LANGUAGES = ("nb", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nb", "en")
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("PERSONVERN_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("PERSONVERN_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The largest request body read into memory (Django's default is 2.5 MiB): a campaign check
# of 100,000 addresses is about 4 MB of JSON. A larger body is answered 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(
    os.environ.get("PERSONVERN_MAX_REQUEST_BYTES", str(16 * 1024 * 1024))
)
# Uploaded agreements and application documents are never served publicly: staff download
# them through the permission-checked, audited views under /files/.
FILE_UPLOAD_PERMISSIONS = 0o600

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "personvern@localhost")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
        "ENQUEUE_ON_COMMIT": False,
    }
}

# Logs never carry personal data: only ids and error codes are logged by Personvern's code.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

LOGIN_URL = "admin:login"

# Staff sign-in's second factor (personvern/accounts/second_factor.py): the roles that must
# have one, or everyone; the demo logins of ``make run`` may go without (honoured only with
# DEBUG on; ``personvern check --deploy`` refuses it).
PERSONVERN_2FA_REQUIRED_ROLES = env_list(
    "PERSONVERN_2FA_REQUIRED_ROLES", default=["privacy_officer", "security"]
)
PERSONVERN_2FA_REQUIRED_FOR_ALL = env_bool("PERSONVERN_2FA_REQUIRED_FOR_ALL", default=False)
PERSONVERN_2FA_DEMO_SKIP = env_bool("PERSONVERN_2FA_DEMO_SKIP", default=False)
OTP_TOTP_ISSUER = "Personvern"
# Passkeys are a second factor only, never a sign-in without the password. WebAuthn accepts
# only https origins (and http://localhost); the relying party is the origin's host name.
_PUBLIC_URL = os.environ.get("PERSONVERN_PORTAL_URL", "")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "PERSONVERN_WEBAUTHN_ORIGINS",
    default=[_PUBLIC_URL.rstrip("/")]
    if _PUBLIC_URL.startswith("https://")
    else ["http://localhost:8000"],
)
OTP_WEBAUTHN_RP_ID = urlsplit(OTP_WEBAUTHN_ALLOWED_ORIGINS[0]).hostname or "localhost"
OTP_WEBAUTHN_RP_NAME = "Personvern"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Key of the keyed hashes on the suppression list; see personvern/consent/keys.py.
PERSONVERN_SUPPRESSION_KEY = os.environ.get("PERSONVERN_SUPPRESSION_KEY", "")
# The consent ledger's signed heads (personvern/consent/anchoring.py): the Ed25519 key that
# signs them is never in the database (a PEM file's path, or the PEM itself); the heads go to
# a directory the database administrator cannot write, and to the privacy officers by mail.
PERSONVERN_LEDGER_SIGNING_KEY = os.environ.get("PERSONVERN_LEDGER_SIGNING_KEY", "")
PERSONVERN_LEDGER_HEADS_DIR = os.environ.get("PERSONVERN_LEDGER_HEADS_DIR", "")
PERSONVERN_LEDGER_SIGN_MINUTES = int(os.environ.get("PERSONVERN_LEDGER_SIGN_MINUTES", "60"))

# The erasure journal (personvern/core/journal.py): keyed hashes and times of erasures, kept
# outside the database and MEDIA_ROOT so that ``personvern restore`` can erase again whoever
# was erased after the backup it restores. Back this directory up separately, never with
# the database (docs/deploy.md).
PERSONVERN_ERASURE_JOURNAL_DIR = Path(
    os.environ.get("PERSONVERN_ERASURE_JOURNAL_DIR", VAR_DIR / "erasure-journal")
)
PERSONVERN_ERASURE_JOURNAL_KEY = os.environ.get("PERSONVERN_ERASURE_JOURNAL_KEY", "")
# /healthz: a worker's or the scheduler's heartbeat older than this is reported stale.
PERSONVERN_HEARTBEAT_STALE_SECONDS = float(
    os.environ.get("PERSONVERN_HEARTBEAT_STALE_SECONDS", "180")
)

PERSONVERN = {
    # Where the privacy notice of the demo organisation is read from.
    "SEED_DIR": Path(os.environ.get("PERSONVERN_SEED_DIR", PROJECT_DIR.parent / "shared" / "seed")),
    "API_PAGE_SIZE": 50,
    # Retention (personvern/retention/config.py): the month the fiscal year ends in, the
    # smallest group an anonymised figure is shown for, and rows per sweep transaction.
    "FISCAL_YEAR_END_MONTH": int(os.environ.get("PERSONVERN_FISCAL_YEAR_END_MONTH", "12")),
    "STATISTICS_MIN_GROUP_SIZE": int(os.environ.get("PERSONVERN_MIN_GROUP_SIZE", "5")),
    "RETENTION_BATCH_SIZE": int(os.environ.get("PERSONVERN_RETENTION_BATCH_SIZE", "2000")),
    # Public endpoints (portal form, banner decisions): requests per client and minute.
    "PUBLIC_REQUESTS_PER_MINUTE": int(os.environ.get("PERSONVERN_PUBLIC_RATE", "30")),
    # Background jobs (personvern/scheduling/config.py): a running job whose worker has not
    # beaten its heart for this long is run again, up to this many attempts in all.
    "JOB_LEASE_SECONDS": float(os.environ.get("PERSONVERN_JOB_LEASE_SECONDS", "120")),
    "JOB_MAX_ATTEMPTS": int(os.environ.get("PERSONVERN_JOB_MAX_ATTEMPTS", "3")),
    "JOB_RESULT_DAYS": float(os.environ.get("PERSONVERN_JOB_RESULT_DAYS", "7")),
}

# The website's side (see docs/website.md and personvern/website/config.py).
PERSONVERN_WEBSITE = {
    "IP_LOG_ENABLED": env_bool("PERSONVERN_IP_LOG", default=True),
    "BLOCKLIST_CACHE_SECONDS": int(os.environ.get("PERSONVERN_BLOCKLIST_CACHE_SECONDS", "10")),
    "BANNER_ORIGINS": env_list("PERSONVERN_BANNER_ORIGINS", default=[]),
}
