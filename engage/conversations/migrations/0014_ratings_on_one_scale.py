# Ratings kept on one scale, and imports held while their ratings are checked (ADR 0040).
#
# Imports made before this kept each rating as the file gave it, reading 1 as the best
# (the Friends and Family Test's order): they are marked so (ratings_converted false),
# with the range they were read on and the lowest end as the best, which is what the
# import assumed. Their conversations' ratings are left as they are: which end of a
# 0 to 10 scale was best was never asked, and a guess could turn them inside out.

from django.conf import settings
from django.db import migrations, models


def _scale(defaults):
    scale = (defaults or {}).get("rating_scale") if isinstance(defaults, dict) else None
    if (
        isinstance(scale, list)
        and len(scale) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in scale)
        and 0 <= scale[0] < scale[1] <= 10
    ):
        return scale[0], scale[1]
    return 1, 5


def earlier_imports_as_they_were_read(apps, schema_editor):
    ImportJob = apps.get_model("conversations", "ImportJob")
    for job in ImportJob.objects.only("pk", "defaults").iterator(chunk_size=500):
        low, high = _scale(job.defaults)
        ImportJob.objects.filter(pk=job.pk).update(
            rating_low=low, rating_high=high, rating_best="lowest", ratings_converted=False
        )


def held_imports_failed(apps, schema_editor):
    """Going back: the earlier code knows no held import, so those waiting are failed
    (their files go with the next retention run)."""
    ImportJob = apps.get_model("conversations", "ImportJob")
    ImportJob.objects.filter(status="held").update(
        status="failed",
        error="The import was waiting for its ratings to be checked when the software was taken back "
        "to an earlier version, so nothing from the file was added. Import it again.",
        rating_check=None,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0002_recompute_topic_terms'),
        ('conversations', '0013_import_rejection_keeps_the_row'),
        ('partners', '0003_person_record_key_for_published_counts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='importjob',
            name='import_file_once_in_line',
        ),
        migrations.AddField(
            model_name='importjob',
            name='rating_best',
            field=models.CharField(choices=[('lowest', 'The lowest number'), ('highest', 'The highest number')], default='lowest', max_length=8),
        ),
        migrations.AddField(
            model_name='importjob',
            name='rating_check',
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='importjob',
            name='rating_column',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='importjob',
            name='rating_high',
            field=models.PositiveSmallIntegerField(default=5),
        ),
        migrations.AddField(
            model_name='importjob',
            name='rating_low',
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name='importjob',
            name='ratings_confirmed',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='importjob',
            name='ratings_converted',
            field=models.BooleanField(default=True),
        ),
        migrations.AlterField(
            model_name='importjob',
            name='status',
            field=models.CharField(choices=[('queued', 'Waiting to start'), ('running', 'Importing'), ('succeeded', 'Finished'), ('failed', 'Failed: nothing was imported'), ('held', 'Waiting for you to check the ratings')], default='queued', max_length=12),
        ),
        migrations.RunPython(earlier_imports_as_they_were_read, held_imports_failed, elidable=True),
        migrations.AddConstraint(
            model_name='importjob',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['queued', 'running', 'held'])), fields=('organisation', 'file_sha256'), name='import_file_once_in_line'),
        ),
        migrations.AddConstraint(
            model_name='importjob',
            constraint=models.CheckConstraint(condition=models.Q(('rating_high__lte', 10), ('rating_low__lt', models.F('rating_high'))), name='import_rating_scale'),
        ),
    ]
