from django.contrib import admin

from signaldesk.accounts.models import AgentProfile, ApiToken, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind")


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "team", "is_senior")
    list_filter = ("role", "team")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "revoked_at")
    readonly_fields = ("digest", "prefix")
