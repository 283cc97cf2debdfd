from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "signaldesk.approvals"
    label = "approvals"
    verbose_name = "Approvals: money requests and auto-action policy"
