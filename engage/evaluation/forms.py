"""The forms of an activity's evaluation. They parse what a person typed; the rules
(what may be negative, what a complete part needs) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms

from engage.core.forms import UkDateField
from engage.evaluation.models import QUESTIONS, Met, Principle

NOT_ASSESSED = "unassessed"
RATING_CHOICES = [
    ("5", "5: Strongly agree"),
    ("4", "4: Agree"),
    ("3", "3: Neither agree nor disagree"),
    ("2", "2: Disagree"),
    ("1", "1: Strongly disagree"),
]


class CostForm(forms.Form):
    staff_hours = forms.CharField(
        label="Staff hours",
        help_text="Everyone's time on it, planning to feedback, such as 42.5.",
        max_length=20,
    )
    volunteer_hours = forms.CharField(
        label="Volunteers' hours", help_text="Enter 0 if no volunteers helped.", max_length=20
    )
    cost_pounds = forms.CharField(
        label="Money spent, in pounds",
        help_text="Venues, printing, interpreters, refreshments, vouchers: such as 350.",
        max_length=20,
    )
    what_worked = forms.CharField(
        label="What worked",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In your own words, for the next team: the good-practice library is built from these.",
    )
    what_did_not = forms.CharField(
        label="What did not work, or what you would do differently", widget=forms.Textarea(attrs={"rows": 4})
    )


class ParticipantsCloseForm(forms.Form):
    not_asked = forms.CharField(
        label="If the people who took part were not asked, why not?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Leave empty if they answered. Closing stops the link taking answers.",
    )


class InfluenceForm(forms.Form):
    influence_note = forms.CharField(
        label="What has it influenced so far?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Where no decision is recorded yet: why, or what is still to be decided and when.",
    )


class PrinciplesForm(forms.Form):
    """One question a principle of the pledge: met, partly met, not met, or not assessed."""

    def __init__(
        self, *args: Any, principles: list[Principle], initial_met: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.principles = principles
        for principle in principles:
            self.fields[f"principle_{principle.pk}"] = forms.ChoiceField(
                label=principle.title,
                help_text=principle.description,
                choices=[*Met.choices, (NOT_ASSESSED, "Not assessed")],
                required=False,
                widget=forms.RadioSelect,
                initial=initial_met.get(principle.pk) or NOT_ASSESSED,
            )

    def assessed(self) -> dict[str, object]:
        return {
            name.removeprefix("principle_"): "" if value == NOT_ASSESSED else value
            for name, value in self.cleaned_data.items()
        }


class ParticipantAnswerForm(forms.Form):
    """The participants' questions; any may be left out. Staff typing in a paper form
    give the day it was answered too."""

    comment = forms.CharField(
        label="Is there anything else you would like to tell us about taking part?",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Do not include your name or anything that could identify you.",
        max_length=2000,
    )

    def __init__(self, *args: Any, on_paper: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rated = {
            field: forms.ChoiceField(
                label=question, choices=RATING_CHOICES, required=False, widget=forms.RadioSelect
            )
            for field, question in QUESTIONS
        }
        self.fields = {**rated, **self.fields}
        if on_paper:
            self.fields["answered_on"] = UkDateField(
                label="Date it was answered",
                help_text="For example, 15 3 2026. Leave empty for today.",
                required=False,
            )

    def ratings(self) -> dict[str, object]:
        return {field: self.cleaned_data.get(field, "") for field, _ in QUESTIONS}
