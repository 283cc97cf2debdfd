from django.contrib import admin

from signaldesk.approvals.models import MoneyRequest


@admin.register(MoneyRequest)
class MoneyRequestAdmin(admin.ModelAdmin):
    list_display = ("id", "ticket", "kind", "amount", "currency", "status", "route", "requested_at")
    list_filter = ("status", "kind", "route")
    raw_id_fields = ("ticket", "requested_by", "decided_by")
