"""The migrations that add the job constraints (one import running per organisation, a
file queued once; one analysis at a time) apply over what an older version left behind,
jobs left "running" by dead workers included, and go back again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from engage.conversations.models import ImportJob, ImportStatus
from engage.insight.models import AnalysisRun, RunStatus

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("conversations", "0008_reach_index"), ("insight", "0003_framework_in_use")]


def test_jobs_an_older_version_left_running_are_failed_so_the_constraints_can_be_added() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    organisation = old.get_model("partners", "Organisation").objects.create(
        name="Dudley Healthwatch", kind="healthwatch"
    )
    old_import_job = old.get_model("conversations", "ImportJob")

    def job(status: str, sha: str, name: str) -> int:
        return old_import_job.objects.create(
            organisation=organisation,
            file_name=name,
            stored_path=f"/nowhere/{name}",
            file_sha256=sha,
            mapping={},
            status=status,
        ).pk

    stuck_first = job("running", "a" * 64, "first.csv")
    stuck_second = job("running", "b" * 64, "second.csv")
    queued_twice_first = job("queued", "c" * 64, "again.csv")
    queued_twice_second = job("queued", "c" * 64, "again.csv")
    finished = job("succeeded", "a" * 64, "first.csv")
    old_run = old.get_model("insight", "AnalysisRun")
    older_run = old_run.objects.create(status="running").pk
    newer_run = old_run.objects.create(status="queued").pk

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {
        stuck_first: ImportStatus.FAILED,  # the older of two running: its worker died
        stuck_second: ImportStatus.RUNNING,  # kept; the heartbeat finds it later
        queued_twice_first: ImportStatus.FAILED,
        queued_twice_second: ImportStatus.QUEUED,
        finished: ImportStatus.SUCCEEDED,
    }
    assert ImportJob.objects.get(pk=queued_twice_first).error == (
        "The same file was queued again, so this copy was not imported."
    )
    assert dict(AnalysisRun.objects.values_list("pk", "status")) == {
        older_run: RunStatus.FAILED,
        newer_run: RunStatus.QUEUED,
    }

    # And back, and forward again.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


BEFORE_ONE_SCALE = [("conversations", "0013_import_rejection_keeps_the_row")]


def test_earlier_imports_are_recorded_as_read_and_held_ones_fail_going_back() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_ONE_SCALE)
    old = executor.loader.project_state(BEFORE_ONE_SCALE).apps
    organisation = old.get_model("partners", "Organisation").objects.create(
        name="Dudley Healthwatch", kind="healthwatch"
    )
    old_import_job = old.get_model("conversations", "ImportJob")

    def job(name: str, defaults: object) -> int:
        return old_import_job.objects.create(
            organisation=organisation,
            file_name=name,
            stored_path=f"/nowhere/{name}",
            file_sha256=name[0] * 64,
            mapping={"text": "Comment", "rating": "Score"},
            defaults=defaults,
            status="succeeded",
        ).pk

    ten = job("ten.csv", {"rating_scale": [0, 10]})
    plain = job("plain.csv", {})
    odd = job("odd.csv", {"rating_scale": "1-5"})

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    read = {
        pk: (low, high, best, converted)
        for pk, low, high, best, converted in ImportJob.objects.values_list(
            "pk", "rating_low", "rating_high", "rating_best", "ratings_converted"
        )
    }
    # As the import then read them, 1 (or 0) the best; their ratings were kept as given.
    assert read == {
        ten: (0, 10, "lowest", False),
        plain: (1, 5, "lowest", False),
        odd: (1, 5, "lowest", False),
    }

    held = ImportJob.objects.create(
        organisation_id=organisation.pk,
        file_name="held.csv",
        stored_path="/nowhere/held.csv",
        file_sha256="h" * 64,
        mapping={"text": "Comment"},
        status=ImportStatus.HELD,
        rating_check={"positive_poor": 12},
    )
    assert held.ratings_converted  # a new import converts

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_ONE_SCALE)
    back = executor.loader.project_state(BEFORE_ONE_SCALE).apps.get_model("conversations", "ImportJob")
    assert back.objects.get(pk=held.pk).status == "failed"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
