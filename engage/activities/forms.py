"""Forms of the engagement register. Field names match `ActivityInput`, so the
service's own checks can be shown beside the right field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from engage.activities.models import (
    Area,
    AreaKind,
    InvolvementType,
    Level,
    Method,
    Stage,
    Status,
    TargetGroup,
)
from engage.activities.services import ActivityInput
from engage.core.forms import GroupedCheckboxes, SearchableSelectMultiple, UkDateField, WholeNumberField

# Grouped choices, as Django takes them: (value, text) or (group label, [(value, text), ...]).
Choices = list[tuple[str, Any]]


def _choices(queryset: Any, label: Any = str) -> list[tuple[str, str]]:
    return [(str(item.pk), label(item)) for item in queryset]


def area_choices(areas: Iterable[Area]) -> Choices:
    """The areas as a person looks for them: the whole place first, then each locality
    under its own name, with the whole locality and then its wards beneath it. Wards
    that are in no locality come last, together. Names sort alphabetically in each. A
    retired area is among them only when an activity is in it already, and says so."""

    def by_name(area: Area) -> str:
        return area.name.casefold()

    areas = list(areas)
    localities = sorted((a for a in areas if a.kind == AreaKind.LOCALITY), key=by_name)
    locality_ids = {a.pk for a in localities}
    wards_of: dict[int | None, list[Area]] = {}
    for ward in sorted((a for a in areas if a.kind == AreaKind.WARD), key=by_name):
        wards_of.setdefault(ward.parent_id if ward.parent_id in locality_ids else None, []).append(ward)

    choices: Choices = [
        (str(place.pk), f"All of {place.label} (the whole place)")
        for place in sorted((a for a in areas if a.kind == AreaKind.PLACE), key=by_name)
    ]
    for locality in localities:
        wards = [(str(ward.pk), ward.label) for ward in wards_of.get(locality.pk, [])]
        choices.append((locality.name, [(str(locality.pk), f"All of {locality.label}"), *wards]))
    if None in wards_of:
        choices.append(("Wards in no locality", [(str(ward.pk), ward.label) for ward in wards_of[None]]))
    return choices


class ActivityForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title."})
    purpose = forms.CharField(
        label="What is it for?",
        widget=forms.Textarea,
        help_text="In plain English: what you want to find out, and what will change because of it.",
        error_messages={"required": "Say, in plain English, what the activity is for."},
    )
    topic = forms.CharField(
        label="Topic",
        max_length=200,
        help_text="A few words, such as urgent care or carers' breaks.",
        error_messages={"required": "Enter the topic."},
    )
    priority_ids = forms.MultipleChoiceField(
        label="Partnership priorities it serves", required=False, widget=forms.CheckboxSelectMultiple
    )
    stage = forms.ChoiceField(
        label="Stage of the commissioning cycle",
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the stage of the commissioning cycle."},
    )
    involvement_type = forms.ChoiceField(
        label="Type of involvement",
        choices=InvolvementType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of involvement."},
    )
    level = forms.ChoiceField(
        label="Level of engagement",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level of engagement."},
    )
    methods = forms.MultipleChoiceField(
        label="Methods", choices=Method.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.MultipleChoiceField(
        label="Who is it for?",
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one group of people the activity is for."},
    )
    area_ids = forms.MultipleChoiceField(
        label="Where?",
        widget=GroupedCheckboxes,
        help_text="Tick the whole place, whole localities or single wards.",
        error_messages={"required": "Choose the area: the whole place, a locality or a ward."},
    )
    starts_on = UkDateField(label="Starts on")
    ends_on = UkDateField(label="Ends on")
    partner_organisation_ids = forms.MultipleChoiceField(
        label="Partner organisations (optional)", required=False, widget=SearchableSelectMultiple
    )
    contact_id = forms.ChoiceField(label="Contact person", required=False)
    status = forms.ChoiceField(label="Status", choices=Status.choices, widget=forms.RadioSelect)
    feedback_promised_on = UkDateField(
        label="Feedback promised to participants by (optional)", required=False
    )
    feedback_given_on = UkDateField(label="Feedback given on (optional)", required=False)
    series_id = forms.ChoiceField(label="Part of a series (optional)", required=False)
    new_series_title = forms.CharField(
        label="Or start a new series (optional)",
        max_length=200,
        required=False,
        help_text="For repeat engagement, such as a quarterly forum: later activities can join it.",
    )
    confirm_overlaps = forms.BooleanField(required=False)

    def __init__(
        self,
        *args: Any,
        priorities: Any,
        areas: Any,
        organisations: Any,
        contacts: Any,
        series: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._set("priority_ids", _choices(priorities))
        self._set("area_ids", area_choices(areas))
        self._set("partner_organisation_ids", _choices(organisations))
        self._set(
            "contact_id", [("", "No one named"), *_choices(contacts, lambda u: u.get_full_name() or u.email)]
        )
        self._set("series_id", [("", "Not part of a series"), *_choices(series)])

    def _set(self, name: str, choices: Choices) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    def to_input(self) -> ActivityInput:
        data = self.cleaned_data
        return ActivityInput(
            title=data["title"],
            purpose=data["purpose"],
            topic=data["topic"],
            stage=data["stage"],
            involvement_type=data["involvement_type"],
            level=data["level"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            priority_ids=[int(i) for i in data["priority_ids"]],
            methods=list(data["methods"]),
            target_groups=list(data["target_groups"]),
            area_ids=[int(i) for i in data["area_ids"]],
            partner_organisation_ids=[int(i) for i in data["partner_organisation_ids"]],
            contact_id=int(data["contact_id"]) if data["contact_id"] else None,
            status=data["status"],
            feedback_promised_on=data["feedback_promised_on"],
            feedback_given_on=data["feedback_given_on"],
            series_id=int(data["series_id"]) if data["series_id"] else None,
            new_series_title=data["new_series_title"],
        )

    @staticmethod
    def initial_from(activity: Any) -> dict[str, Any]:
        return {
            "title": activity.title,
            "purpose": activity.purpose,
            "topic": activity.topic,
            "priority_ids": [str(p.pk) for p in activity.priorities.all()],
            "stage": activity.stage,
            "involvement_type": activity.involvement_type,
            "level": activity.level,
            "methods": activity.methods,
            "target_groups": activity.target_groups,
            "area_ids": [str(a.pk) for a in activity.areas.all()],
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
            "partner_organisation_ids": [str(o.pk) for o in activity.partner_organisations.all()],
            "contact_id": str(activity.contact_id or ""),
            "status": activity.status,
            "feedback_promised_on": activity.feedback_promised_on,
            "feedback_given_on": activity.feedback_given_on,
            "series_id": str(activity.series_id or ""),
        }


class PriorityForm(forms.Form):
    title = forms.CharField(label="Priority", max_length=200)
    description = forms.CharField(label="Description (optional)", widget=forms.Textarea, required=False)
    position = WholeNumberField(
        label="Order in lists", min_value=0, max_value=10_000, initial=0, required=False
    )
    is_active = forms.BooleanField(label="A current priority", required=False, initial=True)
