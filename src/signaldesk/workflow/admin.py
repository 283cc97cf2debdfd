from django.contrib import admin

from signaldesk.workflow.models import Notification, SlaBreach, SlaClock


@admin.register(SlaClock)
class SlaClockAdmin(admin.ModelAdmin):
    list_display = ("ticket", "metric", "policy_id", "due_at", "paused_at", "met_at", "breached_at")
    list_filter = ("metric", "policy_id")
    raw_id_fields = ("ticket",)


@admin.register(SlaBreach)
class SlaBreachAdmin(admin.ModelAdmin):
    list_display = ("ticket", "metric", "policy_id", "breached_at", "priority", "channel", "team")
    list_filter = ("metric", "policy_id", "priority", "channel")
    raw_id_fields = ("ticket", "clock")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "ticket", "created_at", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "ticket")


from signaldesk.workflow.rules import admin as rules_admin  # noqa: E402, F401
