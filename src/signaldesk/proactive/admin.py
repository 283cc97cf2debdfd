from django.contrib import admin

from signaldesk.proactive.models import CampaignRecipient, ProactiveCampaign


@admin.register(ProactiveCampaign)
class ProactiveCampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "status", "created_at", "sent_at")
    list_filter = ("kind", "status")
    readonly_fields = ("status", "sent_at", "sent_by", "created_by")


@admin.register(CampaignRecipient)
class CampaignRecipientAdmin(admin.ModelAdmin):
    list_display = ("campaign", "customer", "email", "notified_at", "replied_at", "ticket")
    raw_id_fields = ("customer", "ticket")
    readonly_fields = ("token", "outbox_message_id")
