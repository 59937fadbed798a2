"""Generated files thrown at the importer: it only ever raises a clear import error,
and a job always ends finished or failed, with the bank unchanged when it fails."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engage.conversations.imports import pipeline as import_pipeline
from engage.conversations.imports import services as import_services
from engage.conversations.imports.cleaning import RowCleaner
from engage.conversations.imports.mapping import GENERIC, built_in_template, resolve_mapping
from engage.conversations.models import Conversation, ImportStatus
from engage.core.tabular.errors import ImportFileError, ImportRowError
from engage.core.tabular.readers import open_reader

KNOWN_HEADINGS = [
    "Comment",
    "Date",
    "Rating",
    "Postcode",
    "Channel",
    "Respondent ID",
    "Consent to quote",
    "Consent to contact",
    "Age band",
    "Question",
]
awkward_text = st.text(
    alphabet=st.sampled_from([*"aZ9 ,;\"'\n\r\t=+-@£é—👍\\/.", "\u2028", "\ufeff"]), max_size=40
)
cell = st.one_of(
    awkward_text,
    st.sampled_from(
        ["\x00", "15/03/2025", "3/15/2025", "2025-02-30", "DY1 1HF", "zz", "yes", "maybe", "6", "-1", "=1+2"]
    ),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "é", '"', "\n"]), st.integers(19_990, 20_010)),
)
REAL_WRITE_BATCH = import_pipeline._write_batch
headings = st.lists(st.one_of(st.sampled_from(KNOWN_HEADINGS), awkward_text), min_size=1, max_size=6)


@st.composite
def files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file name and its bytes: mostly CSV-ish text in some encoding, sometimes junk."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["junk.csv", "junk.xlsx", "junk.txt"])), draw(st.binary(max_size=300))
    heads = draw(headings)
    if draw(st.integers(0, 4)) > 0:  # mostly files the generic template can read
        heads.insert(draw(st.integers(0, len(heads))), "Comment")
    rows = draw(st.lists(st.lists(cell, max_size=len(heads) + 2), min_size=1, max_size=6))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    for row in [heads, *rows]:
        writer.writerow(row)
    text = buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "mixed"]))
    if encoding == "mixed":
        content = b"".join(
            line.encode("cp1252", errors="replace") if n % 2 else line.encode("utf-8")
            for n, line in enumerate(text.splitlines(keepends=True))
        )
    else:
        content = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 4)) == 0:
        content = content[: draw(st.integers(0, len(content)))]  # cut off anywhere
    return draw(st.sampled_from(["survey.csv"] * 4 + ["survey.xlsx"])), content


def read_and_clean(path: Path, name: str) -> None:
    template = built_in_template(GENERIC)
    assert template is not None
    with open_reader(path, file_name=name) as reader:
        resolved = resolve_mapping(template.mapping, reader.headings, file_name=name)
        cleaner = RowCleaner(resolved=resolved, defaults=template.defaults, fallback_date=dt.date(2025, 4, 1))
        for line, row in reader.rows():
            refused: ImportRowError | None = None
            try:
                clean = cleaner.clean(line, row)
            except ImportRowError as error:
                refused = error
            if refused is not None:
                assert refused.reason
                assert refused.line == line
            else:
                assert clean.values["text"]
                assert len(clean.key) == 64


@settings(max_examples=100, deadline=None)
@given(files())
def test_the_reader_and_cleaner_raise_nothing_but_import_errors(generated):
    name, content = generated
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        refused: ImportFileError | None = None
        try:
            read_and_clean(path, name)
        except ImportFileError as error:
            refused = error
    if refused is None:
        event("read to the end")
    else:
        event(f"file refused: {refused.reason[:45]}")
        assert refused.message.startswith(name)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=files(), fail_at=st.sampled_from([None, None, None, 1, 2]))
def test_a_job_always_ends_finished_or_failed_and_a_failure_changes_nothing(
    organisation, monkeypatch, generated, fail_at
):
    name, content = generated
    before = set(Conversation.objects.values_list("pk", flat=True))
    monkeypatch.setattr(import_pipeline, "BATCH", 2)
    real = REAL_WRITE_BATCH  # monkeypatch lasts the whole test, across examples
    calls = {"n": 0}

    def maybe_failing(*args, **kwargs):
        calls["n"] += 1
        if fail_at is not None and calls["n"] == fail_at:
            raise RuntimeError("simulated crash")
        return real(*args, **kwargs)

    monkeypatch.setattr(import_pipeline, "_write_batch", maybe_failing)
    try:
        job = import_services.import_job_create(
            actor=None,
            organisation=organisation,
            content=io.BytesIO(content),
            file_name=name,
            template=GENERIC,
            start=False,
        )
    except ImportFileError:
        event("file refused")
        assert set(Conversation.objects.values_list("pk", flat=True)) == before
        return
    job = import_pipeline.import_job_run(job_id=job.pk)
    event(f"job {job.status}")
    assert job.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)
    after = set(Conversation.objects.values_list("pk", flat=True))
    if job.status == ImportStatus.FAILED:
        assert job.error
        if fail_at is None or calls["n"] < fail_at:  # failed on its own: only ever for a clear reason
            assert job.error != import_pipeline.UNEXPECTED_FAILURE
        assert after == before
        assert not job.rejections.exists()
    else:
        assert len(after - before) == job.added
        assert job.added + job.duplicates + job.rejected == job.rows_total
