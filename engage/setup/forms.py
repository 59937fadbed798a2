"""The forms of the first-run page."""

from __future__ import annotations

from typing import Any

from django import forms

from engage.partners.models import OrganisationKind


class CodeForm(forms.Form):
    code = forms.CharField(
        label="The code printed on the console",
        max_length=20,
        help_text="engage serve prints it when the partnership is not set up yet, such as ABCD-EFGH-JKLM.",
        error_messages={"required": "Enter the code printed on the console."},
    )


class WardLookupForm(forms.Form):
    file = forms.FileField(
        label="The ONS ward to local authority district lookup (CSV)",
        help_text="Download 'Ward to Local Authority District Lookup' from the ONS Open Geography Portal as CSV.",
        error_messages={"required": "Choose the ward lookup file."},
    )


class PartnershipForm(forms.Form):
    name = forms.CharField(
        label="The partnership's name",
        max_length=120,
        help_text="As the public will see it, such as Dudley Health and Care Partnership.",
        error_messages={"required": "Enter the partnership's name."},
    )
    place = forms.ChoiceField(
        label="Its place: the local authority district",
        help_text="Its wards become the partnership's areas.",
        error_messages={"required": "Choose the partnership's place."},
    )
    host_name = forms.CharField(
        label="The organisation that hosts it",
        max_length=200,
        error_messages={"required": "Enter the host organisation's name."},
    )
    host_kind = forms.ChoiceField(label="What kind of organisation it is", choices=OrganisationKind.choices)
    admin_email = forms.EmailField(
        label="Your email address",
        help_text="You will be the first partnership administrator, and sign in with it.",
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address, such as name@nhs.net.",
        },
    )
    admin_first_name = forms.CharField(label="Your first name", max_length=150, required=False)
    admin_last_name = forms.CharField(label="Your last name", max_length=150, required=False)
    admin_password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(render_value=False),
        help_text="At least 12 characters. After signing in you will set up two-step sign-in with an authenticator app.",
        error_messages={"required": "Choose a password."},
    )
    admin_password_again = forms.CharField(
        label="The same password again",
        widget=forms.PasswordInput(render_value=False),
        error_messages={"required": "Enter the password again."},
    )

    def __init__(self, *args: Any, districts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "Choose the district"), *districts]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("admin_password") and cleaned.get("admin_password") != cleaned.get(
            "admin_password_again"
        ):
            self.add_error("admin_password_again", "The two passwords are different.")
        return cleaned


class PartnershipNameForm(forms.Form):
    name = forms.CharField(
        label="The partnership's name",
        max_length=120,
        help_text="Every page, email and authenticator app shows it.",
        error_messages={"required": "Enter the partnership's name."},
    )
