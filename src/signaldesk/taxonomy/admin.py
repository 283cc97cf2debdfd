"""Back office for the taxonomy. Versions are read-only (activate with the action); editing a
contact reason never changes it in place: save goes through reason_update, which creates a new
taxonomy version (copy-on-write)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from signaldesk.core.audit import Actor
from signaldesk.core.errors import SignalDeskError
from signaldesk.taxonomy.mappings import tag_mapping_approve, tag_mapping_reject
from signaldesk.taxonomy.models import (
    ContactReason,
    RelabelBatch,
    TagMapping,
    TaxonomyVersion,
)
from signaldesk.taxonomy.services import reason_edit_preview, reason_update, taxonomy_activate

# ContactReason model field → path in the taxonomy YAML.
FIELD_PATHS = {
    "name": "name",
    "group": "group",
    "description": "description",
    "examples": "examples",
    "aliases": "aliases",
    "required_context": "required_context",
    "macro_id": "response.macro",
    "macro_template": "response.template",
    "auto_action_allowed": "auto_action.allowed",
    "auto_action": "auto_action.action",
    "auto_action_limit": "auto_action.limit",
    "escalation_value_threshold": "escalation.value_threshold",
    "escalation_repeat_contacts": "escalation.repeat_contacts",
    "escalation_vip": "escalation.vip",
    "escalation_batch_spike": "escalation.batch_spike",
    "escalation_policy_exception": "escalation.policy_exception",
    "owner_team": "owner_team",
    "review_cadence": "review_cadence",
    "ticket_type": "ticket_type",
    "priority": "priority",
}


def form_changes(form: forms.ModelForm) -> dict[str, Any]:
    return {FIELD_PATHS[f]: form.cleaned_data[f] for f in form.changed_data if f in FIELD_PATHS}


class ContactReasonForm(forms.ModelForm):
    class Meta:
        model = ContactReason
        fields = list(FIELD_PATHS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk and not self.errors:
            try:
                reason_edit_preview(
                    base=self.instance.version,
                    reason_id=self.instance.reason_id,
                    changes=form_changes(self),
                )
            except SignalDeskError as exc:
                raise forms.ValidationError(exc.detail) from exc
        return cleaned


@admin.register(TaxonomyVersion)
class TaxonomyVersionAdmin(admin.ModelAdmin):
    list_display = ("label", "is_active", "created_at", "created_by_label", "source_name")
    list_filter = ("is_active",)
    readonly_fields = (
        "label",
        "content_hash",
        "source_name",
        "created_at",
        "created_by_label",
        "parent",
        "is_active",
        "notes",
        "source_yaml",
    )
    exclude = ("created_by",)
    actions = ["activate_version"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Activate the selected version")
    def activate_version(self, request: HttpRequest, queryset: QuerySet[TaxonomyVersion]) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version.", messages.ERROR)
            return
        version = taxonomy_activate(version_id=queryset.get().pk, actor=Actor.of_user(request.user))
        self.message_user(request, f"Taxonomy {version.label} is now active.")


@admin.register(ContactReason)
class ContactReasonAdmin(admin.ModelAdmin):
    form = ContactReasonForm
    list_display = ("reason_id", "name", "group", "owner_team", "priority", "version")
    list_filter = ("version__is_active", "group", "owner_team", "review_cadence")
    search_fields = ("reason_id", "name")
    list_select_related = ("version",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: ContactReason, form: forms.ModelForm, change: bool
    ) -> None:
        changes = form_changes(form)
        if not changes:
            return
        version = reason_update(
            reason_id=obj.reason_id,
            changes=changes,
            actor=Actor.of_user(request.user),
            base_version_id=obj.version_id,
        )
        messages.info(
            request,
            f"Saved as taxonomy version {version.label}; version {obj.version.label} is unchanged.",
        )


@admin.register(TagMapping)
class TagMappingAdmin(admin.ModelAdmin):
    list_display = ("tag", "reason_id", "confidence", "status", "approved_by", "approved_at")
    list_filter = ("status",)
    search_fields = ("tag", "reason_id")
    readonly_fields = [f.name for f in TagMapping._meta.fields]
    actions = ["approve", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Approve the selected mappings")
    def approve(self, request: HttpRequest, queryset: QuerySet[TagMapping]) -> None:
        actor = Actor.of_user(request.user)
        for mapping in queryset:
            try:
                tag_mapping_approve(mapping_id=mapping.pk, actor=actor)
            except SignalDeskError as exc:
                self.message_user(request, f"{mapping.tag}: {exc.detail}", messages.ERROR)

    @admin.action(description="Reject the selected mappings")
    def reject(self, request: HttpRequest, queryset: QuerySet[TagMapping]) -> None:
        actor = Actor.of_user(request.user)
        for mapping in queryset:
            tag_mapping_reject(mapping_id=mapping.pk, actor=actor)


@admin.register(RelabelBatch)
class RelabelBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "created_at", "created_by_label", "ticket_count", "reverted_at")
    readonly_fields = [f.name for f in RelabelBatch._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
