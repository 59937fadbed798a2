"""The forms of signing in: email and password, the second factor, and a reset request."""

from __future__ import annotations

from django import forms

WRONG_PASSWORD = (
    "Enter a correct email address and password. After 5 wrong tries, signing in from this "  # noqa: S105
    "browser is paused for 15 minutes."
)


class SignInForm(forms.Form):
    # "username", as Django's sign-in form and password managers call it.
    username = forms.EmailField(label="Email address", max_length=254)
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput, max_length=4096)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].error_messages["required"] = "Enter your email address."
        self.fields["username"].error_messages["invalid"] = "Enter an email address, like name@example.org."
        self.fields["password"].error_messages["required"] = "Enter your password."


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].error_messages["required"] = "Enter the code from your authenticator app."


class AuthenticatorConfirmForm(forms.Form):
    code = forms.CharField(
        label="Code from the app", max_length=12, help_text="The 6 digits the app shows for this account."
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].error_messages["required"] = "Enter the 6 digits the app shows."


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["email"].error_messages["required"] = "Enter the email address you sign in with."
        self.fields["email"].error_messages["invalid"] = "Enter an email address, like name@example.org."
