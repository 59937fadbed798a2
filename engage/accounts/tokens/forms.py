from __future__ import annotations

from django import forms

from engage.accounts.tokens.models import TokenAccess


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="What will use it", max_length=50, help_text="For example: Monthly report script."
    )
    access = forms.ChoiceField(
        label="What it may do",
        choices=TokenAccess.choices,
        widget=forms.RadioSelect,
        initial=TokenAccess.READ,
        help_text="Never more than your roles allow. Choose read only unless the script must change things.",
    )
    days = forms.ChoiceField(
        label="How long it lasts",
        choices=[("30", "30 days"), ("90", "90 days"), ("180", "180 days"), ("366", "A year")],
        initial="90",
        widget=forms.RadioSelect,
    )
