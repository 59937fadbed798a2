"""The activity form in steps, with a check-your-answers page at the end, as NHS.UK
services ask a long set of questions (the one long form was 7,700 pixels).

The answers travel with the pages, as hidden fields, rather than in the session: every
step posts every answer so far, so two activities registered in two tabs never mix, a
half-finished one leaves nothing behind, and saving is the same one post of the whole
form it always was (what the API, the tests and the every-write walk send). Only
`ActivityForm` decides what is valid; a step shows the problems with its own questions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import cast

from django import forms
from django.http import QueryDict

from engage.activities.forms import ActivityForm


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    fields: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step("about", "About the activity", ("title", "purpose", "topic", "priority_ids")),
    Step("who-and-where", "Who it is for and where", ("target_groups", "area_ids")),
    Step(
        "when-and-how",
        "When and how",
        ("starts_on", "ends_on", "stage", "involvement_type", "level", "methods"),
    ),
    Step(
        "who-is-involved",
        "Who is involved",
        ("partner_organisation_ids", "contact_id", "series_id", "new_series_title"),
    ),
    Step("status", "Status and feedback", ("status", "feedback_promised_on", "feedback_given_on")),
)
CHECK = "check"
# Sent back from the check page once the overlaps were shown; no step asks it.
NOT_ASKED = ("confirm_overlaps",)


def step_named(slug: str) -> Step | None:
    return next((step for step in STEPS if step.slug == slug), None)


def step_after(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def step_before(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None


def step_of(field_name: str) -> Step:
    return next(step for step in STEPS if field_name in step.fields)


def _keys(form: forms.Form, name: str) -> list[str]:
    """The names a field posts under: a date's three boxes post `name_day` and so on."""
    widget = form.fields[name].widget
    if isinstance(widget, forms.MultiWidget):
        suffixes: list[str] = widget.widgets_names  # type: ignore[attr-defined]  # set in MultiWidget.__init__
        return [name + suffix for suffix in suffixes]
    return [name]


def posted_answers(form: forms.Form, names: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """The answers to these fields as (name, value) pairs, as the browser posts them: from
    what was posted, or, before anything was, from the form's starting values."""
    pairs: list[tuple[str, str]] = []
    for name in names:
        if form.is_bound:
            data = cast(QueryDict, form.data)
            pairs += [(key, value) for key in _keys(form, name) for value in data.getlist(key)]
            continue
        value = form[name].value()
        widget = form.fields[name].widget
        if isinstance(widget, forms.MultiWidget):
            parts = widget.decompress(value) or []
            pairs += [
                (key, "" if part is None else str(part))
                for key, part in zip(_keys(form, name), parts, strict=False)
            ]
        elif isinstance(value, list | tuple):
            pairs += [(name, str(item)) for item in value]
        elif value not in (None, ""):
            pairs.append((name, str(value)))
    return pairs


def answers_from(form: ActivityForm) -> QueryDict:
    """The starting values (an activity's own, to change it) as a post of every answer."""
    data = QueryDict(mutable=True)
    for key, value in posted_answers(form, [name for name in form.fields if name not in NOT_ASKED]):
        data.appendlist(key, value)
    return data


def hidden_answers(form: ActivityForm, step: Step | None) -> list[tuple[str, str]]:
    """Every answer the page does not ask, to be posted along with it."""
    asked = step.fields if step else ()
    return posted_answers(form, [n for n in form.fields if n not in asked and n not in NOT_ASKED])


def errors_of(form: ActivityForm, step: Step) -> dict[str, list[str]]:
    """The problems with this step's questions only (the later ones are not asked yet)."""
    return {name: [str(e) for e in form.errors[name]] for name in step.fields if name in form.errors}


def first_step_with_a_problem(form: ActivityForm) -> Step | None:
    return next((step for step in STEPS if errors_of(form, step)), None)


@dataclass(frozen=True)
class Answer:
    name: str
    label: str
    text: str
    errors: list[str]


@dataclass(frozen=True)
class StepAnswers:
    step: Step
    answers: list[Answer]


def _choice_labels(field: forms.Field) -> dict[str, str]:
    """Value to label, through groups where the choices are grouped."""
    labels: dict[str, str] = {}
    for value, label in getattr(field, "choices", ()):
        if isinstance(label, list | tuple):
            # A ward is named with its locality, which its group's heading gave it on the
            # step ("Kingsmead, Southmoor"); "All of Southmoor" names itself.
            group = str(value)
            labels |= {
                str(v): str(text) if group in str(text) or group.startswith("Wards ") else f"{text}, {group}"
                for v, text in label
            }
        else:
            labels[str(value)] = str(label)
    return labels


def _as_text(form: ActivityForm, name: str) -> str:
    field = form.fields[name]
    cleaned = getattr(form, "cleaned_data", {})
    if name in cleaned:
        value = cleaned[name]
    else:
        # Not valid: show what was typed, so the person sees what to change.
        raw = [v for k, v in posted_answers(form, [name]) if v]
        return "/".join(raw) if isinstance(field.widget, forms.MultiWidget) else ", ".join(raw)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    labels = _choice_labels(field)
    if isinstance(value, list | tuple):
        return "\n".join(labels.get(str(item), str(item)) for item in value)
    if labels and value not in (None, ""):
        return labels.get(str(value), str(value))
    return "" if value is None else str(value)


def check_your_answers(form: ActivityForm) -> Iterator[StepAnswers]:
    """Each step's questions and answers, with the problems beside them."""
    for step in STEPS:
        yield StepAnswers(
            step,
            [
                Answer(
                    name,
                    str(form.fields[name].label),
                    _as_text(form, name),
                    [str(e) for e in form.errors.get(name, [])],
                )
                for name in step.fields
            ],
        )


def keep_only_errors(form: ActivityForm, kept: dict[str, list[str]]) -> None:
    """Leave on the form only these problems: a step shows none of the later steps'."""
    for name in list(form.errors):
        if name not in kept:
            del form.errors[name]
