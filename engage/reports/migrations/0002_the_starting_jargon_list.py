"""The starting jargon list (engage/reports/defaults.py)."""

from typing import Any

from django.db import migrations


def add(apps: Any, schema_editor: Any) -> None:
    from engage.reports.defaults import jargon_seed  # noqa: PLC0415 - with this migration's models

    jargon_seed(jargon_model=apps.get_model("reports", "JargonTerm"))


def remove(apps: Any, schema_editor: Any) -> None:
    from engage.reports.defaults import JARGON  # noqa: PLC0415 - with this migration's models

    apps.get_model("reports", "JargonTerm").objects.filter(term__in=[term for term, _ in JARGON]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_reports_local_account_board_paper_easy_read")]
    operations = [migrations.RunPython(add, remove)]
