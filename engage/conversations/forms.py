"""Forms for recording a conversation by hand and searching the bank."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from engage.conversations.models import Channel
from engage.core.forms import UkDateField


class ConversationForm(forms.Form):
    """Event notes or a phone call, typed in by a member of staff."""

    text = forms.CharField(
        label="What did they say?",
        widget=forms.Textarea,
        help_text="In their words where you can. Leave out anything that would identify them.",
        error_messages={"required": "Enter what the person said."},
    )
    question = forms.CharField(label="Question asked (optional)", max_length=500, required=False)
    channel = forms.ChoiceField(
        label="How was it heard?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it was heard."},
    )
    occurred_on = UkDateField(label="When?")
    activity_id = forms.ChoiceField(label="Activity it came from (optional)", required=False)
    postcode = forms.CharField(
        label="Postcode (optional)",
        max_length=10,
        required=False,
        help_text="Only the first part (such as DY1) is kept.",
    )
    consent_to_quote = forms.BooleanField(label="They agreed to be quoted in public", required=False)
    consent_to_contact = forms.BooleanField(label="They agreed to be contacted again", required=False)

    def __init__(self, *args: Any, activities: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["activity_id"]).choices = [("", "Not part of an activity")] + [
            (str(a.pk), f"{a.title} ({a.starts_on:%b %Y})") for a in activities
        ]
