"""Measuring the redaction (textkit/redact.py) on labelled text: what it found and what it
removed that was not personal.

A labelled set is a JSON Lines file, one text a line:

    {"id": "r0001", "part": "dev", "text": "Sarah, Tom and Priya were lovely.",
     "details": [{"kind": "name", "start": 0, "end": 5, "text": "Sarah"}, ...]}

`kind` is one of the redactor's kinds (the keys of `textkit.redact.MARKERS`); `start`
and `end` count characters of `text` (Python's slicing, end excluded), and `text`
repeats the detail so that a person can check the file by eye and a wrong offset is
caught on reading. `details` is empty for a text with nothing personal in it. `part` is
"dev" (the part the redactor was tuned on) or "test" (held out at first; its misses have
since been read and some fixed, so it is no longer unseen: docs/adr/0034).
textkit/data/redaction_set.jsonl is the set that ships with the project; its README says
how it was written.

How a detail and a marker are matched:

- recall: a labelled detail counts as found when every character of it was removed,
  by markers of any kind. Half a name gone ("[name] Jones") is not found: the other half
  is still there to read. The kind of the marker does not matter for recall, because the
  detail is gone either way; how often the kind was also right is reported apart
  (`right_kind`).
- precision: a marker counts as correct when the text it replaced overlaps a labelled
  detail of any kind; a marker over text with no detail in it is a false alarm. A
  marker's kind is the kind it shows ("[name]"), so per-kind precision says how far each
  pass can be trusted.

"Direct identifiers" are the details that identify a person on their own: names, phone
numbers, email addresses, social media handles, NHS, hospital and National Insurance
numbers, addresses, postcodes and dates of birth; their figures are also given together.
A web address is scored on its own: it identifies a person only sometimes.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textkit.redact import MARKERS, Removed, redact_with_spans

__all__ = [
    "DIRECT_KINDS",
    "KINDS",
    "SHIPPED_SET",
    "LabelledDetail",
    "LabelledText",
    "RedactionSetError",
    "evaluate_redaction",
    "read_redaction_set",
]

SHIPPED_SET = Path(__file__).resolve().parent / "data" / "redaction_set.jsonl"
DIRECT_KINDS = (
    "name",
    "phone",
    "email",
    "social_handle",
    "nhs_number",
    "hospital_number",
    "ni_number",
    "address",
    "postcode",
    "date_of_birth",
)
# Every kind a labelled detail may have. The redactor need not have a marker for each: a
# kind it cannot find is scored all the same, with a recall of nothing.
KINDS = (*DIRECT_KINDS, "web_address")
PARTS = ("dev", "test")


@dataclass(frozen=True)
class LabelledDetail:
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class LabelledText:
    id: str
    part: str
    text: str
    details: tuple[LabelledDetail, ...]


class RedactionSetError(ValueError):
    """A labelled set that cannot be read, with the file, the line and what is wrong."""


def read_redaction_set(path: Path) -> list[LabelledText]:
    """The labelled texts of a JSON Lines file in the shape above, checked line by line."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise RedactionSetError(f"{path.name}: the file is not UTF-8 text ({error.reason}).") from error
    texts: list[LabelledText] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        labelled = _read_line(line, where=f"{path.name}: line {number}")
        if labelled.id in seen:
            raise RedactionSetError(f"{path.name}: line {number} repeats the id {labelled.id!r}.")
        seen.add(labelled.id)
        texts.append(labelled)
    if not texts:
        raise RedactionSetError(f"{path.name}: the file holds no labelled texts.")
    return texts


def _read_line(line: str, *, where: str) -> LabelledText:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise RedactionSetError(f"{where} is not JSON ({error.msg}, at character {error.pos + 1}).") from None
    if not isinstance(row, dict):
        raise RedactionSetError(f"{where} is not a JSON object with 'text' and 'details'.")
    text, details, part = row.get("text"), row.get("details"), row.get("part", "dev")
    if not isinstance(text, str):
        raise RedactionSetError(f"{where} has no 'text', or its 'text' is not a string.")
    if not isinstance(details, list):
        raise RedactionSetError(f"{where} has no 'details' list (write [] for a text with none).")
    if part not in PARTS:
        raise RedactionSetError(f"{where} has the part {part!r}; a part is 'dev' or 'test'.")
    labelled = []
    for index, detail in enumerate(details, start=1):
        labelled.append(_read_detail(detail, text, where=f"{where}, detail {index}"))
    return LabelledText(id=str(row.get("id", where)), part=part, text=text, details=tuple(labelled))


def _read_detail(detail: object, text: str, *, where: str) -> LabelledDetail:
    if not isinstance(detail, dict):
        raise RedactionSetError(f"{where} is not a JSON object with 'kind', 'start' and 'end'.")
    kind, start, end = detail.get("kind"), detail.get("start"), detail.get("end")
    if kind not in KINDS:
        raise RedactionSetError(f"{where} has the kind {kind!r}; the kinds are {', '.join(KINDS)}.")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
        raise RedactionSetError(
            f"{where} has start {start!r} and end {end!r}, which are not a stretch of the "
            f"text's {len(text)} characters."
        )
    written = detail.get("text")
    if written is not None and text[start:end] != written:
        raise RedactionSetError(
            f"{where} says {written!r}, but characters {start} to {end} of the text are {text[start:end]!r}."
        )
    return LabelledDetail(kind=kind, start=start, end=end)


Redactor = Callable[[str], Sequence[Removed]]


def evaluate_redaction(
    texts: Iterable[LabelledText],
    *,
    redactor: Redactor | None = None,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """Precision and recall, per kind and for direct identifiers together, for each part
    of the set and for all of it: the figures of `engage insight redaction-evaluate`.

    `redactor` gives, for a text, the stretches its markers replaced; by default it is
    `textkit.redact.redact_with_spans` as of `today`. `missed` and `false_alarms` list
    what went wrong, for a person to read.
    """

    def ours(text: str) -> Sequence[Removed]:
        return redact_with_spans(text, today=today)[1]

    redact = redactor or ours
    by_part: dict[str, list[LabelledText]] = {}
    for labelled in texts:
        by_part.setdefault(labelled.part, []).append(labelled)
    figures: dict[str, Any] = {"parts": {}}
    everything = _Tally()
    for part in [name for name in PARTS if name in by_part]:
        tally = _Tally()
        for labelled in by_part[part]:
            removed = redact(labelled.text)
            tally.add(labelled, removed)
            everything.add(labelled, removed)
        figures["parts"][part] = tally.figures()
    figures["all"] = everything.figures()
    return figures


class _Tally:
    def __init__(self) -> None:
        self.texts = 0
        self.without_details = 0
        self.labelled: Counter[str] = Counter()
        self.found: Counter[str] = Counter()
        self.right_kind: Counter[str] = Counter()
        self.markers: Counter[str] = Counter()
        self.correct: Counter[str] = Counter()
        self.missed: list[str] = []
        self.false_alarms: list[str] = []

    def add(self, labelled: LabelledText, removed: Sequence[Removed]) -> None:
        self.texts += 1
        self.without_details += not labelled.details
        text = labelled.text
        # Which marker removed each character of the text: None for none.
        covered: list[str | None] = [None] * len(text)
        for stretch in removed:
            covered[stretch.start : stretch.end] = [stretch.kind] * (stretch.end - stretch.start)
        for detail in labelled.details:
            self.labelled[detail.kind] += 1
            removed_by = covered[detail.start : detail.end]
            if None not in removed_by:
                self.found[detail.kind] += 1
                if detail.kind in removed_by:
                    self.right_kind[detail.kind] += 1
            else:
                self.missed.append(
                    f"{labelled.id} {detail.kind} {text[detail.start : detail.end]!r} in {text!r}"
                )
        for stretch in removed:
            self.markers[stretch.kind] += 1
            if any(detail.start < stretch.end and stretch.start < detail.end for detail in labelled.details):
                self.correct[stretch.kind] += 1
            else:
                self.false_alarms.append(
                    f"{labelled.id} {stretch.kind} {text[stretch.start : stretch.end]!r} in {text!r}"
                )

    def figures(self) -> dict[str, Any]:
        kinds = [kind for kind in (*KINDS, *MARKERS) if self.labelled[kind] or self.markers[kind]]
        kinds = list(dict.fromkeys(kinds))
        return {
            "texts": self.texts,
            "texts_without_details": self.without_details,
            "per_kind": {kind: self._scores({kind}) for kind in kinds},
            "direct": self._scores(set(DIRECT_KINDS)),
            "missed": self.missed,
            "false_alarms": self.false_alarms,
        }

    def _scores(self, kinds: set[str]) -> dict[str, Any]:
        labelled = sum(self.labelled[kind] for kind in kinds)
        found = sum(self.found[kind] for kind in kinds)
        right = sum(self.right_kind[kind] for kind in kinds)
        markers = sum(self.markers[kind] for kind in kinds)
        correct = sum(self.correct[kind] for kind in kinds)
        return {
            "labelled": labelled,
            "found": found,
            "recall": round(found / labelled, 4) if labelled else None,
            "markers": markers,
            "correct": correct,
            "precision": round(correct / markers, 4) if markers else None,
            "right_kind": round(right / found, 4) if found else None,
        }
