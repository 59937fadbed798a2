"""The forms of the areas pages."""

from __future__ import annotations

from typing import Any

from django import forms

from engage.activities.models import AreaKind
from engage.core.forms import SearchableSelectMultiple


class AreaForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the area's name."}
    )


class NewAreaForm(AreaForm):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=[
            (
                AreaKind.LOCALITY.value,
                "A locality: a neighbourhood, primary care network or town, holding wards",
            ),
            (AreaKind.WARD.value, "A ward the ONS lookup does not have"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a locality or a ward."},
    )
    code = forms.CharField(
        label="ONS code (optional)",
        max_length=9,
        required=False,
        help_text="For a ward, its code such as E05001234, so that reach counts the people living in it.",
    )


class LocalityWardsForm(forms.Form):
    ward_ids = forms.MultipleChoiceField(
        label="Its wards",
        required=False,
        widget=SearchableSelectMultiple,
        help_text="A ward chosen here moves from the locality it is in now.",
    )

    def __init__(self, *args: Any, wards: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward_ids"].choices = wards  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    into_id = forms.ChoiceField(
        label="Merge it into", error_messages={"required": "Choose the area to merge it into."}
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into_id"].choices = [("", "Choose an area"), *choices]  # type: ignore[attr-defined]
