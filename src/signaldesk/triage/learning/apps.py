from django.apps import AppConfig


class TriageLearningConfig(AppConfig):
    name = "signaldesk.triage.learning"
    label = "triage_learning"
    verbose_name = "Reason classifier: models, predictions and corrections"
