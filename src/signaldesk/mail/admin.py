from django.contrib import admin

from signaldesk.mail.models import BouncingAddress, MailMessage


@admin.register(MailMessage)
class MailMessageAdmin(admin.ModelAdmin):
    list_display = ["message_id", "direction", "kind", "ticket", "from_address", "created_at"]
    list_filter = ["direction", "kind", "source", "bounced"]
    search_fields = ["message_id", "from_address", "subject"]
    raw_id_fields = ["ticket", "ticket_message"]
    readonly_fields = [f.name for f in MailMessage._meta.fields]


@admin.register(BouncingAddress)
class BouncingAddressAdmin(admin.ModelAdmin):
    list_display = ["address", "bounces", "last_status", "last_bounced_at"]
    search_fields = ["address"]
    raw_id_fields = ["last_ticket"]
