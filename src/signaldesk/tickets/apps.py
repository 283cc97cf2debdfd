from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "signaldesk.tickets"
    label = "tickets"
    verbose_name = "Tickets and messages"
