"""Form pieces every app shares: the NHS three-box date, searchable and grouped
choices, and plain-English messages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from engage.core.errors import InvalidInput
from engage.core.numbers import parse_id, parse_whole_number


class WholeNumberField(forms.IntegerField):
    """A whole number as a person types it: ASCII digits only (Django's own field reads
    "٣" as 3 and passes "+5"), through the one parser every interface uses."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        try:
            return parse_whole_number(
                str(value), field=str(self.label or "number"), least=-(2**63), most=2**63 - 1
            )
        except InvalidInput as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class RecordChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of one record by its id. Django's own field looks the value up with
    `int()`, so Arabic-Indic "1" (U+0661) chose record 1; here only the ids of the choices,
    in ASCII digits, choose anything."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            parse_id(str(value), field=str(self.label or "choice"))
        except InvalidInput as error:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from error
        return super().to_python(value)


class SearchableSelectMultiple(forms.SelectMultiple):
    """A long list to choose several from. The page's script (searchable.mjs) turns it
    into a box to type in and add from, one at a time, with the chosen listed beneath,
    each with its own Remove button; without script it is a plain <select multiple>.
    Either way the same values are posted (docs/adr/0045)."""


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in groups, from Django's grouped choices: the ungrouped choices first,
    then each group as a fieldset under its own legend (a locality, then its wards),
    with a box to narrow them by typed text where script runs."""


class DayMonthYearWidget(forms.MultiWidget):
    """Day, month and year boxes, as the NHS design system asks for dates people know."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class UkDateField(forms.MultiValueField):
    widget = DayMonthYearWidget
    default_error_messages = {
        "invalid": "Enter a real date, for example 15 3 2025.",
        "incomplete": "Enter the day, month and year.",
    }

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            WholeNumberField(min_value=1, max_value=31),
            WholeNumberField(min_value=1, max_value=12),
            WholeNumberField(min_value=1900, max_value=2200),
        )
        kwargs.setdefault("require_all_fields", True)
        super().__init__(fields=fields, **kwargs)

    def clean(self, value: Any) -> Any:
        try:
            return super().clean(value)
        except forms.ValidationError as error:
            if any(str(v or "").strip() for v in (value or [])):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
            raise

    def compress(self, data_list: list[Any]) -> date | None:
        if not data_list:
            return None
        day, month, year = data_list
        try:
            return date(int(year), int(month), int(day))
        except (TypeError, ValueError) as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


def show_on_form(form: forms.Form, error: InvalidInput) -> None:
    """Put a service's messages beside the fields they name; one that names no field of
    the form (an id the form does not show) goes in the summary above it. Pages, the API
    and the CLI show the same InvalidInput, each in its own way: this is the pages' way."""
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)
