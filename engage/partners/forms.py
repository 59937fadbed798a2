from __future__ import annotations

from typing import Any, cast

from django import forms

from engage.core.forms import UkDateField
from engage.partners.models import (
    ConsentMethod,
    ConsentPurpose,
    GroupKind,
    OrganisationKind,
    PersonRoleKind,
    WordsOnErasure,
)


class PersonForm(forms.Form):
    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the person's first name."}
    )
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the right format, like name@example.com."},
    )
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea,
        required=False,
        help_text="Only what your organisation needs. Do not record health details here.",
    )
    roles = forms.MultipleChoiceField(
        label="Roles", choices=PersonRoleKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def clean_postcode(self) -> str:
        postcode = " ".join(self.cleaned_data["postcode"].upper().split())
        if postcode and not (5 <= len(postcode.replace(" ", "")) <= 7):
            raise forms.ValidationError("Enter a real postcode, like DY1 1HF.")
        return postcode


class ConsentGrantForm(forms.Form):
    purpose = forms.ChoiceField(
        label="What did they agree to?",
        choices=ConsentPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they agreed to."},
    )
    given_on = UkDateField(label="When did they agree?")
    method = forms.ChoiceField(
        label="How did they agree?",
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they agreed."},
    )
    source = forms.CharField(
        label="Where (optional)",
        max_length=200,
        required=False,
        help_text="For example, the event or the form's name.",
    )


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = UkDateField(label="When did they withdraw it?")
    method = forms.ChoiceField(
        label="How did they tell you?",
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they told you."},
    )
    reason = forms.CharField(label="Anything to note (optional)", max_length=500, required=False)


class EraseForm(forms.Form):
    words = forms.ChoiceField(
        label="What happens to what they said?",
        choices=WordsOnErasure.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens to what they said."},
    )
    reason = forms.CharField(
        label="Why is this record being erased?",
        max_length=500,
        widget=forms.Textarea,
        error_messages={"required": "Say why the record is being erased."},
        help_text="For example, the person asked to be forgotten.",
    )


class GroupForm(forms.Form):
    name = forms.CharField(label="Name of the group", max_length=200)
    kind = forms.ChoiceField(label="Kind of group", choices=GroupKind.choices, widget=forms.RadioSelect)
    gp_practice = forms.ChoiceField(label="GP practice (for a patient participation group)", required=False)
    area = forms.CharField(label="Area (optional)", max_length=120, required=False)
    description = forms.CharField(
        label="What the group does (optional)", widget=forms.Textarea, required=False
    )
    is_active = forms.BooleanField(label="The group still meets", required=False, initial=True)

    def __init__(self, *args: Any, practices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["gp_practice"]).choices = [
            ("", "Not a patient participation group")
        ] + [(str(p.pk), p.name) for p in practices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == GroupKind.PATIENT_PARTICIPATION and not data.get("gp_practice"):
            self.add_error("gp_practice", "Choose the GP practice the group belongs to.")
        return data


class GroupMembershipAddForm(forms.Form):
    group = forms.ChoiceField(label="Add to a group")

    def __init__(self, *args: Any, groups: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["group"]).choices = [(str(g.pk), g.name) for g in groups]


class OrganisationForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    short_name = forms.CharField(label="Short name (optional)", max_length=60, required=False)
    kind = forms.ChoiceField(
        label="Kind of organisation", choices=OrganisationKind.choices, widget=forms.RadioSelect
    )
    website = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")
    contact_email = forms.EmailField(
        label="Shared contact address (optional)",
        required=False,
        help_text="An address other partners can use about its engagement, such as engagement@…",
    )
    description = forms.CharField(label="Description (optional)", widget=forms.Textarea, required=False)
    is_active = forms.BooleanField(label="Active partner", required=False, initial=True)
