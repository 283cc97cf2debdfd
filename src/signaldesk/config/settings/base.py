"""Settings shared by every deployment mode. Everything that differs is read from the environment.

Environment variables (all optional on the embedded default):
- SIGNALDESK_HOME: folder holding ./var (SQLite database, uploads, models); default: current dir.
- SIGNALDESK_DATABASE_URL: e.g. postgres://user@127.0.0.1:5432/signaldesk; default SQLite in var/.
- SIGNALDESK_REDIS_URL: e.g. redis://127.0.0.1:6379/0; when set, jobs go to Celery workers,
  otherwise they run in-process after the transaction commits.
- SIGNALDESK_SECRET_KEY: required in production.
- SIGNALDESK_ALLOWED_HOSTS: comma-separated.
- SIGNALDESK_DEBUG: "1" to enable debug (never in production).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env_str(name, default).split(",") if part.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
SIGNALDESK_HOME = Path(env_str("SIGNALDESK_HOME", str(Path.cwd()))).resolve()
VAR_DIR = SIGNALDESK_HOME / "var"

DEBUG = env_bool("SIGNALDESK_DEBUG", False)
SECRET_KEY = env_str("SIGNALDESK_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("SIGNALDESK_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "signaldesk.core",
    "signaldesk.accounts",
    "signaldesk.commerce",
    "signaldesk.tickets",
    "signaldesk.intake",
    "signaldesk.triage",
    "signaldesk.workflow",
    "signaldesk.triage.learning",
    "signaldesk.taxonomy",
    "signaldesk.knowledge",
    "signaldesk.selfservice",
    "signaldesk.replies",
    "signaldesk.console",
    "signaldesk.search",
    "signaldesk.signals",
    "signaldesk.actions",
    "signaldesk.approvals",
    "signaldesk.suppression",
    "signaldesk.proactive",
    "signaldesk.quality",
    "signaldesk.followup",
    "signaldesk.insights",
    "signaldesk.mail",
    "signaldesk.dashboards",
    "signaldesk.privacy",
]

MIDDLEWARE = [
    # Platform (core/middleware.py): /healthz + /readyz probes, then 503 + Retry-After when the
    # database cannot be reached. First, so they wrap everything below.
    "signaldesk.core.middleware.HealthCheckMiddleware",
    "signaldesk.core.middleware.DatabaseUnavailableMiddleware",
    # 413 for bodies over the limit of their path, before anything reads them (core/bodylimit.py)
    "signaldesk.core.bodylimit.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "signaldesk.config.urls"
WSGI_APPLICATION = "signaldesk.config.wsgi.application"

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
                "signaldesk.console.context.console",
            ],
        },
    },
]


def database_from_env() -> dict[str, object]:
    url = env_str("SIGNALDESK_DATABASE_URL", "")
    if not url:
        url = f"sqlite:///{VAR_DIR / 'signaldesk.sqlite3'}"
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=30000; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    else:
        config["CONN_MAX_AGE"] = int(env_str("SIGNALDESK_DB_CONN_MAX_AGE", "60"))
        config["CONN_HEALTH_CHECKS"] = True
        # JIT compiles any plan above a cost threshold: 15-120 ms spent on short console queries
        # over a 1M-ticket table (docs/benchmarks/console.md); OLTP reads never win it back.
        options = config.get("OPTIONS")
        config["OPTIONS"] = {
            **(options if isinstance(options, dict) else {}),
            "options": "-c jit=off",
        }
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("SIGNALDESK_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
# Sessions: HttpOnly, SameSite=Lax, one working day from sign-in (not renewed by polling).
# Secure cookies are switched on in production.py (SIGNALDESK_SECURE_COOKIES).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env_str("SIGNALDESK_SESSION_SECONDS", str(10 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = False
CSRF_COOKIE_SAMESITE = "Lax"
# The console sends the token from the page (hx-headers), so the cookie need not be readable by JS.
CSRF_COOKIE_HTTPONLY = True
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
# Login throttling (accounts/throttle.py): this many failures per username+IP lock that pair
# out for the window, counted in the default cache.
SIGNALDESK_LOGIN_MAX_FAILURES = int(env_str("SIGNALDESK_LOGIN_MAX_FAILURES", "5"))
SIGNALDESK_LOGIN_LOCKOUT_SECONDS = int(env_str("SIGNALDESK_LOGIN_LOCKOUT_SECONDS", "900"))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Body limits (core/bodylimit.py, docs/security.md "Bad input"): JSON and form bodies up to
# 2.5 MB, multipart uploads up to SIGNALDESK_MAX_UPLOAD_BYTES (files spill to disk past 5 MB);
# imports and inbound mail have their own limits. Over the limit: 413, nothing read.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env_str("SIGNALDESK_MAX_BODY_BYTES", str(2_621_440)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SIGNALDESK_MAX_UPLOAD_BYTES = int(env_str("SIGNALDESK_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))

REDIS_URL = env_str("SIGNALDESK_REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# JobRun rows (core/jobs.py) older than this are deleted by the nightly core.purge_job_runs job.
SIGNALDESK_JOB_RUN_RETENTION_DAYS = int(env_str("SIGNALDESK_JOB_RUN_RETENTION_DAYS", "14"))
# Triage sweep (triage.sweep_untriaged): re-queue triage lost to a killed process for inbound
# messages older than the grace (jobs still queued are not doubled) and younger than the lookback.
SIGNALDESK_TRIAGE_SWEEP_GRACE_SECONDS = int(env_str("SIGNALDESK_TRIAGE_SWEEP_GRACE_SECONDS", "300"))
SIGNALDESK_TRIAGE_SWEEP_LOOKBACK_HOURS = int(
    env_str("SIGNALDESK_TRIAGE_SWEEP_LOOKBACK_HOURS", "48")
)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Public endpoints: (requests, window seconds) per caller, enforced by core/ratelimit.py.
SIGNALDESK_RATE_LIMITS: dict[str, tuple[int, int]] = {
    "selfservice": (int(env_str("SIGNALDESK_RATE_SELFSERVICE", "30")), 60),
    "survey": (int(env_str("SIGNALDESK_RATE_SURVEY", "10")), 60),
    "password_reset": (int(env_str("SIGNALDESK_RATE_PASSWORD_RESET", "5")), 3600),
    "inbound_webhook": (int(env_str("SIGNALDESK_RATE_INBOUND_WEBHOOK", "600")), 60),
}
SIGNALDESK_TRUSTED_PROXY_HEADER = env_str("SIGNALDESK_TRUSTED_PROXY_HEADER", "")

DEFAULT_FROM_EMAIL = env_str("SIGNALDESK_FROM_EMAIL", "support@signaldesk.local")


def mailers_from_env() -> dict[str, dict[str, object]]:
    """SMTP when SIGNALDESK_SMTP_HOST is set; otherwise mail is written to var/outbox-mail."""
    host = env_str("SIGNALDESK_SMTP_HOST", "")
    if not host:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "OPTIONS": {"file_path": str(VAR_DIR / "outbox-mail")},
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": host,
                "port": int(env_str("SIGNALDESK_SMTP_PORT", "25")),
                "username": env_str("SIGNALDESK_SMTP_USER", ""),
                "password": env_str("SIGNALDESK_SMTP_PASSWORD", ""),
                "use_tls": env_bool("SIGNALDESK_SMTP_TLS", False),
                "timeout": 10,
            },
        }
    }


MAILERS = mailers_from_env()

# E-mail channel (signaldesk.mail, docs/email.md): inbound limits, attachment policy, HMAC secret
# for POST /api/v1/mail/inbound, accepted recipient domains for the SMTP listener ("" = any).
SIGNALDESK_MAIL_MAX_MESSAGE_BYTES = int(env_str("SIGNALDESK_MAIL_MAX_MESSAGE_BYTES", "26214400"))
SIGNALDESK_MAIL_MAX_ATTACHMENT_BYTES = int(
    env_str("SIGNALDESK_MAIL_MAX_ATTACHMENT_BYTES", "10485760")
)
SIGNALDESK_MAIL_MAX_PARTS = int(env_str("SIGNALDESK_MAIL_MAX_PARTS", "100"))
SIGNALDESK_MAIL_MAX_DEPTH = int(env_str("SIGNALDESK_MAIL_MAX_DEPTH", "8"))
SIGNALDESK_MAIL_ALLOWED_TYPES = env_list(
    "SIGNALDESK_MAIL_ALLOWED_TYPES",
    "image/png,image/jpeg,image/gif,image/webp,image/heic,application/pdf,text/plain,text/csv,"
    "video/mp4,video/quicktime",
)
SIGNALDESK_MAIL_INBOUND_SECRET = env_str("SIGNALDESK_MAIL_INBOUND_SECRET", "")
SIGNALDESK_MAIL_INBOUND_DOMAINS = env_list("SIGNALDESK_MAIL_INBOUND_DOMAINS", "")
SIGNALDESK_MAIL_REPLY_TO = env_str("SIGNALDESK_MAIL_REPLY_TO", "")

# Intake: a reply to a solved ticket reopens it unless it is older than this many days.
SIGNALDESK_REOPEN_WINDOW_DAYS = int(env_str("SIGNALDESK_REOPEN_WINDOW_DAYS", "14"))
SIGNALDESK_STORE_CURRENCY = env_str("SIGNALDESK_STORE_CURRENCY", "EUR")
# Triage: a customer is VIP with a gold/vip tier or at least this lifetime value (store currency).
SIGNALDESK_VIP_LIFETIME_VALUE = env_str("SIGNALDESK_VIP_LIFETIME_VALUE", "1000")
# Customer value segment (commerce/value.py, docs/workflow.md): VIP by tier, lifetime value or
# orders in the last 365 days; "high value" below that. Rules read it as the `customer_value` fact.
SIGNALDESK_VIP_TIERS = env_list("SIGNALDESK_VIP_TIERS", "vip,gold")
SIGNALDESK_VIP_ORDERS_365D = int(env_str("SIGNALDESK_VIP_ORDERS_365D", "12"))
SIGNALDESK_HIGH_VALUE_LIFETIME_VALUE = env_str("SIGNALDESK_HIGH_VALUE_LIFETIME_VALUE", "400")
SIGNALDESK_HIGH_VALUE_ORDERS_365D = int(env_str("SIGNALDESK_HIGH_VALUE_ORDERS_365D", "5"))
# Reason classifier (triage/learning): model kind for retraining ("" = the ML core's default,
# see docs/classifier.md) and the precision the per-reason review thresholds aim for.
SIGNALDESK_CLASSIFIER_KIND = env_str("SIGNALDESK_CLASSIFIER_KIND", "")
SIGNALDESK_CLASSIFIER_TARGET_PRECISION = float(
    env_str("SIGNALDESK_CLASSIFIER_TARGET_PRECISION", "0.95")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SIGNALDESK_LOG_LEVEL", "WARNING")},
}
