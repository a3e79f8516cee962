"""Settings, read from the environment.

Development (`make run`) and tests (`make test`) get DATABASE_URL and REDIS_URL
from the embedded services they start. Production sets DJANGO_PRODUCTION=true
and must then give a real SECRET_KEY, MFA_ENCRYPTION_KEY and ALLOWED_HOSTS, or the
process stops.
"""

import base64
import hashlib
import os
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from recovery_support.env import (
    env_bool,
    env_fernet_keys,
    env_int,
    env_list,
    env_str,
    env_zone,
    redis_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION = env_bool("DJANGO_PRODUCTION", False)
DEBUG = env_bool("DJANGO_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off when DJANGO_PRODUCTION is on.")

if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a long random string.")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS, e.g. recovery.example.org.")
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "development-only-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "recovery_support",
    "recovery_support.push",
    "networks",
    "plans",
    "sharing",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (or the footer's choice) for people not signed in; the
    # account's own language once they are (account_language, after authentication).
    "recovery_support.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "recovery_support.middleware.account_language",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "recovery_support.middleware.sign_out_idle_professionals",
    "recovery_support.middleware.require_two_factor",
    "recovery_support.middleware.member_time_zone",
    "recovery_support.middleware.no_store",
]

if PRODUCTION:
    # Development and tests serve static files through django.contrib.staticfiles.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

FORM_RENDERER = "recovery_support.forms.FormRenderer"

ROOT_URLCONF = "recovery_support.urls"
WSGI_APPLICATION = "recovery_support.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %} everywhere reverses each pattern once (templatetags/fast_url.py).
            "builtins": ["recovery_support.templatetags.fast_url"],
            # {% load i18n %} draws each fixed {% translate %} once per language: our
            # library replaces Django's under its name (so templates.W003, silenced
            # below; tests/recovery_support/test_fast_i18n.py checks no other name is
            # used twice).
            "libraries": {"i18n": "recovery_support.templatetags.fast_i18n"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

SILENCED_SYSTEM_CHECKS = ["templates.W003"]  # "i18n" is ours on purpose (above)

# --- Data -------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Parameters bound by PostgreSQL, so that a query asked again on the same connection
# (every page asks the same few) is prepared once, by psycopg after its fifth time,
# and not parsed and planned on every request. Django leaves this off for poolers in
# transaction mode (PgBouncer), which we do not put between the app and PostgreSQL.
DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
# The planner's cost of reading a page through an index, against 4 by default (for
# disks that seek): our tables are read from memory or SSD, as PostgreSQL's manual
# advises for this setting. With 4, the client list's query walked the whole plans
# table once per client rather than use its index (5.4 ms against 3.0 to 4.0 ms).
_connection_options = DATABASES["default"]["OPTIONS"]
# First, so that an address's own `?options=-c random_page_cost=…` (the last wins) does.
_connection_options["options"] = (
    f"-c random_page_cost=1.1 {_connection_options.get('options', '')}".strip()
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": {
        # RedisCache that goes on in PostgreSQL while Redis is down (allauth's rate limits
        # are the only users): signing in must not fail with it, nor go uncounted.
        # See recovery_support/cache.py.
        "BACKEND": "recovery_support.cache.ForgivingRedisCache",
        "FALLBACK": "without_redis",
        # Its own database, so clearing the cache never touches Celery's queue.
        "LOCATION": env_str("REDIS_CACHE_URL", redis_database(REDIS_URL, 1)),
        "KEY_PREFIX": "rs",
        "TIMEOUT": 300,
        # A Redis that drops packets must not hold a sign-in for long either.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
# Its table is made by migration recovery_support/0005_cache_without_redis.
CACHES["without_redis"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "cache_without_redis",
    "KEY_PREFIX": "rs",
    "TIMEOUT": 300,
    # Rate limits must not be culled while they count: room for every person signing in.
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}
# Sessions live in PostgreSQL so a Redis restart never signs anyone out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Counselors and staff see other people's data: their sessions end sooner, after this
# long without a request (recovery_support.middleware.sign_out_idle_professionals).
PROFESSIONAL_IDLE_TIMEOUT = 30 * 60

# --- Accounts ---------------------------------------------------------------

AUTH_USER_MODEL = "recovery_support.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_ADAPTER = "recovery_support.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "recovery_support.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address in the browser that signed up signs the person in and goes
# on where they were going (allauth keeps `next` with the sign-up in the session).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# allauth's own pages and messages speak to the person about themselves: their name,
# or their email address where they gave none (others never see the address).
ACCOUNT_USER_DISPLAY = "recovery_support.models.own_name"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Changing one's email address, like taking a copy of one's data (sharing/my_data.py),
# asks for the password again unless it was given in the last 5 minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Recovery Support: "
# allauth's default rate limits apply: failed sign-ins are limited per address
# (10 a minute) and per account (5 in 5 minutes), in a sliding window, so an
# attacker is slowed down but can never lock a person out for good.
# What one person may send to others, and how often they may try their password to
# delete their account: counted with allauth's rate limiter, refused by
# recovery_support/limits.py (which holds the words people see for each).
ACCOUNT_RATE_LIMITS = {
    "send_invitation": "10/h/user,30/d/user",
    "send_encouragement": "20/h/user",
    "reply_to_message": "20/h/user",
    "add_comment": "30/h/user",
    "delete_account": "5/15m/user",
}
# Behind our TLS proxy the client address comes from X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)
MFA_TOTP_ISSUER = "Recovery Support"
# Two-factor secrets are stored encrypted (recovery_support/mfa.py). Make a key with
# python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
MFA_ADAPTER = "recovery_support.mfa.MFAAdapter"
if PRODUCTION:
    MFA_ENCRYPTION_KEYS = env_fernet_keys("MFA_ENCRYPTION_KEY")
else:  # derived from the development key, so that it stays the same between runs
    MFA_ENCRYPTION_KEYS = env_fernet_keys(
        "MFA_ENCRYPTION_KEY",
        [base64.urlsafe_b64encode(hashlib.sha256(f"mfa:{SECRET_KEY}".encode()).digest()).decode()],
    )

# --- Security ---------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probed over plain HTTP inside the network
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Static files -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "recovery_support.static_files.StaticFilesStorage"  # WhiteNoise's, URLs kept
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Email ------------------------------------------------------------------

if env_str("EMAIL_HOST", "") or PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "recovery_support.emails.SmtpBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST"),
                "port": env_int("EMAIL_PORT", 587, minimum=1),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
elif env_str("EMAIL_FILE_PATH", ""):
    # A local sink: each email is written to a file in this folder (tests use it).
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env_str("EMAIL_FILE_PATH")},
        }
    }
else:
    # Development: emails are printed where `make run` shows its output.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Links in emails (reminders) point here.
SITE_URL = env_str("SITE_URL") if PRODUCTION else env_str("SITE_URL", "http://127.0.0.1:8000")
SITE_URL = SITE_URL.rstrip("/")
if PRODUCTION and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be the https:// address people use.")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Recovery Support <care@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Web Push (push/): the server's VAPID key, base64url (raw 32 bytes or DER). `make run`
# makes one in .run/; without one, notifications on devices are off.
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:" + parseaddr(DEFAULT_FROM_EMAIL)[1])
PUSH_TTL_SECONDS = 6 * 60 * 60  # a reminder older than this is not worth showing

# --- Celery -----------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Delivering waits on the mail server, the push service and the database far more than
# it computes: more pool processes than cores keep the cores busy (docs/benchmarks.md).
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 4 * (os.cpu_count() or 1))
CELERY_TASK_TIME_LIMIT = 60
CELERY_TASK_SOFT_TIME_LIMIT = 50
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An unacknowledged task (its worker died) goes back to the queue after this long.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "recovery_support.tasks.clear_expired_sessions",
        "schedule": 60 * 60 * 6,
    },
    "sweep-reminders": {
        "task": "plans.tasks.sweep_reminders",
        "schedule": 60,
    },
    "alert-counselors-of-missed-check-ins": {
        "task": "sharing.tasks.sweep_missed_checkins",
        "schedule": 60 * 60,
    },
    "clear-orphaned-access-records": {
        "task": "sharing.tasks.clear_orphaned_records",
        "schedule": 60 * 60,
    },
    "purge-removed-sources": {
        "task": "networks.tasks.purge_removed_sources",
        "schedule": 60 * 60,
    },
    # Every reminder but the check-in (recovery_support/push/notices.py), and those
    # held by quiet hours once the hours end.
    "sweep-notices": {
        "task": "recovery_support.push.tasks.sweep_notices",
        "schedule": 60,
    },
    # Named nudges (plans/nudges.py): contacts due, follow-up dates, meetings soon.
    "sweep-nudges": {
        "task": "plans.tasks.sweep_nudges",
        "schedule": 5 * 60,
    },
    "sweep-help-reminders": {
        "task": "sharing.tasks.sweep_help_reminders",
        "schedule": 60,
    },
    # Hourly, so each counselor's comes the first hour after 8 AM where they are.
    "send-counselor-digests": {
        "task": "sharing.tasks.send_counselor_digests",
        "schedule": 60 * 60,
    },
}

# --- The product ------------------------------------------------------------

LANGUAGE_CODE = "en-us"
# Each name in its own language: it is how a person finds theirs in the list.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The catalogues (.po) are compiled to .mo by `make run` and `make test`
# (recovery_support/devstack.py, with polib: no GNU gettext needed); .mo is not committed.
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One way to show a time everywhere, pages and emails: `|time` in templates,
# django.utils.formats.time_format in Python; 12-hour in the US (formats/en), 24-hour in
# Spain (formats/es_ES). A signed-in person's formats follow their language and their
# country together (recovery_support/languages.py).
FORMAT_MODULE_PATH = ["recovery_support.formats"]
DEFAULT_MEMBER_TIME_ZONE = env_zone("DEFAULT_MEMBER_TIME_ZONE", "America/New_York")

# The crisis lines are a table per country: recovery_support/crisis_lines.py.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
