from __future__ import annotations

from typing import Any, cast

from django import forms

from engage.core.forms import RecordChoiceField
from engage.core.roles import Role
from engage.partners.models import Organisation


class SwitchOrganisationForm(forms.Form):
    organisation = forms.ChoiceField(label="Which organisation are you acting for?", widget=forms.RadioSelect)

    def __init__(self, *args: Any, organisations: tuple[Organisation, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [
            (str(o.pk), o.name) for o in organisations
        ]
        self.fields["organisation"].error_messages["required"] = "Choose an organisation."


def _role_choices(partnership_wide: bool) -> list[tuple[str, str]]:
    return [
        (value, label) for value, label in Role.choices if partnership_wide or value != Role.PARTNERSHIP_ADMIN
    ]


class UserCreateForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        help_text="We will email them a link to choose their own password. It lasts a week.",
    )
    organisation = RecordChoiceField(queryset=Organisation.objects.none(), label="Organisation")
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)

    def __init__(self, *args: Any, organisations: Any, partnership_wide: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Organisation]", self.fields["organisation"]).queryset = organisations
        cast(forms.ChoiceField, self.fields["role"]).choices = _role_choices(partnership_wide)
        self.fields["organisation"].error_messages["required"] = "Choose the organisation."
        self.fields["role"].error_messages["required"] = "Choose a role."


class UserUpdateForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    is_active = forms.BooleanField(label="The account is active and can sign in", required=False)


class MembershipGrantForm(forms.Form):
    organisation = RecordChoiceField(queryset=Organisation.objects.none(), label="Organisation")
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)

    def __init__(self, *args: Any, organisations: Any, partnership_wide: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Organisation]", self.fields["organisation"]).queryset = organisations
        cast(forms.ChoiceField, self.fields["role"]).choices = _role_choices(partnership_wide)


class ButtonForm(forms.Form):
    """A button that sends nothing but its CSRF token and which form it is."""
