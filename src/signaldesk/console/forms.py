"""Forms for the console's ticket actions. They only parse; the services validate again."""

from __future__ import annotations

from typing import Any

from django import forms

from signaldesk.tickets.models import TicketStatus


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Reply to the customer",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5, "id": "reply-body"}),
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Internal note (staff only)",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3, "id": "note-body"}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=TicketStatus.choices)


class ReasonForm(forms.Form):
    reason = forms.ChoiceField(label="Correct the contact reason", choices=())

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.widget.attrs["id"] = "reason-select"


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=200, required=False)
