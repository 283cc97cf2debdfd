from django.contrib import admin

from signaldesk.suppression.models import SuppressionEntry


@admin.register(SuppressionEntry)
class SuppressionEntryAdmin(admin.ModelAdmin):
    list_display = ("customer", "reason", "source_ticket", "started_at", "expires_at", "lifted_at")
    list_filter = ("lift_reason",)
    raw_id_fields = ("customer", "source_ticket")
