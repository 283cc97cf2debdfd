from django.contrib import admin

from signaldesk.actions.models import Action, ActionImpact, ActionNotice


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "action_type", "owner_team", "status", "due_date")
    list_filter = ("status", "owner_team", "action_type")
    readonly_fields = ("created_at", "updated_at", "started_at", "done_at")


@admin.register(ActionImpact)
class ActionImpactAdmin(admin.ModelAdmin):
    list_display = ("action", "measured_at", "relative_change", "ci_low", "ci_high")


@admin.register(ActionNotice)
class ActionNoticeAdmin(admin.ModelAdmin):
    list_display = ("action", "customer", "status", "created_at")
