"""The default statements and pledge (engage/evaluation/defaults.py)."""

from typing import Any

from django.db import migrations


def add(apps: Any, schema_editor: Any) -> None:
    from engage.evaluation.defaults import defaults_seed  # noqa: PLC0415 - with this migration's models

    defaults_seed(
        statement_model=apps.get_model("evaluation", "Statement"),
        principle_model=apps.get_model("evaluation", "Principle"),
    )


def remove(apps: Any, schema_editor: Any) -> None:
    from engage.evaluation.defaults import PRINCIPLES, STATEMENTS  # noqa: PLC0415 - with this migration's models

    apps.get_model("evaluation", "Statement").objects.filter(text__in=STATEMENTS, scores__isnull=True).delete()
    apps.get_model("evaluation", "Principle").objects.filter(
        title__in=[title for title, _ in PRINCIPLES], assessments__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_evaluations_self_assessment_board")]
    operations = [migrations.RunPython(add, remove)]
