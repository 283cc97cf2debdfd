from django.contrib import admin

from signaldesk.tickets.models import Message, Ticket, TicketThread


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ("direction", "channel", "author_label", "body_text", "created_at")
    readonly_fields = fields


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("id", "subject", "channel", "status", "priority", "contact_reason")
    list_filter = ("status", "priority", "channel", "ticket_type")
    search_fields = ("subject", "external_id")
    raw_id_fields = ("customer", "order", "variant", "assignee", "merged_into")
    inlines = [MessageInline]


admin.site.register(TicketThread)
