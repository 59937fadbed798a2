"""The form a partnership administrator changes one kind's rule with. What it may be set
to is the service's rule (`retention_rule_set`), which names the field it refuses."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from engage.core.forms import WholeNumberField
from engage.retention.models import PeriodUnit
from engage.retention.selectors import RuleInEffect
from engage.retention.services import DEFAULT, FOREVER


class RetentionRuleForm(forms.Form):
    amount = WholeNumberField(
        label="How many days or months",
        required=False,
        min_value=0,
        help_text="A whole number, such as 72. Leave it empty to keep them for ever or to use the default.",
        error_messages={"invalid": "Enter the number of days or months as a whole number, such as 72."},
    )
    unit = forms.ChoiceField(
        label="Keep them for",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose days, months, or to use the default.",
            "invalid_choice": "Choose one of the options.",
        },
    )

    def __init__(self, *args: Any, rule: RuleInEffect, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(PeriodUnit.DAYS.value, "Days"), (PeriodUnit.MONTHS.value, "Months")]
        if rule.policy.forever_allowed:
            choices.append((FOREVER, "For ever: never delete them"))
        choices.append((DEFAULT, f"The default: {rule.default}"))
        cast(forms.ChoiceField, self.fields["unit"]).choices = choices
        # The hint names only what this kind allows: "for ever" is not offered for every one.
        if not rule.policy.forever_allowed:
            self.fields["amount"].help_text = "A whole number, such as 72. Leave it empty to use the default."
        # The form's own bounds are wide: the service says what this kind allows.
        self.fields["amount"].widget.attrs["inputmode"] = "numeric"
