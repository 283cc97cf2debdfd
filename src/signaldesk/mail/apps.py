from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "signaldesk.mail"
    label = "mail"
    verbose_name = "E-mail channel"
