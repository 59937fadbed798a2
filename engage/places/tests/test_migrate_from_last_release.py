"""A database left by the last release (step 7: reference data in reach, tasks at their
old paths) migrates forward with every row kept and readable through places, queued
tasks pointing at their new modules, and back again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tasks_db.models import DBTaskResult

from engage.places.models import Boundary, CensusCount, DeprivationArea, Postcode, ReferenceJob, ReferenceLoad
from engage.places.selectors import places_for_postcodes
from engage.reach.models import AnswerMapping

pytestmark = pytest.mark.django_db(transaction=True)

# The leaf migrations of the last release for the apps this step changed.
LAST_RELEASE = [
    ("reach", "0005_reference_job_heartbeat"),
    ("places", None),
    ("conversations", "0010_conversation_record_key_for_published_counts"),
    ("decisions", "0004_theme_proposals_for_partners_decisions"),
]
OLD_TASKS = {
    "engage.conversations.tasks.import_job_task": "engage.conversations.imports.tasks.import_job_task",
    "engage.reach.tasks.reference_job_task": "engage.places.tasks.reference_job_task",
    "engage.decisions.tasks.feedback_send_task": "engage.decisions.feedback.tasks.feedback_send_task",
    "engage.decisions.tasks.overdue_reminders_task": "engage.decisions.feedback.tasks.overdue_reminders_task",
}


def _state(executor: MigrationExecutor) -> Any:
    """The models as the last release had them ("places", None means "before places")."""
    return executor.loader.project_state([node for node in LAST_RELEASE if node[1] is not None]).apps


def _old_release_with_data() -> dict[str, int]:
    executor = MigrationExecutor(connection)
    executor.migrate(LAST_RELEASE)
    old = _state(executor)
    assert ("places", "0001_reference_data_from_reach") not in MigrationExecutor(
        connection
    ).loader.applied_migrations
    load = old.get_model("reach", "ReferenceLoad").objects.create(
        kind="postcodes", edition="2025-05", file_name="ONSPD_MAY_2025.csv", rows=1, note="1 postcode."
    )
    old.get_model("reach", "Postcode").objects.create(
        postcode="DY11HF", lsoa_2021="E01009226", ward_code="E05001234", local_authority_code="E08000027"
    )
    old.get_model("reach", "DeprivationArea").objects.create(
        edition="2025",
        lsoa_code="E01009226",
        lsoa_name="Dudley 001A",
        local_authority_code="E08000027",
        local_authority_name="Dudley",
        imd_score=40.0,
        imd_rank=3000,
        imd_decile=1,
        population=1500,
    )
    old.get_model("reach", "CensusCount").objects.create(
        dimension="age", area_code="E01009226", category="16 to 24", count=180, source="TS007A"
    )
    old.get_model("reach", "Boundary").objects.create(
        kind="ward", code="E05001234", name="Castle and Priory", rings=[[[0, 0], [1, 0], [1, 1], [0, 0]]]
    )
    job = old.get_model("reach", "ReferenceJob").objects.create(
        kind="postcodes",
        file_name="ONSPD_MAY_2025.csv",
        stored_path="/nowhere/a.csv",
        status="succeeded",
        load=load,
    )
    old.get_model("reach", "AnswerMapping").objects.create(dimension="age", answer="75+", group="75 and over")
    for path in OLD_TASKS:
        DBTaskResult.objects.create(
            task_path=path,
            status="READY",
            args_kwargs={"args": [], "kwargs": {}},
            priority=0,
            queue_name="default",
            backend_name="default",
            run_after=None,
            enqueued_at=dt.datetime.now(dt.UTC),
        )
    return {"load": load.pk, "job": job.pk}


def test_the_last_releases_reference_data_is_kept_and_read_through_places_after_migrating() -> None:
    ids = _old_release_with_data()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert places_for_postcodes({"DY11HF"})["DY11HF"].imd_decile == 1  # postcode, LSOA and decile joined
    assert DeprivationArea.objects.get().lsoa_name == "Dudley 001A"
    assert CensusCount.objects.get().count == 180
    assert Boundary.objects.get().name == "Castle and Priory"
    assert ReferenceJob.objects.get(pk=ids["job"]).load == ReferenceLoad.objects.get(pk=ids["load"])
    assert Postcode.objects.count() == 1
    assert AnswerMapping.objects.get().answer == "75+"  # reach's own choices stay with reach
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == sorted(OLD_TASKS.values())


def test_migrating_back_to_the_last_release_keeps_the_rows_and_the_old_task_paths() -> None:
    _old_release_with_data()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    executor = MigrationExecutor(connection)
    executor.migrate(LAST_RELEASE)
    old = _state(executor)
    assert old.get_model("reach", "Postcode").objects.get().postcode == "DY11HF"
    assert old.get_model("reach", "ReferenceJob").objects.get().load is not None
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == sorted(OLD_TASKS)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # and forward again, for the next test
