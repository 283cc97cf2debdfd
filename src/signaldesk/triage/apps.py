from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "signaldesk.triage"
    label = "triage"
    verbose_name = "Triage and enrichment"
