"""Analyses show they are alive while they run (`heartbeat_at`, see
engage/core/jobs.py), and the database lets only one wait or run at a time.

Older rows the constraint would refuse (analyses left waiting or running by a worker
that died) are marked failed first, the newest kept; a running one kept is found by the
heartbeat later like any other. Going back leaves them failed.
"""

from django.db import migrations, models
from django.db.models.functions import Now

STOPPED = (
    "The worker stopped while this was running. What it finished is kept; "
    "start it again to do the rest."
)


def fail_all_but_the_newest_active(apps, schema_editor):
    AnalysisRun = apps.get_model("insight", "AnalysisRun")
    active = AnalysisRun.objects.filter(status__in=["queued", "running"]).order_by("-created_at", "-id")
    older = list(active.values_list("pk", flat=True)[1:])
    if older:
        AnalysisRun.objects.filter(pk__in=older).update(
            status="failed", error=STOPPED, finished_at=Now()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0003_framework_in_use"),
    ]

    operations = [
        migrations.AddField(
            model_name="analysisrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fail_all_but_the_newest_active, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="analysisrun",
            constraint=models.UniqueConstraint(
                models.Value(1),
                condition=models.Q(("status__in", ["queued", "running"])),
                name="analysis_one_at_a_time",
            ),
        ),
    ]
