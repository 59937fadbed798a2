"""The default set the partnership starts from, which it can change: the five statements
of the source documents' baseline (scored 4, 3, 5, 3 and 3 out of 10 when a partnership
first positioned itself against them), and a pledge of engagement principles after the
Health and Wellbeing Board's proposed principles."""

from typing import Any

from django.db import migrations

STATEMENTS = (
    "The ICB is meaningfully engaged with the community",
    "There is trust and understanding between the VCSE, the ICB and the council",
    "Senior staff show leadership in transforming health commissioning and delivery",
    "The VCSE is effectively engaged in health commissioning and delivery",
    "There are opportunities to share learning and experience of effective approaches to "
    "cross-sector health commissioning",
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
        "Our methods were based on evidence of what works, and reached the people the issue affects, "
        "including those seldom heard.",
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


def add(apps: Any, schema_editor: Any) -> None:
    Statement = apps.get_model("evaluation", "Statement")
    Principle = apps.get_model("evaluation", "Principle")
    for position, text in enumerate(STATEMENTS, start=1):
        Statement.objects.get_or_create(text=text, defaults={"position": position, "from_baseline": True})
    for position, (title, description) in enumerate(PRINCIPLES, start=1):
        Principle.objects.get_or_create(title=title, defaults={"position": position, "description": description})


def remove(apps: Any, schema_editor: Any) -> None:
    apps.get_model("evaluation", "Statement").objects.filter(text__in=STATEMENTS, scores__isnull=True).delete()
    apps.get_model("evaluation", "Principle").objects.filter(
        title__in=[title for title, _ in PRINCIPLES], assessments__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_evaluations_self_assessment_board")]
    operations = [migrations.RunPython(add, remove)]
