"""Each conversation keeps the LSOA, ward and national deprivation decile its postcode
lies in (found in the postcode lookup of engage.reach when it comes in), never the
whole postcode.

On SQLite, adding a column with a default rebuilds the table and its triggers go with
the old one, so the full-text triggers of migration 0002 are created again at the end,
as migration 0004 does (the FTS5 table and the rows' ids are unchanged). The rebuild
copies the table: on a large bank, run this migration in a quiet hour.
"""

import importlib

from django.db import migrations, models


def recreate_search_triggers(apps, schema_editor):
    migration_0004 = importlib.import_module("engage.conversations.migrations.0004_import_in_one_transaction")
    migration_0004.recreate_search_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0006_imported_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="imd_decile",
            field=models.PositiveSmallIntegerField(
                blank=True, help_text="National decile of deprivation, 1 the most deprived 10%.", null=True
            ),
        ),
        migrations.AddField(
            model_name="conversation",
            name="lsoa_code",
            field=models.CharField(blank=True, help_text="The LSOA of the edition in use.", max_length=9),
        ),
        migrations.AddField(
            model_name="conversation",
            name="ward_code",
            field=models.CharField(blank=True, max_length=9),
        ),
        migrations.RunPython(recreate_search_triggers, migrations.RunPython.noop, elidable=False),
    ]
