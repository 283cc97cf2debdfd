from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "signaldesk.commerce"
    label = "commerce"
    verbose_name = "Customers, catalog, orders and fulfilment"
