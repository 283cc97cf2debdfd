"""The store's data: customers and their identities, catalog, orders, fulfilment, returns,
refunds and reviews. Every imported row carries a natural key used for idempotent upserts."""

from __future__ import annotations

from django.db import models

from signaldesk.core.models import currency_field, money_field


class LoyaltyTier(models.TextChoices):
    NONE = "none", "None"
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"
    VIP = "vip", "VIP"


class IdentityKind(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    SOCIAL = "social", "Social handle"
    MARKETPLACE = "marketplace", "Marketplace id"
    CHAT = "chat", "Chat visitor id"
    EXTERNAL = "external", "External system id"


class Customer(models.Model):
    name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True, db_index=True)
    phone = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=100, blank=True)
    loyalty_tier = models.CharField(
        max_length=10, choices=LoyaltyTier.choices, default=LoyaltyTier.NONE
    )
    lifetime_value = money_field()
    currency = currency_field()
    orders_count = models.PositiveIntegerField(default=0)
    marketing_consent = models.BooleanField(default=False)
    abuse_flag = models.BooleanField(default=False, help_text="Flagged for refund abuse.")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name or self.email or f"customer {self.pk}"


class CustomerIdentity(models.Model):
    """One way to recognise a customer on one channel. (kind, value) is unique: the same email or
    phone number always points at one customer, which is how channels are merged."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(max_length=12, choices=IdentityKind.choices)
    value = models.CharField(max_length=254, help_text="Normalised: lower-case email, E.164 phone")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="uniq_identity_kind_value")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class Supplier(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    handle = models.CharField(max_length=200, unique=True)
    title = models.CharField(max_length=300)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL)
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.SET_NULL)
    product_type = models.CharField(max_length=200, blank=True)
    tags = models.JSONField(default=list, blank=True)
    page_url = models.CharField(max_length=500, blank=True)
    launched_at = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title


class Variant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=300, blank=True)
    size = models.CharField(max_length=50, blank=True)
    colour = models.CharField(max_length=50, blank=True)
    options = models.JSONField(default=dict, blank=True)
    price = money_field()
    currency = currency_field()

    def __str__(self) -> str:
        return self.sku


class Batch(models.Model):
    """A production lot of one SKU from one supplier."""

    code = models.CharField(max_length=100, unique=True)
    variant = models.ForeignKey(Variant, null=True, blank=True, on_delete=models.SET_NULL)
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.SET_NULL)
    received_at = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "batches"

    def __str__(self) -> str:
        return self.code


class Order(models.Model):
    number = models.CharField(max_length=50, unique=True, help_text="Shopify 'Name', e.g. #1001")
    external_id = models.CharField(max_length=64, blank=True, db_index=True)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    email = models.CharField(max_length=254, blank=True, db_index=True)
    created_at = models.DateTimeField(db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    financial_status = models.CharField(max_length=30, blank=True)
    fulfillment_status = models.CharField(max_length=30, blank=True)
    currency = currency_field()
    subtotal = money_field()
    shipping = money_field()
    taxes = money_field()
    total = money_field()
    discount_code = models.CharField(max_length=100, blank=True, db_index=True)
    discount_amount = money_field()
    refunded_amount = money_field()
    shipping_method = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=100, blank=True, help_text="web, pos, mobile_app, …")
    campaign = models.CharField(max_length=200, blank=True, db_index=True)
    tags = models.JSONField(default=list, blank=True)
    shipping_city = models.CharField(max_length=200, blank=True)
    shipping_province = models.CharField(max_length=200, blank=True)
    shipping_country = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    # no index of its own: uniq_order_line_no (order, line_no) serves lookups by order
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", db_index=False)
    line_no = models.PositiveIntegerField()
    variant = models.ForeignKey(Variant, null=True, blank=True, on_delete=models.SET_NULL)
    sku = models.CharField(max_length=100, blank=True, db_index=True)
    name = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField(default=1)
    price = money_field()
    vendor = models.CharField(max_length=200, blank=True)
    fulfillment_status = models.CharField(max_length=30, blank=True)
    batch = models.ForeignKey(Batch, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="uniq_order_line_no")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_no} {self.sku}"


class ShipmentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    IN_TRANSIT = "in_transit", "In transit"
    OUT_FOR_DELIVERY = "out_for_delivery", "Out for delivery"
    DELIVERED = "delivered", "Delivered"
    DELAYED = "delayed", "Delayed"
    LOST = "lost", "Lost"
    DAMAGED = "damaged", "Damaged"
    FAILED_DELIVERY = "failed_delivery", "Failed delivery"
    RETURNED = "returned", "Returned to sender"


class Shipment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    tracking_number = models.CharField(max_length=100, unique=True)
    carrier = models.CharField(max_length=100, db_index=True)
    method = models.CharField(max_length=100, blank=True)
    warehouse = models.CharField(max_length=100, blank=True, db_index=True)
    region = models.CharField(max_length=100, blank=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.PENDING
    )
    shipped_at = models.DateTimeField(null=True, blank=True, db_index=True)
    promised_at = models.DateField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class ShipmentItem(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="items")
    sku = models.CharField(max_length=100)
    variant = models.ForeignKey(Variant, null=True, blank=True, on_delete=models.SET_NULL)
    batch = models.ForeignKey(Batch, null=True, blank=True, on_delete=models.SET_NULL)
    quantity = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shipment", "sku"], name="uniq_shipment_sku")
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id}:{self.sku}"


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    IN_TRANSIT = "in_transit", "In transit"
    RECEIVED = "received", "Received"
    REFUNDED = "refunded", "Refunded"
    EXCHANGED = "exchanged", "Exchanged"
    REJECTED = "rejected", "Rejected"


class Return(models.Model):
    rma = models.CharField(max_length=64, unique=True)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    sku = models.CharField(max_length=100, blank=True, db_index=True)
    variant = models.ForeignKey(Variant, null=True, blank=True, on_delete=models.SET_NULL)
    quantity = models.PositiveIntegerField(default=1)
    reason_code = models.CharField(max_length=60, blank=True, db_index=True)
    reason_text = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    requested_at = models.DateTimeField(db_index=True)
    received_at = models.DateTimeField(null=True, blank=True)
    refund_amount = money_field()
    currency = currency_field()
    exchange_sku = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.rma


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    DENIED = "denied", "Denied"


class Refund(models.Model):
    external_id = models.CharField(max_length=64, unique=True)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    return_request = models.ForeignKey(
        Return, null=True, blank=True, on_delete=models.SET_NULL, related_name="refunds"
    )
    amount = money_field()
    currency = currency_field()
    reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    created_at = models.DateTimeField(db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.external_id} {self.amount} {self.currency}"


class Review(models.Model):
    external_id = models.CharField(max_length=64, unique=True)
    sku = models.CharField(max_length=100, blank=True, db_index=True)
    variant = models.ForeignKey(Variant, null=True, blank=True, on_delete=models.SET_NULL)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL)
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    source = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.rating}★"
