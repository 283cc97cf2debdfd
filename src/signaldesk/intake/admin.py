from django.contrib import admin

from signaldesk.intake.models import ImportRowError, ImportRun


class ImportRowErrorInline(admin.TabularInline):
    model = ImportRowError
    extra = 0


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("kind", "file_name", "started_at", "rows_read", "created", "updated", "failed")
    inlines = [ImportRowErrorInline]
