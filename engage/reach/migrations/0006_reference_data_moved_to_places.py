"""The reference data now belongs to places (places 0001): reach forgets the models, and
the tables stay where they are (ADR 0031)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reach', '0005_reference_job_heartbeat'),
        ('places', '0001_reference_data_from_reach'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Boundary',
                ),
                migrations.DeleteModel(
                    name='CensusCount',
                ),
                migrations.DeleteModel(
                    name='DeprivationArea',
                ),
                migrations.DeleteModel(
                    name='Postcode',
                ),
                migrations.RemoveField(
                    model_name='referenceload',
                    name='loaded_by',
                ),
                migrations.DeleteModel(
                    name='ReferenceJob',
                ),
                migrations.DeleteModel(
                    name='ReferenceLoad',
                ),
            ],
            database_operations=[],
        ),
    ]
