"""The default set a partnership starts from, which it can change: the five statements
of the source documents' baseline (scored 4, 3, 5, 3 and 3 out of 10 when a partnership
first positioned itself against them), and a pledge of engagement principles after the
Health and Wellbeing Board's proposed principles.

Stored by the migration evaluation 0002, and again after `flush` (which empties every
table, as each transactional test does at its end; see EvaluationConfig), only where the
table is empty: a partnership's own statements and pledge are never touched."""

from __future__ import annotations

from typing import Any

STATEMENTS = (
    "The ICB is meaningfully engaged with the community",
    "There is trust and understanding between the VCSE, the ICB and the council",
    "Senior staff show leadership in transforming health commissioning and delivery",
    "The VCSE is effectively engaged in health commissioning and delivery",
    (
        "There are opportunities to share learning and experience of effective approaches to "
        "cross-sector health commissioning"
    ),
)

PRINCIPLES = (
    (
        "We work in empowering ways",
        "We value what people and communities can contribute to shaping and delivering services.",
    ),
    (
        "The type and level of engagement fit the situation",
        "We chose how to engage for this issue, and said why (screening helps).",
    ),
    (
        "We use methods that work for the people concerned",
        (
            "Our methods were based on evidence of what works, and reached the people the issue affects, "
            "including those seldom heard."
        ),
    ),
    (
        "People hear what difference they made",
        "We told the people who took part how their views influenced what was decided.",
    ),
    (
        "We learn from our engagement",
        "We evaluated it with the people who took part, and used what we learned to plan the next.",
    ),
)


def defaults_seed(*, statement_model: Any, principle_model: Any) -> None:
    """Store the default statements and pledge where there are none; the models are
    passed in, so a migration stores them with the models as it migrated them."""
    if not statement_model.objects.exists():
        for position, text in enumerate(STATEMENTS, start=1):
            statement_model.objects.create(text=text, position=position, from_baseline=True)
    if not principle_model.objects.exists():
        for position, (title, description) in enumerate(PRINCIPLES, start=1):
            principle_model.objects.create(title=title, position=position, description=description)
