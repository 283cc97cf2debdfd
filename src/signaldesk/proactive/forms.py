"""The console form for a new campaign (parses; proactive.services validates the rest)."""

from __future__ import annotations

from django import forms

from signaldesk.proactive.message import VARIABLES
from signaldesk.proactive.models import CampaignKind
from signaldesk.proactive.services import CampaignDraft

DEFAULT_SUBJECT = "About your order {orders}"
DEFAULT_BODY = (
    "Hello {first_name},\n\n"
    "we are writing about your order {orders}. …\n\n"
    "Reply to this e-mail (keep the reference in the subject) and we will help you right away.\n"
)
VARIABLE_HELP = "Variables: " + ", ".join("{" + k + "}" for k in VARIABLES)


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace(",", "\n").splitlines() if p.strip())


class CampaignForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=CampaignKind.choices)
    carrier = forms.CharField(max_length=100, required=False)
    region = forms.CharField(max_length=100, required=False)
    shipped_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    shipped_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    skus = forms.CharField(
        required=False, max_length=5000, help_text="Comma- or line-separated SKUs."
    )
    batches = forms.CharField(
        required=False, max_length=5000, help_text="Comma- or line-separated batch codes."
    )
    ordered_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ordered_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    subject = forms.CharField(max_length=200, initial=DEFAULT_SUBJECT, help_text=VARIABLE_HELP)
    body = forms.CharField(
        max_length=20000, widget=forms.Textarea(attrs={"rows": 8}), initial=DEFAULT_BODY
    )
    alert = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def draft(self) -> CampaignDraft:
        d = self.cleaned_data
        return CampaignDraft(
            name=d["name"],
            kind=d["kind"],
            subject=d["subject"],
            body=d["body"],
            carrier=d["carrier"],
            region=d["region"],
            shipped_from=d["shipped_from"],
            shipped_to=d["shipped_to"],
            skus=_split(d["skus"]),
            batches=_split(d["batches"]),
            ordered_from=d["ordered_from"],
            ordered_to=d["ordered_to"],
            source_alert_id=d["alert"],
        )
