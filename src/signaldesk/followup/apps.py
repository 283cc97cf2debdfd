from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "signaldesk.followup"
    label = "followup"
    verbose_name = "Follow-up: CSAT/NPS surveys and low-score follow-ups"
