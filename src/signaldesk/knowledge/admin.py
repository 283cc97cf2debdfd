from django.contrib import admin

from signaldesk.knowledge.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "status", "version", "updated_at")
    list_filter = ("status",)
    search_fields = ("slug", "title", "body")
    readonly_fields = ("version", "updated_at")
