from django.contrib import admin

from signaldesk.commerce import models as m


@admin.register(m.Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "loyalty_tier", "lifetime_value", "marketing_consent")
    list_filter = ("loyalty_tier", "marketing_consent")
    search_fields = ("name", "email")


@admin.register(m.CustomerIdentity)
class CustomerIdentityAdmin(admin.ModelAdmin):
    list_display = ("kind", "value", "customer")
    search_fields = ("value",)
    raw_id_fields = ("customer",)


@admin.register(m.Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("title", "handle", "category", "supplier")
    search_fields = ("title", "handle")


@admin.register(m.Variant)
class VariantAdmin(admin.ModelAdmin):
    list_display = ("sku", "product", "size", "colour", "price")
    search_fields = ("sku",)
    raw_id_fields = ("product",)


@admin.register(m.Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("number", "email", "created_at", "financial_status", "total", "currency")
    search_fields = ("number", "email")
    list_filter = ("financial_status", "fulfillment_status")
    raw_id_fields = ("customer",)


@admin.register(m.OrderLine)
class OrderLineAdmin(admin.ModelAdmin):
    list_display = ("order", "line_no", "sku", "quantity", "price")
    raw_id_fields = ("order", "variant", "batch")


@admin.register(m.Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("tracking_number", "carrier", "warehouse", "region", "status")
    list_filter = ("carrier", "status", "warehouse")
    search_fields = ("tracking_number",)
    raw_id_fields = ("order",)


@admin.register(m.Return)
class ReturnAdmin(admin.ModelAdmin):
    list_display = ("rma", "order", "sku", "reason_code", "status", "refund_amount")
    raw_id_fields = ("order", "variant")


@admin.register(m.Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ("external_id", "order", "amount", "status")
    raw_id_fields = ("order", "return_request")


@admin.register(m.Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("external_id", "sku", "rating", "created_at")
    raw_id_fields = ("variant", "product", "customer", "order")


admin.site.register([m.Supplier, m.Category, m.Batch, m.ShipmentItem])
