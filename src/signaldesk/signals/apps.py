from __future__ import annotations

from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "signaldesk.signals"
    label = "signals"
    verbose_name = "Signals (rollups and spike alerts)"
    default_auto_field = "django.db.models.BigAutoField"
