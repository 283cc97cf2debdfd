from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "signaldesk.quality"
    label = "quality"
    verbose_name = "Response quality: scorecards and QA reviews"
