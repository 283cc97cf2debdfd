"""The Celery application. In the embedded mode tasks run eagerly in-process after commit.

Workers (`signaldesk worker`) and beat (`signaldesk scheduler`) load this module; the periodic
jobs come from config/schedule.py, and every task run is recorded as a JobRun (core/jobs.py)."""

import os

from celery import Celery

from signaldesk.config.schedule import beat_schedule
from signaldesk.core.jobs import connect_job_recording

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signaldesk.config.settings.embedded")

celery_app = Celery("signaldesk")
celery_app.config_from_object("django.conf:settings", namespace="CELERY")
celery_app.conf.beat_schedule = beat_schedule()
celery_app.autodiscover_tasks()
connect_job_recording()
