from __future__ import annotations

from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "signaldesk.actions"
    label = "actions"
    verbose_name = "Root-cause actions and impact"
    default_auto_field = "django.db.models.BigAutoField"
