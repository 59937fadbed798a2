"""Forms of the insight pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from engage.insight.framework.file import MAX_BYTES

NEW_CATEGORY = ""  # the choice of "belongs under" for a category of its own


class CategoryAddForm(forms.Form):
    """The partnership's own theme, added to the framework."""

    name = forms.CharField(
        label="Name of the theme",
        max_length=200,
        error_messages={
            "required": "Give the theme a name.",
            "max_length": "The name must be 200 characters or fewer.",
        },
    )
    parent = forms.ChoiceField(
        label="It belongs under",
        required=False,
        help_text="Conversations are labelled with sub-categories. A new category of its own needs sub-categories added under it.",
    )
    description = forms.CharField(
        label="What it covers (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=1000,
        help_text="In plain words, so that people labelling conversations use it the same way.",
        error_messages={"max_length": "The description must be 1,000 characters or fewer."},
    )

    def __init__(self, *args: Any, parents: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["parent"]).choices = [
            (str(parent.pk), parent.name) for parent in parents
        ] + [(NEW_CATEGORY, "A new category of its own")]


class FrameworkLoadForm(forms.Form):
    """A partnership's own framework, as a TOML file."""

    file = forms.FileField(
        label="The framework file (.toml)",
        help_text="In the shape of the built-in framework's file: categories, each with sub-categories.",
        error_messages={"required": "Choose the framework file to add."},
    )
    use = forms.BooleanField(label="Use it from now on, instead of the framework in use", required=False)

    _text = ""

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is more than {MAX_BYTES // 1024:,} KB. A framework file is much smaller."
            )
        try:
            self._text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                f"{upload.name} is not a text file in UTF-8. Save it as UTF-8 text with the ending .toml."
            ) from None
        return upload

    def text(self) -> str:
        """The file's text, read once by the check."""
        return str(self._text)
