from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "signaldesk.taxonomy"
    label = "taxonomy"
    verbose_name = "Contact-reason taxonomy"
