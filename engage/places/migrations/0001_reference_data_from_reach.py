"""The reference data (deprivation, postcodes, census counts, boundaries, and their loads
and upload jobs) moves from reach to places, so conversations, below reach, can place
people by postcode without importing reach. Only Django's idea of which app owns the
models changes: the tables keep their names (db_table) and their rows, so nothing is
copied and an existing database migrates in an instant (ADR 0031)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("reach", "0005_reference_job_heartbeat"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Boundary',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('ward', 'Ward'), ('lsoa', 'LSOA')], max_length=4)),
                        ('code', models.CharField(max_length=9)),
                        ('name', models.CharField(max_length=120)),
                        ('rings', models.JSONField()),
                        ('projected', models.BooleanField(default=False, help_text='British National Grid, not longitude and latitude.')),
                    ],
                    options={
                        'db_table': 'reach_boundary',
                        'ordering': ['kind', 'code'],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'code'), name='boundary_once_per_area')],
                    },
                ),
                migrations.CreateModel(
                    name='CensusCount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('dimension', models.CharField(choices=[('sex', 'Sex (TS009)'), ('age', 'Age (TS009)'), ('ethnic_group', 'Ethnic group (TS021, TS022)'), ('disability', 'Disability (TS038)'), ('unpaid_care', 'Unpaid care (TS039)')], max_length=16)),
                        ('category', models.CharField(help_text="The census's own wording, such as 'Aged 20 to 24 years'.", max_length=200)),
                        ('area_code', models.CharField(max_length=9)),
                        ('count', models.PositiveIntegerField()),
                        ('source', models.CharField(help_text='The census table, such as TS009.', max_length=10)),
                    ],
                    options={
                        'db_table': 'reach_censuscount',
                        'ordering': ['dimension', 'area_code', 'category'],
                        'indexes': [models.Index(fields=['dimension', 'category'], name='census_by_category')],
                        'constraints': [models.UniqueConstraint(fields=('dimension', 'area_code', 'category'), name='census_count_once')],
                    },
                ),
                migrations.CreateModel(
                    name='DeprivationArea',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('edition', models.CharField(choices=[('2025', 'Indices of Deprivation 2025 (2021 LSOAs)'), ('2019', 'Indices of Deprivation 2019 (2011 LSOAs)')], max_length=4)),
                        ('lsoa_code', models.CharField(max_length=9)),
                        ('lsoa_name', models.CharField(max_length=100)),
                        ('local_authority_code', models.CharField(max_length=9)),
                        ('local_authority_name', models.CharField(max_length=100)),
                        ('imd_score', models.FloatField()),
                        ('imd_rank', models.PositiveIntegerField(help_text='1 is the most deprived LSOA in England.')),
                        ('imd_decile', models.PositiveSmallIntegerField(help_text='1 is the most deprived 10% nationally.')),
                        ('population', models.PositiveIntegerField(help_text="The file's population denominator (mid-year, without prisoners).")),
                    ],
                    options={
                        'db_table': 'reach_deprivationarea',
                        'ordering': ['edition', 'lsoa_code'],
                        'indexes': [models.Index(fields=['edition', 'local_authority_code'], name='deprivation_by_authority')],
                        'constraints': [models.UniqueConstraint(fields=('edition', 'lsoa_code'), name='deprivation_once_per_lsoa'), models.CheckConstraint(condition=models.Q(('imd_decile__gte', 1), ('imd_decile__lte', 10)), name='deprivation_decile_1_to_10')],
                    },
                ),
                migrations.CreateModel(
                    name='Postcode',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('postcode', models.CharField(help_text='Upper case, without spaces: DY11HF.', max_length=7, unique=True)),
                        ('lsoa_2011', models.CharField(blank=True, max_length=9)),
                        ('lsoa_2021', models.CharField(blank=True, max_length=9)),
                        ('ward_code', models.CharField(blank=True, max_length=9)),
                        ('local_authority_code', models.CharField(blank=True, max_length=9)),
                        ('terminated', models.CharField(blank=True, help_text='Year and month it was withdrawn (YYYYMM).', max_length=6)),
                    ],
                    options={
                        'db_table': 'reach_postcode',
                        'ordering': ['postcode'],
                        'indexes': [models.Index(fields=['local_authority_code', 'ward_code', 'lsoa_2021', 'lsoa_2011'], name='postcode_by_authority')],
                    },
                ),
                migrations.CreateModel(
                    name='ReferenceLoad',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('imd', 'Index of Multiple Deprivation (File 7)'), ('postcodes', 'Postcode lookup'), ('census', 'Census 2021 table'), ('boundaries', 'Boundaries (GeoJSON)'), ('illustrative', 'Illustrative population (not real figures)')], max_length=12)),
                        ('edition', models.CharField(blank=True, max_length=20)),
                        ('file_name', models.CharField(max_length=255)),
                        ('rows', models.PositiveIntegerField(default=0)),
                        ('note', models.TextField(blank=True)),
                        ('loaded_at', models.DateTimeField(auto_now_add=True)),
                        ('loaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reach_referenceload',
                        'ordering': ['-loaded_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ReferenceJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('imd', 'Index of Multiple Deprivation (File 7)'), ('postcodes', 'Postcode lookup'), ('census', 'Census 2021 table'), ('boundaries', 'Boundaries (GeoJSON)'), ('illustrative', 'Illustrative population (not real figures)')], max_length=12)),
                        ('file_name', models.CharField(max_length=255)),
                        ('stored_path', models.CharField(max_length=500)),
                        ('size_bytes', models.PositiveBigIntegerField(default=0)),
                        ('status', models.CharField(choices=[('queued', 'Waiting to start'), ('running', 'Loading'), ('succeeded', 'Loaded'), ('failed', 'Failed: nothing was changed')], default='queued', max_length=10)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                        ('load', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='places.referenceload')),
                    ],
                    options={
                        'db_table': 'reach_referencejob',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
    
            ],
            database_operations=[],
        ),
    ]
