"""Imports no longer stage rows (StagedRow goes), and the conversations table loses the
two single-column indexes its composite indexes already cover (organisation; activity).

On SQLite, altering the table rebuilds it and its triggers go with the old one, so the
full-text triggers of migration 0002 are created again at the end (the FTS5 table and
the rows' ids are unchanged, so the index itself stays valid).
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models


def recreate_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    full_text = importlib.import_module("engage.conversations.migrations.0002_full_text_search")
    for statement in full_text.SQLITE_INSTALL:
        if statement.startswith("CREATE TRIGGER"):
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_recompute_topic_terms"),
        ("conversations", "0003_index_channel_within_organisation"),
        ("partners", "0002_organisation_contact_email"),
    ]

    operations = [
        migrations.AlterField(
            model_name="conversation",
            name="activity",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="conversations",
                to="activities.activity",
            ),
        ),
        migrations.AlterField(
            model_name="conversation",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="conversations",
                to="partners.organisation",
            ),
        ),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(
            name="StagedRow",
        ),
    ]
