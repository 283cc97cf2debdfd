from django.apps import AppConfig


class SuppressionConfig(AppConfig):
    name = "signaldesk.suppression"
    label = "suppression"
    verbose_name = "Marketing suppression"
