"""Labels through a build, a removal and `manage.py demo`: the same seed labels the same
conversations, removal takes the labels with it, and the command trains a model on them
and queues an analysis only when it built a bank. Each test builds its own small demo
(test_demo_labels.py looks at a shared one)."""

from __future__ import annotations

import re
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from engage.demo import labels
from engage.demo.services import demo_partnership_load, demo_partnership_remove
from engage.demo.tests.conftest import REFERENCE_DATE
from engage.insight.models import AnalysisRun, ModelVersion, PersonLabel, Review, RunStatus

pytestmark = pytest.mark.django_db


def test_the_same_seed_labels_the_same_conversations() -> None:
    def sample() -> list[tuple[str, str, list[str]]]:
        reviews = Review.objects.order_by("conversation_id").values_list(
            "conversation_id", "conversation__text", "sentiment"
        )
        names: dict[int, list[str]] = defaultdict(list)
        for conversation_id, name in PersonLabel.objects.order_by("category__name").values_list(
            "conversation_id", "category__name"
        ):
            names[conversation_id].append(name)
        return [(text, sentiment, names[pk]) for pk, text, sentiment in reviews]

    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=1500)
    first = sample()
    assert len(first) == labels.labelled_count(1500)
    demo_partnership_remove()
    assert not Review.objects.exists()
    assert not PersonLabel.objects.exists()
    demo_partnership_load(seed=7, today=REFERENCE_DATE, conversations=1500)
    assert sample() == first


# --- The command trains a model and queues an analysis ----------------------------------------


def _run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_command_trains_a_model_and_queues_an_analysis() -> None:
    output = _run("--conversations", "600")
    version = ModelVersion.objects.get()
    assert version.labelled_conversations == labels.labelled_count(600)
    assert version.categories_learnt > 0
    run = AnalysisRun.objects.get()
    assert run.status == RunStatus.QUEUED
    assert run.rows_total == 600
    assert f"Trained model {version.number} on 60 labelled conversations in" in output
    assert "queued an analysis of every conversation" in output
    assert re.search(r"Labelled by people\s+60\s", output)
    # Loading again builds nothing, so trains nothing.
    _run("--quiet")
    assert ModelVersion.objects.count() == 1
    assert AnalysisRun.objects.count() == 1


def test_a_reset_while_an_analysis_waits_trains_and_leaves_that_one_to_run() -> None:
    _run("--quiet", "--conversations", "300")
    output = _run("--reset", "--conversations", "300")
    assert ModelVersion.objects.count() == 2
    assert AnalysisRun.objects.get().status == RunStatus.QUEUED
    assert "already waiting or running" in output


def test_a_demo_without_conversations_trains_nothing() -> None:
    output = _run("--conversations", "0")
    assert not Review.objects.exists()
    assert not ModelVersion.objects.exists()
    assert not AnalysisRun.objects.exists()
    assert "Trained model" not in output
    assert "Labelled by people" not in output
