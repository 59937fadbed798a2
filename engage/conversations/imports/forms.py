"""Forms of the import pages: choosing a file and a template, matching its columns,
and saying which end of a rating scale is best when an import's ratings look upside down.

The mapping form is built from the headings of the file in hand, so a column can only
be one the file has. Its checks are the services' own (`mapping_problems`), so the page
and the command line refuse the same things with the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms

from engage.conversations.imports.mapping import (
    BUILT_IN_TEMPLATES,
    FIELDS,
    Template,
    mapping_problems,
)
from engage.conversations.imports.ratings import HIGHEST, LOWEST
from engage.conversations.models import Channel
from engage.core.forms import UkDateField
from engage.core.tabular.columns import columns_guess

MAP_MYSELF = ""
NOT_IN_FILE = ""
COLUMN_PREFIX = "column_"
RATING_SCALES = {"1-5": [1, 5], "0-10": [0, 10], "1-10": [1, 10]}
RATING_BEST_CHOICES = [
    (LOWEST, "The lowest number, such as 1 for very good (as in the Friends and Family Test)"),
    (HIGHEST, "The highest number, such as 5 out of 5 or 10 out of 10"),
]
NO_RATING_BEST = "Choose which end of the rating scale is best: the lowest number or the highest."

_HINTS = {
    "text": "Required. The comment, answer or note in the person's own words.",
    "postcode": "Only the first part (such as DY1) is kept.",
    "consent_to_quote": "A column of yes or no.",
    "consent_to_contact": "A column of yes or no.",
    "consent_to_demographics": "A column of yes or no. Age band, sex, ethnic group, disability and carer "
    "are kept only for rows that say yes.",
}


def column_field_name(field: str) -> str:
    return f"{COLUMN_PREFIX}{field}"


class ImportUploadForm(forms.Form):
    """Step 1: the file, and either a template or "map the columns myself"."""

    file = forms.FileField(
        label="Choose the file",
        help_text="A CSV file (.csv) or an Excel workbook (.xlsx). The first row must hold the column headings.",
        error_messages={
            "required": "Choose a CSV or Excel (.xlsx) file to import.",
            "empty": "The chosen file is empty. Choose the file that holds the conversations.",
            "invalid": "The file could not be received. Choose it again.",
        },
    )
    template = forms.ChoiceField(
        label="How are its columns laid out?",
        required=False,
        help_text="Choose a template to import straight away, or match the columns yourself after "
        "seeing the first rows.",
        error_messages={"invalid_choice": "Choose a template from the list, or to map the columns yourself."},
    )
    activity_id = forms.ChoiceField(
        label="Activity the conversations came from (optional)",
        required=False,
        error_messages={"invalid_choice": "Choose one of your organisation's activities."},
    )

    def __init__(
        self, *args: Any, templates: Sequence[Template] = (), activities: Iterable[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["template"]).choices = [
            (MAP_MYSELF, "Map the columns myself"),
            *((t.name, f"{t.name} (ready-made)" if t.built_in else t.name) for t in templates),
        ]
        cast(forms.ChoiceField, self.fields["activity_id"]).choices = [("", "Not part of an activity")] + [
            (str(a.pk), f"{a.title} ({a.starts_on:%b %Y})") for a in activities
        ]

    def clean_activity_id(self) -> int | None:
        value = self.cleaned_data.get("activity_id")
        return int(value) if value else None


class ImportMappingForm(forms.Form):
    """Step 2: for each conversation field, the file's column that holds it (if any),
    and what to use for what the file does not say."""

    default_channel = forms.ChoiceField(
        label="How were these conversations heard?",
        choices=Channel.choices,
        help_text="Used for every row, or for rows whose channel column is blank.",
        error_messages={"required": "Choose how these conversations were heard."},
    )
    default_question = forms.CharField(
        label="Question asked (optional)",
        max_length=500,
        required=False,
        help_text="Used for rows that do not say which question they answer.",
        error_messages={"max_length": "The question must be 500 characters or fewer."},
    )
    rating_scale = forms.ChoiceField(
        label="Ratings in this file run from",
        choices=[("1-5", "1 to 5"), ("0-10", "0 to 10"), ("1-10", "1 to 10")],
        initial="1-5",
        help_text="Only matters if the file has a rating column. A rating outside the scale rejects the row.",
    )
    rating_best = forms.ChoiceField(
        label="Which end of the scale is best?",
        choices=RATING_BEST_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text="Only matters if the file has a rating column. Look at the first rows above: a rating "
        "read the wrong way round turns praise into complaints.",
        error_messages={"invalid_choice": NO_RATING_BEST},
    )
    default_date = UkDateField(
        label="Date the conversations were heard (optional)",
        required=False,
        help_text="For rows without a date. Leave blank to use today's date. For example, 15 3 2025",
    )
    demographics_consented = forms.BooleanField(
        label="Everyone in this file agreed to us holding their age band, sex, ethnic group, disability and carer status",
        required=False,
        help_text="Only if the form they filled in asked them. If the file has no column saying who agreed and "
        "this is not ticked, those details are left out of the bank and the report says how many.",
    )
    save_as = forms.CharField(
        label="Save this mapping as a template named (optional)",
        max_length=120,
        required=False,
        help_text="Name the source, such as 'Outpatients survey export', to use it for the next file "
        "from there. A template of the same name is replaced.",
        error_messages={"max_length": "The name must be 120 characters or fewer."},
    )

    def __init__(self, *args: Any, headings: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NOT_IN_FILE, "Not in this file"), *((h, h) for h in headings if h)]
        columns: dict[str, forms.Field] = {
            column_field_name(field): forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                help_text=_HINTS.get(field, ""),
                error_messages={"invalid_choice": "Choose one of the file's columns, or 'Not in this file'."},
            )
            for field, label in FIELDS.items()
        }
        # The columns first, in the order of FIELDS, then the defaults and the template name.
        self.fields = {**columns, **self.fields}
        self.mapping: dict[str, str] = {}
        self.defaults: dict[str, Any] = {}

    def column_fields(self) -> list[forms.BoundField]:
        return [self[column_field_name(field)] for field in FIELDS]

    def error_field(self, key: str) -> str | None:
        """The form field an error of the services (keyed by conversation field or
        default) belongs beside; None for the top of the form."""
        names = {
            "channel": "default_channel",
            "rating_scale": "rating_scale",
            "rating_best": "rating_best",
            "name": "save_as",
            "demographics_consented": "demographics_consented",
            "question": column_field_name("question"),
        }
        if key in names:
            return names[key]
        return column_field_name(key) if key in FIELDS else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mapping = {
            field: data[column_field_name(field)] for field in FIELDS if data.get(column_field_name(field))
        }
        used: dict[str, str] = {}
        for field, heading in mapping.items():
            if heading in used:
                self.add_error(
                    column_field_name(field),
                    f"The column {heading!r} is already chosen for {FIELDS[used[heading]].lower()}. "
                    "Choose each column for one field only.",
                )
            else:
                used[heading] = field
        defaults = self._defaults(data, rated="rating" in mapping)
        for key, message in mapping_problems(mapping, defaults).items():
            name = self.error_field(key)
            if name is None or name not in self.errors:
                self.add_error(name, message)
        self.mapping, self.defaults = mapping, defaults
        return data

    def _defaults(self, data: dict[str, Any], *, rated: bool) -> dict[str, Any]:
        """What to use for what the file does not say; a file with a rating column must
        say which end of its scale is best."""
        defaults: dict[str, Any] = {}
        if data.get("default_channel"):
            defaults["channel"] = data["default_channel"]
        if data.get("default_question", "").strip():
            defaults["question"] = data["default_question"].strip()
        if rated:
            if data.get("rating_scale") in RATING_SCALES:
                defaults["rating_scale"] = RATING_SCALES[data["rating_scale"]]
            if data.get("rating_best"):
                defaults["rating_best"] = data["rating_best"]
            elif "rating_best" not in self.errors:
                self.add_error("rating_best", NO_RATING_BEST)
        if data.get("default_date"):
            defaults["occurred_on"] = data["default_date"].isoformat()
        if data.get("demographics_consented"):
            defaults["demographics_consented"] = True
        return defaults


class ImportCheckForm(forms.Form):
    """The step before an import with ratings starts: where the first rows' comments and
    ratings disagree, the person ticks that the ratings are read the right way round."""

    ratings_checked = forms.BooleanField(
        label="The ratings are read the right way round",
        required=False,
        help_text="Tick only if you have looked at the rows above and the ratings are right as they will be read.",
    )


class ImportRatingsForm(forms.Form):
    """An import held because its comments and ratings disagree: which end is best."""

    rating_best = forms.ChoiceField(
        label="Which end of the scale is best?",
        choices=RATING_BEST_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": NO_RATING_BEST, "invalid_choice": NO_RATING_BEST},
    )


def guess_columns(headings: Sequence[str]) -> dict[str, str]:
    """A first guess at which column holds which field, from the headings the
    ready-made templates know and the fields' own names; each column used once."""
    guess = columns_guess(headings, fields=FIELDS, known=(t.mapping for t in BUILT_IN_TEMPLATES))
    return {column_field_name(field): heading for field, heading in guess.items()}
