"""The form that records or amends a decision."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from engage.core.forms import SearchableSelectMultiple, UkDateField
from engage.decisions.models import DecisionMaker, DecisionStatus


class DecisionForm(forms.Form):
    title = forms.CharField(
        label="What was decided, in a few words",
        max_length=200,
        error_messages={"required": "Say in a few words what was decided."},
    )
    summary = forms.CharField(
        label="What was decided or done, and why",
        widget=forms.Textarea,
        help_text="In plain English, for the public page: what changes, for whom, and what people said that led to it.",
        error_messages={"required": "Say in plain English what was decided or done, and why."},
    )
    decided_by = forms.ChoiceField(
        label="Who decided?",
        choices=DecisionMaker.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who decided."},
    )
    decided_by_name = forms.CharField(
        label="Which board, committee or organisation",
        max_length=200,
        error_messages={"required": "Name the board, committee or organisation that decided."},
    )
    decided_on = UkDateField(label="When was it decided? (optional)", required=False)
    status = forms.ChoiceField(label="Status", choices=DecisionStatus.choices)
    reason_not_taken = forms.CharField(
        label="If it was not taken, why not",
        widget=forms.Textarea,
        required=False,
        help_text="People deserve to know why.",
    )
    activity_id = forms.ChoiceField(label="The activity that informed it (optional)", required=False)
    priority_ids = forms.MultipleChoiceField(
        label="Partnership priorities it serves", required=False, widget=forms.CheckboxSelectMultiple
    )
    theme_ids = forms.MultipleChoiceField(
        label="Themes of what people said that informed it",
        required=False,
        widget=SearchableSelectMultiple,
    )
    note = forms.CharField(
        label="Why it changed (shown in its history)", widget=forms.Textarea, required=False
    )
    details_checked = forms.BooleanField(
        label="I have checked: what was found is not anyone's personal details",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        activities: Any = (),
        priorities: Any = (),
        themes: Any = (),
        amending: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["activity_id"]).choices = [("", "No one activity")] + [
            (str(a.pk), f"{a.title} ({a.starts_on:%b %Y})") for a in activities
        ]
        cast(forms.MultipleChoiceField, self.fields["priority_ids"]).choices = [
            (str(p.pk), p.title) for p in priorities
        ]
        cast(forms.MultipleChoiceField, self.fields["theme_ids"]).choices = [
            (str(t.pk), f"{t.parent.name}: {t.name}" if t.parent_id else t.name) for t in themes
        ]
        if not amending:
            del self.fields["note"]
