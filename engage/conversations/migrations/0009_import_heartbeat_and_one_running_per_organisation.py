"""Imports show they are alive while they run (`heartbeat_at`, see engage/core/jobs.py),
and the database keeps them in line: one running import for each organisation, and a
file waiting or being imported is not queued again.

Rows an older version left behind that the new constraints would refuse (imports left
"running" by a worker that died, a file queued twice) are marked failed first, the
newest of each kept; a running one kept is found by the heartbeat later like any other.
Going back leaves them failed.
"""

from django.db import migrations, models
from django.db.models.functions import Now

STOPPED = (
    "The worker stopped while this was running; nothing of it was kept. "
    "Start it again by uploading the file again."
)
QUEUED_TWICE = "The same file was queued again, so this copy was not imported."


def fail_what_the_constraints_refuse(apps, schema_editor):
    ImportJob = apps.get_model("conversations", "ImportJob")
    running_seen: set[int] = set()
    waiting_seen: set[tuple[int, str]] = set()
    active = ImportJob.objects.filter(status__in=["queued", "running"]).order_by("-created_at", "-id")
    for job in active.only("pk", "organisation_id", "file_sha256", "status"):
        message = ""
        if job.status == "running":
            if job.organisation_id in running_seen:
                message = STOPPED
            running_seen.add(job.organisation_id)
        key = (job.organisation_id, job.file_sha256)
        if not message and key in waiting_seen:
            message = QUEUED_TWICE
        waiting_seen.add(key)
        if message:
            ImportJob.objects.filter(pk=job.pk).update(
                status="failed", error=message, finished_at=Now()
            )


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0008_reach_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(fail_what_the_constraints_refuse, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="importjob",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "running")),
                fields=("organisation",),
                name="import_one_running_per_organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="importjob",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["queued", "running"])),
                fields=("organisation", "file_sha256"),
                name="import_file_once_in_line",
            ),
        ),
    ]
