from django.contrib import admin

from signaldesk.triage.models import TicketEnrichment


@admin.register(TicketEnrichment)
class TicketEnrichmentAdmin(admin.ModelAdmin):
    """Read-only: enrichment is computed by triage, never edited by hand."""

    list_display = (
        "ticket", "order_match", "sku", "carrier", "shipment_status", "days_late",
        "customer_tier", "repeat_contact_7d", "suggested_priority", "computed_at",
    )  # fmt: skip
    list_filter = ("order_match", "product_match", "carrier", "customer_tier", "repeat_contact_7d")
    search_fields = ("sku", "batch_code", "tracking_number")
    raw_id_fields = ("ticket", "order", "variant")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
