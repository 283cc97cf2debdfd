"""The Celery application. In the embedded mode tasks run eagerly in-process after commit."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signaldesk.config.settings.embedded")

celery_app = Celery("signaldesk")
celery_app.config_from_object("django.conf:settings", namespace="CELERY")
celery_app.autodiscover_tasks()
