"""Production: PostgreSQL + Redis + Celery workers. Secrets come only from the environment.

Processes (docs/deployment.md): `signaldesk serve --production` (gunicorn), `signaldesk worker`
(Celery, N of them), `signaldesk scheduler` (Celery beat, exactly one), all with the same
environment."""

from django.core.exceptions import ImproperlyConfigured

from signaldesk.config.settings.base import *  # noqa: F403
from signaldesk.config.settings.base import DATABASES, REDIS_URL, SECRET_KEY, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("SIGNALDESK_SECRET_KEY must be set in production.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production needs SIGNALDESK_DATABASE_URL=postgres://...")
if not REDIS_URL:
    raise ImproperlyConfigured("Production needs SIGNALDESK_REDIS_URL=redis://...")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SIGNALDESK_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SIGNALDESK_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SIGNALDESK_SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL_REDIRECT else 0
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (set only if it strips the header
# from clients).
if env_bool("SIGNALDESK_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Jobs always go to the workers through Redis here; never run in the web process.
CELERY_TASK_ALWAYS_EAGER = False
