"""Each conversation carries a fixed random key, drawn by the database, from which its
weight in published counts comes (the cell key method, engage/core/cell_key.py and
ADR 0027). Existing conversations get a key each as the column is added (the default is
worked out row by row on both databases). The key joins the end of the reach index, so
reach still reads every count from the index alone.

On SQLite, adding the column rebuilds the table and its triggers go with the old one, so
the full-text triggers of migration 0002 are created again at the end, as migrations
0004 and 0007 do. The rebuild copies the table: on a large bank, run it in a quiet hour.
"""

import importlib

from django.db import migrations, models

import engage.core.cell_key


def recreate_search_triggers(apps, schema_editor):
    migration_0004 = importlib.import_module("engage.conversations.migrations.0004_import_in_one_transaction")
    migration_0004.recreate_search_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_recompute_topic_terms"),
        ("conversations", "0009_import_heartbeat_and_one_running_per_organisation"),
        ("partners", "0003_person_record_key_for_published_counts"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="conversation",
            name="conversation_reach",
        ),
        migrations.AddField(
            model_name="conversation",
            name="record_key",
            field=models.PositiveSmallIntegerField(db_default=engage.core.cell_key.RandomRecordKey(), editable=False),
        ),
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(
                fields=[
                    "age_band",
                    "sex",
                    "ethnic_group",
                    "disability",
                    "carer",
                    "imd_decile",
                    "organisation",
                    "activity",
                    "occurred_on",
                    "ward_code",
                    "record_key",
                ],
                name="conversation_reach",
            ),
        ),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop, elidable=False),
    ]
