"""The built-in framework of themes is stored here, once, rather than by the first page
that asked for it: reading the framework in use never writes (step 8). A database that
already holds it (from a page visited under an earlier version) is left as it is."""

from django.db import migrations


def seed(apps, schema_editor):
    from engage.insight.framework.services import framework_built_in_seed  # noqa: PLC0415 - the file's reader, with this migration's models

    framework_built_in_seed(
        framework_model=apps.get_model("insight", "Framework"),
        category_model=apps.get_model("insight", "Category"),
    )


class Migration(migrations.Migration):
    dependencies = [("insight", "0004_analysis_heartbeat_and_one_at_a_time")]

    # Going back leaves the framework: people's labels may already point at its categories.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
