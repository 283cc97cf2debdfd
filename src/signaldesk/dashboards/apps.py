from __future__ import annotations

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "signaldesk.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards (service, cost, review and repurchase rollups)"
    default_auto_field = "django.db.models.BigAutoField"
