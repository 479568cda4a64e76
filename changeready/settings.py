"""changeready settings: one module, every value from the environment.

See the README's table of variables. Parsing is loud: a malformed value raises
ImproperlyConfigured at start-up, naming the variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from changeready.env import code_release, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is false.")
    # Development only: a fresh key per process is fine because nothing signed
    # in development needs to outlive a restart.
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Absolute base for links that leave the app (invitations, surveys, shares).
# In development it follows the port `make run` serves on, so the links work;
# a deployment must say where it is reachable.
PORT = env_int("PORT", 8000, minimum=1)
SITE_URL = (env_str("SITE_URL") or "").rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SITE_URL is required when DEBUG is false: the absolute base of the links "
            "sent by email, such as https://changeready.example.com."
        )
    SITE_URL = f"http://127.0.0.1:{PORT}"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    # Serves the API docs' Swagger UI from our static files instead of a CDN.
    "ninja",
    # Sign-in: email and password, codes by email, email verification.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Single sign-on per workspace (changeready.sso) through OpenID Connect.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "changeready.activity",
    "changeready.accounts",
    "changeready.workspaces",
    "changeready.engagements",
    # No models: its upload page's template.
    "changeready.engagement_file",
    "changeready.landscape",
    "changeready.planning",
    "changeready.assessment",
    "changeready.surveys",
    "changeready.handoff",
    "changeready.engagement_templates",
    "changeready.portal",
    "changeready.portfolio",
    "changeready.usage",
    "changeready.integrations",
    "changeready.backup",
    "changeready.privacy",
    "changeready.api",
    "changeready.sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so static files carry these headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "changeready.common.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Sends a member to set up two-factor authentication when a workspace asks.
    "changeready.workspaces.middleware.MfaRequiredMiddleware",
    # After auth and messages: it logs out and explains why.
    "changeready.common.sessions.SessionTimeoutMiddleware",
]

ROOT_URLCONF = "changeready.urls"
WSGI_APPLICATION = "changeready.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "changeready" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "changeready.workspaces.context_processors.workspaces",
            ],
            "builtins": ["changeready.common.templatetags.labels"],
        },
    },
]

# --- Database -------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "changeready.sqlite3"
_database_url = env_str("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}"
try:
    _database = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL we understand: {exc}") from None
if _database["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL must be a sqlite:// or postgres:// URL.")
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # Several people on one embedded install: WAL lets readers and a writer
    # proceed together, IMMEDIATE takes the write lock at BEGIN (so a
    # transaction never fails half-way on upgrade to a writer), and the
    # timeout makes a writer wait for the lock instead of "database is locked".
    _database["CONN_MAX_AGE"] = 0
    _database.pop("CONN_HEALTH_CHECKS", None)
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }
    _database.setdefault("TEST", {})
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (Redis optional) -----------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Every cache key carries the release (RELEASE, e.g. the deployed commit, or a
# digest of the code): what one release computed (assessments, rendered pages,
# API bodies) is never served by the next. A deploy therefore starts the cache
# afresh: sessions stay in the database, log-in throttles count anew.
RELEASE = env_str("RELEASE") or code_release(BASE_DIR / "changeready")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"cr-{RELEASE}",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work -------------------------------------------------------
# Immediate by default (an embedded install needs no worker); production can
# use the database backend with `manage.py db_worker` (see the README).
TASKS_BACKEND = env_str("TASKS_BACKEND") or "immediate"
_task_backends = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _task_backends:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'.")
TASKS = {"default": {"BACKEND": _task_backends[TASKS_BACKEND]}}

# --- Webhooks (changeready.integrations.delivery) ----------------------------
# In development, endpoints may be http:// and on this machine or the local
# network; in production only https:// URLs resolving to public addresses.
WEBHOOKS_ALLOW_LOCAL = DEBUG
# Each network step of an attempt (connect, send, read) waits at most this long.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)
# Seconds before each retry of a failed attempt: 7 attempts over about 18 hours.
WEBHOOK_RETRY_DELAYS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600)
# Deliveries in a row that fail every attempt before the endpoint is switched off.
WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES = env_int(
    "WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES", 3, minimum=1
)

# --- Auth ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Sign-in runs on django-allauth (see docs/operations.md, "Sign-in"): people
# log in with their email and a password or a code sent by email, and confirm
# their email address before their first log-in.
ACCOUNT_ADAPTER = "changeready.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "changeready.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Sessions last SESSION_COOKIE_AGE whatever the browser does; no "remember me".
ACCOUNT_SESSION_REMEMBER = True
# Sign-up answers the same for a new and a taken email (the owner of a taken
# one is told by email), and so does a password reset.
ACCOUNT_PREVENT_ENUMERATION = True
# Nothing is mailed to an address that has no account (a reset or code request).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "changeready: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
# Single sign-on: each workspace's OpenID Connect connection is an allauth
# app built from the database (changeready.sso.adapter); someone the provider
# vouches for at a verified domain signs in to the account with that email, or
# gets one, and joins the workspace.
SOCIALACCOUNT_ADAPTER = "changeready.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "changeready.sso.oidc.WorkspaceOidcProvider",
        "OAUTH_PKCE_ENABLED": True,
    }
}
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
# Two-factor authentication: an authenticator app (TOTP) with recovery codes,
# and passkeys (WebAuthn), which also sign in without a password. WebAuthn
# needs HTTPS (or http://localhost in development).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "changeready"
MFA_PASSKEY_LOGIN_ENABLED = True
# Failed log-ins allowed per account and per client address in a window,
# counted in the cache by changeready.common.throttle (AccountAdapter and
# changeready.accounts.views.LoginView answer 429 once either is used up).
LOGIN_FAILURES_PER_ACCOUNT = 5
LOGIN_FAILURES_PER_ADDRESS = 20
LOGIN_THROTTLE_WINDOW = 15 * 60
# allauth's own limits for everything else that sends mail or creates
# accounts (sliding windows, counted in the cache under a lock, 429 page).
# Its "login_failed" is off: the throttle above does that job.
ACCOUNT_RATE_LIMITS = {
    "login_failed": None,
    "login": "30/m/ip",
    "signup": "10/h/ip",
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "10/h/ip,3/15m/key",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# API: failed token checks allowed per client address in a window, and
# requests allowed per token in a window (changeready.api.auth.TokenAuth).
API_TOKEN_FAILURES_PER_ADDRESS = 20
API_TOKEN_FAILURE_WINDOW = 15 * 60
API_REQUESTS_PER_TOKEN = 600
API_REQUEST_WINDOW = 60
# How many proxies in front of the app append to X-Forwarded-For; the client
# address is read that many entries from its right (0: REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 7, minimum=1)
# Customer contributors' portal links (changeready.portal): how long a link
# works after it was sent, requests allowed through one link in a window, and
# bad links allowed per client address in a window before every link from it
# is refused until the window ends.
PORTAL_LINK_MAX_AGE_DAYS = env_int("PORTAL_LINK_MAX_AGE_DAYS", 30, minimum=1)
PORTAL_REQUESTS_PER_LINK = 60
PORTAL_REQUEST_WINDOW = 10 * 60
PORTAL_FAILURES_PER_ADDRESS = 20
PORTAL_FAILURE_WINDOW = 15 * 60

# --- Email -------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "changeready <noreply@changeready.local>"

# --- Security ----------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Rendered by changeready.common.security.SecurityHeadersMiddleware. Pages load
# only our own vendored files: no inline <script>, no style="" attributes, no
# CDN. data: images are Pico's inline SVG icons.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PERMISSIONS_POLICY: dict[str, list[str]] = {"camera": [], "microphone": [], "geolocation": []}
# Absolute lifetime: a session ends this long after log-in, however active.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=300)
# Idle timeout: a session ends after this long without a request.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 8 * 3600, minimum=60)
# Last activity is written at most this often (not a session write per request).
SESSION_ACTIVITY_RESOLUTION = 60
SESSION_SAVE_EVERY_REQUEST = False

# Request bodies: uploads (imports) are small documents, not data dumps.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# One call of `POST …/usage/events` (10,000 events with their properties).
USAGE_EVENTS_MAX_BYTES = env_int("USAGE_EVENTS_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# A CSV or JSON-lines file of usage events uploaded in the app; read in batches.
USAGE_UPLOAD_MAX_BYTES = env_int("USAGE_UPLOAD_MAX_BYTES", 200 * 1024 * 1024, minimum=1024)
# Largest engagement file accepted by the import (API and upload); larger is a 413.
ENGAGEMENT_FILE_MAX_BYTES = env_int("ENGAGEMENT_FILE_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)

# --- I18N / static -----------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE") or "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "changeready" / "static"]
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
WHITENOISE_USE_FINDERS = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
}
