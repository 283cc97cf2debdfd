from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "signaldesk.workflow"
    label = "workflow"
    verbose_name = "Workflow: ticket types and SLAs"
