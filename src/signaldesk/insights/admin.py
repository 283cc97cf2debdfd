from django.contrib import admin

from signaldesk.insights.models import NoteRecipient, WeeklyNote


@admin.register(NoteRecipient)
class NoteRecipientAdmin(admin.ModelAdmin):
    list_display = ("audience", "email", "active")
    list_filter = ("audience", "active")


@admin.register(WeeklyNote)
class WeeklyNoteAdmin(admin.ModelAdmin):
    list_display = ("week_start", "audience", "status", "published_at")
    list_filter = ("audience", "status")
    readonly_fields = [f.name for f in WeeklyNote._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
