from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "signaldesk.intake"
    label = "intake"
    verbose_name = "Intake and imports"
