from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "signaldesk.privacy"
    label = "privacy"
    verbose_name = "Privacy (export and erasure)"
