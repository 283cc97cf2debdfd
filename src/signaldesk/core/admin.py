from django.contrib import admin
from django.utils import timezone

from signaldesk.core.models import AuditEvent, OutboxMessage


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "target", "status", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("status", "kind")
    search_fields = ("target", "dedupe_key")
    readonly_fields = ("created_at", "delivered_at", "attempts", "last_error")
    actions = ["retry_now"]

    @admin.action(description="Retry now (failed or waiting messages)")
    def retry_now(self, request, queryset):  # type: ignore[no-untyped-def]
        queryset.exclude(status=OutboxMessage.Status.DELIVERED).update(
            status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
