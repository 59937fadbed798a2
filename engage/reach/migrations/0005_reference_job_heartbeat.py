"""Reference loads show they are alive while they run (`heartbeat_at`, see
engage/core/jobs.py), so one whose worker died is found and marked failed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reach", "0004_boundaries_answer_mappings_and_reference_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="referencejob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
