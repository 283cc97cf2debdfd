from django.contrib import admin

from signaldesk.replies.models import GuardrailReport, Macro, MacroUse


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    list_display = ("slug", "reason_id", "language", "is_default", "active", "version")
    list_filter = ("active", "is_default", "language", "source")
    search_fields = ("slug", "reason_id", "title", "body")
    readonly_fields = ("version", "updated_at")

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        from django.utils import timezone

        if change and form.changed_data:
            obj.version += 1
            obj.source = "manual"
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(MacroUse)
class MacroUseAdmin(admin.ModelAdmin):
    list_display = ("macro", "ticket", "used_by", "used_at")
    raw_id_fields = ("ticket", "message")


@admin.register(GuardrailReport)
class GuardrailReportAdmin(admin.ModelAdmin):
    list_display = ("ticket", "origin", "blocked", "sent", "overridden_by", "created_at")
    list_filter = ("blocked", "sent", "origin")
    raw_id_fields = ("ticket", "message")
