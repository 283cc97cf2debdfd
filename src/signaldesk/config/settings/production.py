"""Production: PostgreSQL + Redis + Celery workers. Secrets come only from the environment."""

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
