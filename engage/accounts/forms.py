from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from engage.core.roles import Role
from engage.partners.models import Organisation


class SignInForm(AuthenticationForm):
    username = forms.EmailField(label="Email address", max_length=254)
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": "Enter a correct email address and password. After 5 wrong tries the "
        "account is locked for 15 minutes.",
        "inactive": "This account has been switched off. Ask your organisation administrator.",
    }


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
    email = forms.EmailField(label="Email address")
    password = forms.CharField(
        label="First password",
        widget=forms.PasswordInput,
        strip=False,
        help_text="At least 12 characters. Give it to them safely; they can change it after signing in.",
    )
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Organisation")
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
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Organisation")
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)

    def __init__(self, *args: Any, organisations: Any, partnership_wide: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Organisation]", self.fields["organisation"]).queryset = organisations
        cast(forms.ChoiceField, self.fields["role"]).choices = _role_choices(partnership_wide)


class PasswordSetForm(forms.Form):
    password = forms.CharField(
        label="New password",
        widget=forms.PasswordInput,
        strip=False,
        help_text="At least 12 characters. Give it to them safely; they can change it after signing in.",
    )
