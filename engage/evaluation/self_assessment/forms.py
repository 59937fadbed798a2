"""The self-assessment's forms: statements, rounds and their links, a score sheet,
objectives and their actions, and the principles of the pledge."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from engage.core.forms import UkDateField
from engage.evaluation.models import SCORE_MAX, SCORE_MIN, ProgressStatus, ScorerGroup, Statement


class StatementForm(forms.Form):
    text = forms.CharField(
        label="Statement",
        max_length=300,
        help_text="Something partners can score from 0 (not at all) to 10 (completely).",
    )
    is_active = forms.BooleanField(label="Scored in new rounds", required=False, initial=True)


class RoundOpenForm(forms.Form):
    title = forms.CharField(label="Name of the round", max_length=120, help_text="Such as “Spring 2027”.")


class LinksForm(forms.Form):
    group = forms.ChoiceField(label="Links for", choices=ScorerGroup.choices, widget=forms.RadioSelect)
    count = forms.IntegerField(
        label="How many links",
        min_value=1,
        max_value=200,
        help_text="One for each person you will send one to.",
    )


SCORE_CHOICES = [("", "I can't say"), *((str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1))]


class ScoreSheetForm(forms.Form):
    """One 0 to 10 score and a comment for each statement of the round."""

    def __init__(self, *args: Any, statements: list[Statement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statements = statements
        for index, statement in enumerate(statements, start=1):
            self.fields[f"score_{statement.pk}"] = forms.ChoiceField(
                label=f"Your score for statement {index}", choices=SCORE_CHOICES, required=False,
                help_text="0 is not at all, 10 is completely.",
            )  # fmt: skip
            self.fields[f"comment_{statement.pk}"] = forms.CharField(
                label="Why this score? (optional)",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=2000,
            )
        self.fields["website"] = forms.CharField(label="Leave this empty", required=False)

    def scores(self) -> dict[str, object]:
        return {str(s.pk): self.cleaned_data.get(f"score_{s.pk}", "") for s in self.statements}

    def comments(self) -> dict[str, str]:
        return {str(s.pk): self.cleaned_data.get(f"comment_{s.pk}", "") for s in self.statements}

    def pairs(self) -> list[tuple[Statement, forms.BoundField, forms.BoundField]]:
        return [(s, self[f"score_{s.pk}"], self[f"comment_{s.pk}"]) for s in self.statements]


class ObjectiveForm(forms.Form):
    title = forms.CharField(label="Objective", max_length=200)
    description = forms.CharField(
        label="What it means", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    owner = forms.CharField(label="Who answers for it", max_length=200)
    due_on = UkDateField(label="Due by", help_text="For example, 31 3 2027.")
    status = forms.ChoiceField(label="Status", choices=ProgressStatus.choices)
    statements = forms.MultipleChoiceField(
        label="Statements that would show it", required=False, widget=forms.CheckboxSelectMultiple
    )
    activities = forms.CharField(
        label="Activities working towards it",
        required=False,
        help_text="The numbers of the activities in the register, separated by commas, such as 12, 40.",
        max_length=500,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["statements"])
        field.choices = [(str(s.pk), s.text) for s in Statement.objects.filter(is_active=True)]

    def activity_ids(self) -> list[object]:
        return [part.strip() for part in self.cleaned_data.get("activities", "").split(",") if part.strip()]


class ActionForm(forms.Form):
    title = forms.CharField(label="Action", max_length=200)
    owner = forms.CharField(label="Who will do it", max_length=200)
    due_on = UkDateField(label="Due by", help_text="For example, 31 3 2027.")
    status = forms.ChoiceField(label="Status", choices=ProgressStatus.choices)


class PrincipleForm(forms.Form):
    title = forms.CharField(label="Principle", max_length=200)
    description = forms.CharField(
        label="What it means in practice", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    is_active = forms.BooleanField(label="Assessed in evaluations", required=False, initial=True)
