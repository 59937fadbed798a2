"""The form that uploads a register's file."""

from __future__ import annotations

from django import forms

from engage.partners.models import Register

HINTS = {
    Register.ODS_GP_PRACTICES: "epraccur.csv from the NHS Organisation Data Service's GP data, as downloaded. "
    "Only GP practices are kept (not walk-in centres or prisons).",
    Register.ODS_TRUSTS: "etr.csv from the NHS Organisation Data Service's other NHS organisations.",
    Register.ODS_ICBS: "eccg.csv from the NHS Organisation Data Service: integrated care boards and sub-ICB locations.",
    Register.CHARITIES: "publicextract.charity.txt from the Charity Commission's register extract (inside its zip). "
    "Only main charities are kept, not their linked funds and branches.",
    Register.TEMPLATE: "A CSV with the headings name, kind, short_name, website, contact_email, ods_code, "
    "charity_number and postcode; name and kind are needed.",
}


class RegisterUploadForm(forms.Form):
    register = forms.ChoiceField(
        label="Which register is it from?",
        choices=Register.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which register the file comes from."},
    )
    file = forms.FileField(label="The file", error_messages={"required": "Choose the file to load."})
    postcode_prefixes = forms.CharField(
        label="Only these postcode areas or districts (optional)",
        required=False,
        max_length=500,
        help_text="Such as DY, B62, WV14, separated by commas. Leave empty to load the whole file.",
    )
    commissioners = forms.CharField(
        label="GP practices only: only these commissioners (optional)",
        required=False,
        max_length=500,
        help_text="Sub-ICB location codes, such as D2P2L, separated by commas.",
    )

    hints = HINTS

    @staticmethod
    def split(text: str) -> list[str]:
        return [part for part in (piece.strip() for piece in text.replace(";", ",").split(",")) if part]
