from django.contrib import admin
from django.http import HttpRequest

from signaldesk.privacy.models import ErasureRecord


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """Read-only: erasures are made by `signaldesk privacy erase` or the API, never edited."""

    list_display = ("customer", "erased_at", "actor_label", "files_deleted")
    readonly_fields = (
        "customer", "token", "erased_at", "reason", "actor", "actor_label", "counts",
        "files_deleted",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
