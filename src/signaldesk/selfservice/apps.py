from django.apps import AppConfig


class SelfServiceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "signaldesk.selfservice"
    label = "selfservice"
    verbose_name = "Self-service"
