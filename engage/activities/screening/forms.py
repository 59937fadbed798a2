"""The screening questionnaire, built from the questions in the rules file in use."""

from __future__ import annotations

from typing import Any

from django import forms

from engage.activities.screening.engine import AnswerValue
from engage.activities.screening.rules import MANY, Rules
from engage.activities.screening.services import TITLE_MAX_LENGTH


class ScreeningForm(forms.Form):
    title = forms.CharField(
        label="What is the issue?",
        help_text="A short name people will recognise, such as 'Moving the minor injuries unit to the health centre'.",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Enter the issue being screened.",
            "max_length": f"The issue must be {TITLE_MAX_LENGTH} characters or fewer.",
        },
    )

    def __init__(self, *args: Any, rules: Rules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        for question in rules.questions:
            messages = {
                "required": question.required_message,
                "invalid_choice": f"Select one of the answers given to '{question.text}'.",
                "invalid_list": question.required_message,
            }
            field: forms.Field
            if question.kind == MANY:
                field = forms.MultipleChoiceField(
                    label=question.text,
                    help_text=question.hint,
                    choices=question.options,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages=messages,
                )
            else:
                field = forms.ChoiceField(
                    label=question.text,
                    help_text=question.hint,
                    choices=question.options,
                    widget=forms.RadioSelect,
                    error_messages=messages,
                )
            self.fields[question.id] = field

    def question_fields(self) -> list[forms.BoundField]:
        return [self[question.id] for question in self.rules.questions]

    def answers(self) -> dict[str, AnswerValue]:
        return {question.id: self.cleaned_data[question.id] for question in self.rules.questions}
