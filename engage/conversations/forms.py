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


class ConversationCorrectForm(forms.Form):
    """Correcting what was recorded: the same rules as recording it, and a reason."""

    text = forms.CharField(
        label="What did they say?",
        widget=forms.Textarea,
        error_messages={"required": "Enter what the person said."},
    )
    question = forms.CharField(label="Question asked (optional)", max_length=500, required=False)
    channel = forms.ChoiceField(label="How was it heard?", choices=Channel.choices)
    occurred_on = UkDateField(label="When?")
    rating = forms.IntegerField(
        label="Rating (optional)",
        required=False,
        help_text="From 1 very good to 5 very poor, as in the Friends and Family Test: every rating is kept on that scale.",
        error_messages={"invalid": "Enter the rating as a whole number, or leave it empty."},
    )
    age_band = forms.CharField(label="Age band (optional)", max_length=100, required=False)
    sex = forms.CharField(label="Sex (optional)", max_length=100, required=False)
    ethnic_group = forms.CharField(label="Ethnic group (optional)", max_length=100, required=False)
    disability = forms.CharField(label="Disability (optional)", max_length=100, required=False)
    carer = forms.CharField(label="Carer (optional)", max_length=100, required=False)
    reason = forms.CharField(
        label="Why is it being corrected?",
        help_text="For the audit trail, such as: the person asked us to, or it was typed wrongly.",
        max_length=500,
        error_messages={"required": "Say why, for the audit trail."},
    )


class PassageRemoveForm(forms.Form):
    passage = forms.CharField(
        label="Words to take out",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Copy them exactly from the conversation. Each place they occur becomes [removed].",
        error_messages={"required": "Copy the words to take out from the conversation."},
    )
    passage_reason = forms.CharField(
        label="Why?",
        max_length=500,
        help_text="For the audit trail, such as: it names a member of staff.",
        error_messages={"required": "Say why, for the audit trail."},
    )


class ConversationDeleteForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being deleted?",
        max_length=500,
        help_text="For the audit trail, such as: the person asked us to delete it.",
        error_messages={"required": "Say why, for the audit trail."},
    )
