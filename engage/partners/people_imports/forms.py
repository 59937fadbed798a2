"""Forms of the people import pages: the file and its template, then which column holds
what. The mapping form is built from the headings of the file in hand, so a column can
only be one the file has; its checks are the services' own (`mapping_problems`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from engage.core.tabular.columns import columns_guess
from engage.partners.models import ConsentMethod, ConsentPurpose
from engage.partners.people_imports.columns import (
    CONSENT_PARTS,
    CONTACT_LIST_MAPPING,
    DEFAULT_GROUP_KIND,
    FIELDS,
    NEW_GROUP_KINDS,
    consent_field,
    mapping_problems,
)

MAP_MYSELF = ""
NOT_IN_FILE = ""
COLUMN_PREFIX = "column_"

_HINTS = {
    "reference": "Your own number or code for each person. Importing again matches people by it (or, "
    "without one, by email), so it updates rather than copies them.",
    "given_name": "Every person needs a first name, or a full name.",
    "full_name": "Split at the last space: 'Mary Ann Patel' is Mary Ann, Patel.",
    "roles": "Patient ambassador, carer, volunteer or stakeholder council member, separated by semicolons.",
    "groups": "The names of your groups they belong to, separated by semicolons. A group you do not "
    "run yet is made.",
    "contact_consent_given_on": "A date, such as 15/03/2025. A yes alone is not enough: the record of "
    "consent must say when.",
}


def column_field_name(field: str) -> str:
    return f"{COLUMN_PREFIX}{field}"


class PeopleImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Choose the file",
        help_text="A CSV file (.csv) or an Excel workbook (.xlsx). The first row must hold the column headings.",
        error_messages={
            "required": "Choose a CSV or Excel (.xlsx) file to import.",
            "empty": "The chosen file is empty. Choose the file that holds your contact list.",
            "invalid": "The file could not be received. Choose it again.",
        },
    )
    template = forms.ChoiceField(
        label="How are its columns laid out?",
        required=False,
        help_text="Choose a template to check the first rows straight away, or match the columns yourself.",
        error_messages={
            "invalid_choice": "Choose a template from the list, or to match the columns yourself."
        },
    )

    def __init__(self, *args: Any, templates: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["template"]).choices = [
            (MAP_MYSELF, "Match the columns myself"),
            *((t.name, f"{t.name} (ready-made)" if t.built_in else t.name) for t in templates),
        ]
        self.fields["template"].initial = templates[0].name if templates else MAP_MYSELF


class PeopleImportMappingForm(forms.Form):
    consent_method = forms.ChoiceField(
        label="How was consent given, where the file does not say? (optional)",
        required=False,
        choices=[("", "The file says, row by row"), *ConsentMethod.choices],
        help_text="Used for any consent whose method column is blank or missing.",
    )
    consent_source = forms.CharField(
        label="Where was consent given, where the file does not say? (optional)",
        required=False,
        max_length=200,
        help_text="Such as the event or form. Without it, the record says the file it came from.",
        error_messages={"max_length": "Where consent was given must be 200 characters or fewer."},
    )
    group_kind = forms.ChoiceField(
        label="What kind of group are groups you do not run yet?",
        choices=[(k.value, k.label) for k in NEW_GROUP_KINDS],
        initial=DEFAULT_GROUP_KIND,
        help_text="A patient participation group names its GP practice, so add one of those by hand first.",
    )
    save_as = forms.CharField(
        label="Save these choices as a template (optional)",
        required=False,
        max_length=120,
        help_text="Give it a name, such as 'From our CRM', to use for the next file from the same place.",
        error_messages={"max_length": "The template's name must be 120 characters or fewer."},
    )

    def __init__(self, *args: Any, headings: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NOT_IN_FILE, "Not in this file"), *((h, h) for h in headings if h)]
        columns: dict[str, forms.Field] = {
            column_field_name(name): forms.ChoiceField(
                label=label,
                required=False,
                choices=choices,
                help_text=_HINTS.get(name, ""),
                error_messages={"invalid_choice": "Choose one of the file's columns."},
            )
            for name, label in FIELDS.items()
        }
        self.fields = {**columns, **self.fields}

    def column_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The column choices in the groups the page shows them in: the person, their
        groups and roles, then each kind of consent."""
        groups = [
            (
                "About the person",
                [
                    "reference",
                    "given_name",
                    "family_name",
                    "full_name",
                    "email",
                    "phone",
                    "postcode",
                    "notes",
                ],
            ),
            ("Their roles and groups", ["roles", "groups", "joined_on"]),
            *(
                (
                    f"Consent to {purpose.label.lower()}",
                    [consent_field(purpose, part) for part in CONSENT_PARTS],
                )
                for purpose in ConsentPurpose
            ),
        ]
        return [(legend, [self[column_field_name(name)] for name in names]) for legend, names in groups]

    @property
    def mapping(self) -> dict[str, str]:
        data = self.cleaned_data
        return {name: data[column_field_name(name)] for name in FIELDS if data.get(column_field_name(name))}

    @property
    def defaults(self) -> dict[str, str]:
        data = self.cleaned_data
        values = {"group_kind": data.get("group_kind") or DEFAULT_GROUP_KIND}
        for key in ("consent_method", "consent_source"):
            if data.get(key):
                values[key] = data[key].strip()
        return values

    def error_field(self, key: str) -> str | None:
        if key in FIELDS:
            return column_field_name(key)
        return key if key in self.fields else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        uses: dict[str, list[str]] = {}
        for name, heading in self.mapping.items():
            uses.setdefault(heading, []).append(name)
        for heading, names in uses.items():
            # One column may give the same part of several kinds of consent (one date for a
            # form that asked for all of them); otherwise a column holds one thing.
            parts = {name.rpartition("_consent_")[2] if "_consent_" in name else name for name in names}
            if len(names) > 1 and len(parts) > 1:
                for name in names:
                    self.add_error(
                        column_field_name(name), f"The column {heading!r} is chosen for more than one thing."
                    )
        for key, message in mapping_problems(self.mapping, self.defaults).items():
            self.add_error(self.error_field(key), message)
        if not self.defaults.get("consent_method"):
            for purpose in ConsentPurpose:
                given, method = consent_field(purpose, "given_on"), consent_field(purpose, "method")
                if given in self.mapping and method not in self.mapping:
                    self.add_error(
                        column_field_name(method),
                        f"Choose the column saying how consent to {purpose.label.lower()} was given, or say "
                        "how for the whole file under 'What the file does not say'.",
                    )
        return data


def guess_columns(headings: Sequence[str]) -> dict[str, str]:
    guess = columns_guess(headings, fields=FIELDS, known=[CONTACT_LIST_MAPPING])
    return {column_field_name(field): heading for field, heading in guess.items()}
