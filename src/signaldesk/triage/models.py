"""What triage learned about a ticket: one TicketEnrichment row per ticket, recomputed (in place)
whenever new inbound messages arrive. Typed columns hold what rules and analytics filter on;
the JSON columns hold the evidence (entities and risk flags with spans) and the provenance of
each joined field."""

from __future__ import annotations

from django.db import models

from signaldesk.commerce.models import Order, Variant
from signaldesk.core.models import money_field
from signaldesk.tickets.models import Ticket


class OrderMatch(models.TextChoices):
    NONE = "", "No order"
    TICKET = "ticket", "Linked on the ticket"
    QUOTED = "quoted", "Order number quoted"
    TRACKING = "tracking", "Tracking number quoted"
    INFERRED = "inferred", "Customer's recent order (inferred)"


class ProductMatchSource(models.TextChoices):
    NONE = "", "No product"
    TICKET = "ticket", "Variant linked on the ticket"
    MENTION_IN_ORDER = "mention_in_order", "Mentioned and in the order"
    SINGLE_LINE = "single_line", "The order's only line"
    CATALOG = "catalog", "Best catalog match"


class TicketEnrichment(models.Model):
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="enrichment")
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order_match = models.CharField(max_length=10, choices=OrderMatch.choices, blank=True)
    variant = models.ForeignKey(
        Variant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_match = models.CharField(max_length=20, choices=ProductMatchSource.choices, blank=True)
    sku = models.CharField(max_length=100, blank=True, db_index=True)
    size = models.CharField(max_length=50, blank=True)
    batch_code = models.CharField(max_length=100, blank=True, db_index=True)
    supplier = models.CharField(max_length=200, blank=True, db_index=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    carrier = models.CharField(max_length=100, blank=True, db_index=True)
    warehouse = models.CharField(max_length=100, blank=True, db_index=True)
    region = models.CharField(max_length=100, blank=True)
    shipment_status = models.CharField(max_length=20, blank=True)
    promised_date = models.DateField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    days_since_delivery = models.IntegerField(null=True, blank=True)
    days_late = models.IntegerField(null=True, blank=True)
    order_value = money_field(null=True, blank=True, default=None)
    refund_amount = money_field(null=True, blank=True, default=None)
    return_status = models.CharField(max_length=20, blank=True)
    customer_tier = models.CharField(max_length=10, blank=True)
    lifetime_value = money_field(null=True, blank=True, default=None)
    is_vip = models.BooleanField(default=False)
    prior_tickets_90d = models.PositiveIntegerField(default=0)
    open_tickets = models.PositiveIntegerField(default=0)
    repeat_contact_7d = models.BooleanField(default=False)
    campaign = models.CharField(max_length=200, blank=True)
    discount_code = models.CharField(max_length=100, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=10, blank=True)
    sentiment = models.FloatField(null=True, blank=True)
    suggested_priority = models.CharField(max_length=10, blank=True)
    risk_flags = models.JSONField(default=list, blank=True)
    entities = models.JSONField(default=dict, blank=True)
    provenance = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    messages_seen = models.PositiveIntegerField(default=0)
    last_message_id = models.BigIntegerField(null=True, blank=True)
    as_of = models.DateTimeField(help_text="The customer's latest message: relative fields use it.")
    computed_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["sku", "as_of"]), models.Index(fields=["carrier", "as_of"])]

    def __str__(self) -> str:
        return f"enrichment of ticket {self.ticket_id}"
