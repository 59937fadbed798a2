from __future__ import annotations

from django import forms

from engage.core.forms import UkDateField
from engage.partnership.models import SharingLevel

LEVEL_HINTS = {
    SharingLevel.NOTHING: "Nothing your organisation heard is counted in the partnership's picture.",
    SharingLevel.COUNTS: "Themes, sentiment and trends, every figure with small numbers hidden and the rest "
    "rounded. No one's words.",
    SharingLevel.QUOTES: "Counts, and the quotes your organisation's staff approved, with personal details "
    "removed, while the person's consent stands.",
}


class OrganisationSharingForm(forms.Form):
    level = forms.ChoiceField(
        label="What does your organisation share with the partnership?",
        choices=SharingLevel.choices,
        widget=forms.RadioSelect,
    )
    agreement_name = forms.CharField(
        label="Data-sharing agreement",
        help_text="The agreement that lets your organisation share, as it is named, such as "
        "“Castlebridge health and care information sharing agreement”. Needed to share anything.",
        max_length=200,
        required=False,
    )
    agreement_dated = UkDateField(
        label="Date the agreement was signed",
        help_text="For example, 15 1 2026.",
        required=False,
    )


class SharingChoiceForm(forms.Form):
    """One activity's or import's level; blank follows the organisation's own."""

    level = forms.ChoiceField(
        label="Share",
        choices=[("", "As the organisation chose"), *SharingLevel.choices],
        required=False,
    )
