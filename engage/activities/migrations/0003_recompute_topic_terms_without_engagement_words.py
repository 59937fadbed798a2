"""Recompute every activity's stored keywords after textkit's keyword rules began to
leave out the words nearly every engagement activity uses ("event", "listening", "ICB"),
so overlap warnings compare topics, not boilerplate."""

from django.db import migrations

from textkit.keywords import keyword_text


def recompute(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    changed = []
    for activity in Activity.objects.only("id", "title", "topic", "purpose", "topic_terms").iterator(chunk_size=2000):
        terms = keyword_text(f"{activity.title} {activity.topic} {activity.purpose}")
        if terms != activity.topic_terms:
            activity.topic_terms = terms
            changed.append(activity)
    Activity.objects.bulk_update(changed, ["topic_terms"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_recompute_topic_terms")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
