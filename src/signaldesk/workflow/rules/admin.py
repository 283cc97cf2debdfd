"""Admin for rule sets: editing the YAML validates it (errors with line numbers) and saving
stores a new version and activates it; stored versions are never changed in place."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from signaldesk.core.audit import Actor
from signaldesk.core.yamlnodes import ConfigError
from signaldesk.workflow.models_rules import RuleSet
from signaldesk.workflow.rules.parse import parse_rules
from signaldesk.workflow.rules.services import ruleset_save


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = ["yaml_text", "comment"]
        widgets = {"yaml_text": forms.Textarea(attrs={"rows": 40, "cols": 120})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["yaml_text"].strip = False  # type: ignore[attr-defined]

    def clean_yaml_text(self) -> str:
        text = str(self.cleaned_data["yaml_text"]).replace("\r\n", "\n")
        try:
            parse_rules(text, source="rules.yaml")
        except ConfigError as exc:
            raise forms.ValidationError([str(i) for i in exc.issues]) from exc
        return text


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    form = RuleSetForm
    list_display = ("version", "active", "comment", "created_at", "created_by")
    readonly_fields = ("version", "sha256", "active", "created_at", "created_by")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RuleSet, form: Any, change: bool) -> None:
        saved = ruleset_save(
            yaml_text=form.cleaned_data["yaml_text"],
            actor=Actor.of_user(request.user),
            now=timezone.now(),
            comment=form.cleaned_data.get("comment", ""),
        )
        obj.pk = saved.pk
        obj.version = saved.version
        obj.active = saved.active
        obj.sha256 = saved.sha256
        obj.created_at = saved.created_at
