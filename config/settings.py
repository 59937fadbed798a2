"""Django settings, read from the environment with safe defaults for local use.

Every setting a deployment may change is an environment variable; `.env.example`
lists them. Nothing here is secret: secrets come from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.email import email_backend_for

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ENGAGE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A real partnership's server: the site refuses to start with anything only fit for a
# developer's machine (engage/core/checks.py), and the demo cannot be loaded.
ENGAGE_PRODUCTION = env_bool("ENGAGE_PRODUCTION", False)
# A fixed key is safe only on a developer's own machine; production must set one.
_LOCAL_ONLY_KEY = "local-development-only-not-a-secret"
SECRET_KEY = os.environ.get("SECRET_KEY", _LOCAL_ONLY_KEY)
if SECRET_KEY == _LOCAL_ONLY_KEY and ENGAGE_PRODUCTION:
    raise ImproperlyConfigured("Set SECRET_KEY: ENGAGE_PRODUCTION is on.")
# To change the key without breaking links already sent (stop links in emails, password
# resets) or signing everyone out: set SECRET_KEY to the new key and put the old one here
# (comma-separated); remove it once those links have expired.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")
if _LOCAL_ONLY_KEY in SECRET_KEY_FALLBACKS and ENGAGE_PRODUCTION:
    raise ImproperlyConfigured("Remove the built-in key from SECRET_KEY_FALLBACKS: ENGAGE_PRODUCTION is on.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Its abstract key model is our AccessToken's base; its own APIKey table goes unused.
    "rest_framework_api_key",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "engage.core",
    "engage.partners",
    "engage.accounts",
    "engage.activities",
    "engage.places",
    "engage.setup",
    "engage.conversations",
    "engage.insight",
    "engage.reach",
    "engage.decisions",
    "engage.partnership",
    "engage.evaluation",
    "engage.reports",
    "engage.subject_access",
    "engage.retention",
    "engage.staff",
    "engage.site",
    "engage.api",
    "engage.cli",
    "engage.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "engage.accounts.middleware.OrganisationInScopeMiddleware",
    "engage.accounts.sign_in.middleware.SecondFactorMiddleware",
    "engage.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "engage.core.jinja.environment"},
    },
    {
        # Only for the few third-party pages that ship Django templates (DRF's browsable API).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

# SQLite by default (one file, nothing to install); PostgreSQL through DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'engage.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE transactions take
    # the write lock up front so two writers wait for each other instead of failing.
    # A 32 MB page cache per connection (SQLite's default is 2 MB) keeps the indexes an
    # import writes to in memory: about 15% faster on 100,000 rows, and bounded.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-32768;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Strong password hashing first; the others only to read hashes made elsewhere.
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
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "site:home"

# Wrong tries at signing in (ADR 0025): per account and address, per address, per account
# from browsers it has never signed in from, and per known browser.
ENGAGE_SIGN_IN_TRIES = int(os.environ.get("ENGAGE_SIGN_IN_TRIES", "5"))
ENGAGE_SIGN_IN_ADDRESS_TRIES = int(os.environ.get("ENGAGE_SIGN_IN_ADDRESS_TRIES", "30"))
ENGAGE_SIGN_IN_ACCOUNT_TRIES = int(os.environ.get("ENGAGE_SIGN_IN_ACCOUNT_TRIES", "10"))
# A link to reset a password lasts an hour; an invitation to choose one, a week.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(60 * 60)))
ENGAGE_INVITATION_DAYS = int(os.environ.get("ENGAGE_INVITATION_DAYS", "7"))


def _totp_issuer(_device: object) -> str:
    """Two-step sign-in (django-otp): what authenticator apps call the account, the
    partnership's name as set up (django-otp calls this when it makes the QR code)."""
    from engage.core.selectors import partnership_name  # noqa: PLC0415 - settings load before the apps

    return partnership_name()


OTP_TOTP_ISSUER = _totp_issuer

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
# Uploads (ADR 0028). ENGAGE_UPLOAD_MAX_BYTES is the largest file a page takes (the
# reference-data page takes its loaders' own, larger, limit); UploadLimitHandler stops a
# request's file once it passes it, before Django keeps any of it in memory or in a
# temporary file.
ENGAGE_IMPORT_MAX_BYTES = int(os.environ.get("ENGAGE_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
ENGAGE_UPLOAD_MAX_BYTES = int(os.environ.get("ENGAGE_UPLOAD_MAX_BYTES", str(ENGAGE_IMPORT_MAX_BYTES)))
# The most rows one import takes, and the longest comment kept (longer ones are refused
# with their row named).
ENGAGE_IMPORT_MAX_ROWS = int(os.environ.get("ENGAGE_IMPORT_MAX_ROWS", "2000000"))
ENGAGE_CONVERSATION_MAX_CHARS = int(os.environ.get("ENGAGE_CONVERSATION_MAX_CHARS", "20000"))
# Where uploaded files wait for the worker: the website and the worker must share it.
ENGAGE_IMPORT_DIR = Path(os.environ.get("ENGAGE_IMPORT_DIR", VAR_DIR / "imports"))
FILE_UPLOAD_HANDLERS = [
    "engage.core.upload_limit.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # files up to 2.5 MB held in memory, larger spooled to disk
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "uploading")  # the var disk, not /tmp (often memory)
(VAR_DIR / "uploading").mkdir(parents=True, exist_ok=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields and API bodies, not files
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # the id lists posted (people, conversations) fit
# What openpyxl may be estimated to hold of one workbook being imported (workbook_guard):
# a workbook that would take more is refused before it is opened, with a clear message.
ENGAGE_IMPORT_WORKBOOK_MEMORY_BYTES = int(
    os.environ.get("ENGAGE_IMPORT_WORKBOOK_MEMORY_BYTES", str(192 * 1024 * 1024))
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Secure by default: cookies only over HTTPS unless a local http run asks otherwise.
_SECURE = env_bool("SECURE_COOKIES", not DEBUG and ENGAGE_PRODUCTION)
SESSION_COOKIE_SECURE = _SECURE
CSRF_COOKIE_SECURE = _SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
# In production, HTTPS only by default: http is redirected (behind a proxy that ends TLS,
# set BEHIND_PROXY) and browsers are told to use HTTPS for a year (HSTS). The preload
# flag alone puts the site on no browser's list: only submitting the domain does.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", ENGAGE_PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if ENGAGE_PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", ENGAGE_PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", ENGAGE_PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": ["'none'"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    # A personal access token (scripts), or the signed-in session (pages), which keeps CSRF.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "engage.api.authentication.AccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # ids typed as the database holds them, errors in one line per endpoint (engage/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "engage.api.schema.ApiSchema",
    # JSON bodies only: the document promises no other, so no other is read.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "engage.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Engaging Together API",
    "DESCRIPTION": "Read what a health and care partnership heard. Personal data is "
    "scoped to the organisation you act for.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The document describes what partners' data looks like: for signed-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "ActivityStatusEnum": "engage.activities.models.Status",
        "DecisionStatusEnum": "engage.decisions.models.DecisionStatus",
        "AssuranceLevelEnum": "engage.evaluation.board.assurance.LEVELS",
        "EngagementLevelEnum": "engage.activities.models.Level",
        "ReportKindEnum": "engage.reports.models.ReportKind",
        "ReportStateEnum": "engage.reports.models.ReportState",
    },
}

ENGAGE_PARTNERSHIP_NAME = os.environ.get("ENGAGE_PARTNERSHIP_NAME", "Engaging Together")
# Two activities closer than this many days may tire the same people (overlap warnings).
ENGAGE_OVERLAP_WINDOW_DAYS = int(os.environ.get("ENGAGE_OVERLAP_WINDOW_DAYS", "28"))
# How many reverse proxies stand in front of the site, so the feedback form's rate limit
# reads the visitor's address from X-Forwarded-For rather than the proxy's.
ENGAGE_TRUSTED_PROXY_COUNT = int(os.environ.get("ENGAGE_TRUSTED_PROXY_COUNT", "0"))
# At most this many public feedback forms an hour from one visitor (engage/site/feedback.py).
ENGAGE_FEEDBACK_RATE_LIMIT = int(os.environ.get("ENGAGE_FEEDBACK_RATE_LIMIT", "10"))
# A feedback form sent back sooner than MIN seconds after it was shown (no person writes
# that fast) or later than MAX_AGE is refused as a robot's or a replay.
ENGAGE_FEEDBACK_MIN_SECONDS = float(os.environ.get("ENGAGE_FEEDBACK_MIN_SECONDS", "3"))
ENGAGE_FEEDBACK_MAX_AGE_SECONDS = float(os.environ.get("ENGAGE_FEEDBACK_MAX_AGE_SECONDS", str(4 * 60 * 60)))
# The partnership's own screening rules (TOML); empty means the rules shipped with the software.
ENGAGE_SCREENING_RULES = os.environ.get("ENGAGE_SCREENING_RULES", "") or None
# Insight analyses: processes to analyse chunks on (1: in the worker itself), or a Dask
# scheduler's address (tcp://host:8786) to analyse them on a cluster instead.
ENGAGE_INSIGHT_WORKERS = int(os.environ.get("ENGAGE_INSIGHT_WORKERS", "1"))
ENGAGE_DASK_SCHEDULER = os.environ.get("ENGAGE_DASK_SCHEDULER", "")
# Reach: the Indices of Deprivation edition to measure against (2025 on 2021 LSOAs, or
# 2019 on 2011 LSOAs), and the disclosure-control rule for every published count: counts
# from 1 to SMALLEST_SHOWN - 1 are hidden, the rest rounded to ROUND_TO.
ENGAGE_IMD_EDITION = os.environ.get("ENGAGE_IMD_EDITION", "2025")
# The local authorities whose residents reach is measured against (codes such as
# E08000027, comma-separated); by default those of the census files loaded.
ENGAGE_REACH_LOCAL_AUTHORITIES = [
    code.strip().upper()
    for code in os.environ.get("ENGAGE_REACH_LOCAL_AUTHORITIES", "").split(",")
    if code.strip()
]
# How long a public "You said, we did" page is served from the cache while nothing on it
# has changed (0 turns the cache off).
ENGAGE_PUBLIC_CACHE_SECONDS = int(os.environ.get("ENGAGE_PUBLIC_CACHE_SECONDS", "300"))
ENGAGE_DISCLOSURE_SMALLEST_SHOWN = int(os.environ.get("ENGAGE_DISCLOSURE_SMALLEST_SHOWN", "8"))
ENGAGE_DISCLOSURE_ROUND_TO = int(os.environ.get("ENGAGE_DISCLOSURE_ROUND_TO", "5"))

# Email: Django's framework, so any mail service plugs in by EMAIL_BACKEND (SMTP with
# EMAIL_HOST and friends, or a provider's backend). Until one is set, messages are
# written as files under the var folder, where a developer can read them.
# One word chooses how email goes (ENGAGE_EMAIL): file (the default: each message
# written under var/sent-mail), smtp (the EMAIL_* settings below), notify (GOV.UK
# Notify, the ENGAGE_NOTIFY_* settings) or console. A backend no word names, such as a
# mail provider's own, can still be set with EMAIL_BACKEND; both set and differing is refused.
EMAIL_BACKEND = email_backend_for(
    os.environ.get("ENGAGE_EMAIL", ""), named_backend=os.environ.get("EMAIL_BACKEND", "")
)
EMAIL_FILE_PATH = VAR_DIR / "sent-mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# GOV.UK Notify (ENGAGE_EMAIL=notify): an API key, and the ID of a template whose subject
# is ((subject)) and body ((body)). Reply-to ID: blank for the service's default.
# Base URL: blank for Notify itself; set only for a proxy or Notify's test environment.
ENGAGE_NOTIFY_API_KEY = os.environ.get("ENGAGE_NOTIFY_API_KEY", "")
ENGAGE_NOTIFY_TEMPLATE_ID = os.environ.get("ENGAGE_NOTIFY_TEMPLATE_ID", "")
ENGAGE_NOTIFY_REPLY_TO_ID = os.environ.get("ENGAGE_NOTIFY_REPLY_TO_ID", "")
ENGAGE_NOTIFY_BASE_URL = os.environ.get("ENGAGE_NOTIFY_BASE_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Engaging Together <no-reply@localhost>")
# The public site's address, for links in emails (which have no request to build them from).
# Production refuses to start without it (engage.E003). On a developer's machine, left
# unset, `engage serve` gives the web server and the worker the address it serves on; a
# process started otherwise (`engage worker`, a shell) uses http://127.0.0.1:8000.
ENGAGE_PUBLIC_URL = os.environ.get(
    "ENGAGE_PUBLIC_URL", "" if ENGAGE_PRODUCTION else "http://127.0.0.1:8000"
).rstrip("/")

# Background jobs (imports, analyses, reference loads) show they are alive every
# HEARTBEAT seconds while they run; one silent for STALE seconds is taken to have lost its
# worker and is marked failed (engage/core/jobs.py).
ENGAGE_JOB_HEARTBEAT_SECONDS = float(os.environ.get("ENGAGE_JOB_HEARTBEAT_SECONDS", "10"))
ENGAGE_JOB_STALE_SECONDS = float(os.environ.get("ENGAGE_JOB_STALE_SECONDS", "120"))

# Retention (engage/retention, ADR 0036): how long each kind of data is kept until a
# partnership administrator sets its own rule, as "72 months", "30 days" or (audit
# events only) "for ever". Checked at start-up; deleted each day at ENGAGE_RETENTION_HOUR
# (London time) by the worker.
ENGAGE_RETENTION_CONVERSATIONS = os.environ.get("ENGAGE_RETENTION_CONVERSATIONS", "72 months")
ENGAGE_RETENTION_FEEDBACK_FORMS = os.environ.get("ENGAGE_RETENTION_FEEDBACK_FORMS", "12 months")
ENGAGE_RETENTION_IMPORT_FILES = os.environ.get("ENGAGE_RETENTION_IMPORT_FILES", "7 days")
ENGAGE_RETENTION_IMPORT_REJECTIONS = os.environ.get("ENGAGE_RETENTION_IMPORT_REJECTIONS", "3 months")
ENGAGE_RETENTION_AUDIT_EVENTS = os.environ.get("ENGAGE_RETENTION_AUDIT_EVENTS", "72 months")
ENGAGE_RETENTION_SIGN_IN_RECORDS = os.environ.get("ENGAGE_RETENTION_SIGN_IN_RECORDS", "12 months")
ENGAGE_RETENTION_SESSIONS = os.environ.get("ENGAGE_RETENTION_SESSIONS", "1 day")
ENGAGE_RETENTION_TASK_RESULTS = os.environ.get("ENGAGE_RETENTION_TASK_RESULTS", "30 days")
ENGAGE_RETENTION_EMAIL_FILES = os.environ.get("ENGAGE_RETENTION_EMAIL_FILES", "30 days")
ENGAGE_RETENTION_SUBJECT_ACCESS_FILES = os.environ.get("ENGAGE_RETENTION_SUBJECT_ACCESS_FILES", "30 days")
ENGAGE_RETENTION_HOUR = int(os.environ.get("ENGAGE_RETENTION_HOUR", "2"))

# A refused request (4xx) is one line naming the user, the path and the reason, never a
# traceback (engage/core/request_log.py). The filter sits on django.request, so every
# handler sees the line, and on the console handler, for django.security's own loggers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "engage.core.request_log.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_on_one_line"]}},
    "loggers": {"django.request": {"filters": ["client_errors_on_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
