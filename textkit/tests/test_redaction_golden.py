"""The redaction's output, frozen: work on its speed must not change what it finds.

Each text below is redacted and compared with what the redactor gave when the file beside
this module was written: the stretches of the text that `redact_with_spans` says its
markers replaced, with their kinds, and so, to the character, the redacted text; and the
counts. `redact` must give the same. The texts are every text of the labelled set (as
written, in capitals and in lower case), the planted and clean test cases (alone, and
joined as the timing in textkit/redact.py's docstring joins them), 3,000 comments from
the benchmarks' generator, and labelled texts run together, so that passes meet.

What the redactor gave is stored, not worked out from a frozen copy of the module: a
copy would repeat some 1,500 lines, run every text twice, and have to be changed with
every deliberate change to the redactor; a stored file shows in its diff what such a
change did. The texts are not stored (that would make the file ten times larger) but
made afresh from their sources; a digest of each source's texts says when a source has
changed, so that a changed source is not mistaken for a changed redaction.

After a deliberate change to what the redactor finds, or to a source, write the file
again and read its diff:

    .venv/bin/python -m textkit.tests.test_redaction_golden --write
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from textkit.redact import MARKERS, Redaction, Removed, redact, redact_with_spans
from textkit.redaction_evaluate import SHIPPED_SET, read_redaction_set
from textkit.tests.redaction_cases import TODAY, clean_cases, planted_cases

GOLDEN = Path(__file__).resolve().parent / "redaction_golden.jsonl"
FEEDBACK = Path(__file__).resolve().parents[2] / "bench" / "_feedback.py"
FEEDBACK_SEED = 20261206
FEEDBACK_COUNT = 3000
MIXED_SEED = 20261207
MIXED_COUNT = 1000


def _joined(texts: list[str]) -> list[str]:
    """The texts run together to 160 characters or more, as the docstring's timing does."""
    joined, text = [], ""
    for piece in texts:
        text = (text + " " + piece).strip()
        if len(text) >= 160:
            joined.append(text)
            text = ""
    return joined


def _feedback_comments() -> list[str]:
    """Comments from the benchmarks' generator (bench/_feedback.py), one in ten with a
    planted case after it, as bench/insight.py plants a detail in one in ten."""
    spec = importlib.util.spec_from_file_location("_golden_feedback", FEEDBACK)
    assert spec is not None
    assert spec.loader is not None
    feedback = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(feedback)
    rng = random.Random(FEEDBACK_SEED)
    planted = [case.text for case in planted_cases()]
    comments = []
    for number in range(FEEDBACK_COUNT):
        text = feedback.comment(rng)
        if number % 10 == 0:
            text = f"{text} {rng.choice(planted)}"
        comments.append(text)
    return comments


def _mixed(labelled: list[str]) -> list[str]:
    """Two to four labelled texts run together, some in capitals or lower case, with the
    gaps people leave between sentences and lines."""
    rng = random.Random(MIXED_SEED)
    gaps = [" ", "  ", "\n", ". ", ", ", " and ", "\n\n", "\t"]
    mixed = []
    for _ in range(MIXED_COUNT):
        pieces = []
        for text in rng.sample(labelled, rng.randint(2, 4)):
            roll = rng.random()
            pieces.append(text.upper() if roll < 0.1 else text.lower() if roll < 0.2 else text)
        mixed.append("".join(piece + rng.choice(gaps) for piece in pieces).strip())
    return mixed


def golden_texts() -> dict[str, list[str]]:
    """The texts, by where they come from, in a fixed order."""
    labelled = [text.text for text in read_redaction_set(SHIPPED_SET)]
    planted = [case.text for case in planted_cases()]
    clean = [case.text for case in clean_cases()]
    return {
        "labelled": labelled,
        "labelled in capitals": [text.upper() for text in labelled],
        "labelled in lower case": [text.lower() for text in labelled],
        "planted": planted,
        "clean": clean,
        "joined": _joined(planted + clean) + _joined(clean * 2),
        "feedback": _feedback_comments(),
        "mixed": _mixed(labelled),
    }


def _digest(texts: list[str]) -> str:
    return hashlib.blake2b("\0".join(texts).encode("utf-8"), digest_size=8).hexdigest()


def golden_line(text: str, result: Redaction, removed: tuple[Removed, ...]) -> Any:
    """What the redactor made of one text, as a line of the file: the stretches it
    replaced, each as [kind, start, end], and the counts only where they are not simply
    how many stretches of each kind there are (a marker swallowed by a later one still
    counts). The redacted text is the text with each stretch replaced by its marker, which
    is checked here for every text, and which test_redact.py's properties hold in general."""
    spans = [[span.kind, span.start, span.end] for span in removed]
    if _spliced(text, spans) != result.text:
        raise AssertionError(f"the stretches do not make the redacted text of {text!r}")
    if result.found == dict(Counter(span.kind for span in removed)):
        return spans
    return {"removed": spans, "found": result.found}


def _spliced(text: str, spans: list[list[Any]]) -> str:
    pieces, position = [], 0
    for kind, start, end in spans:
        pieces += [text[position:start], MARKERS[kind]]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _read_golden() -> dict[str, tuple[str, list[Any]]]:
    """Each source's digest and lines, from the file: a source's header line
    ({"source": ..., "texts": ..., "digest": ...}), then a line for each of its texts."""
    lines = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]
    sources: dict[str, tuple[str, list[Any]]] = {}
    position = 0
    while position < len(lines):
        header = lines[position]
        count = header["texts"]
        sources[header["source"]] = (header["digest"], lines[position + 1 : position + 1 + count])
        position += 1 + count
    return sources


def test_the_redaction_gives_exactly_what_it_gave_before() -> None:
    golden = _read_golden()
    sources = golden_texts()
    changed = [
        source for source, texts in sources.items() if golden.get(source, ("", []))[0] != _digest(texts)
    ]
    assert not changed, f"these sources hold other texts than when the file was written: {changed}"
    assert set(golden) == set(sources), "the file holds other sources: write it again"
    differences, total = [], 0
    for source, texts in sources.items():
        for text, want in zip(texts, golden[source][1], strict=True):
            total += 1
            result, removed = redact_with_spans(text, today=TODAY)
            got = golden_line(text, result, removed)
            plain = redact(text, today=TODAY)  # must agree with redact_with_spans
            spans = want if isinstance(want, list) else want["removed"]
            if got != want or plain != result:
                differences.append(
                    f"{source}: {text!r}\n  was {_spliced(text, spans)!r} {json.dumps(want)}"
                    f"\n  now {plain.text!r} {json.dumps(got)}"
                )
    assert not differences, f"{len(differences)} of {total} texts redacted differently:\n" + "\n".join(
        differences[:10]
    )


def write() -> None:
    lines = []
    for source, texts in golden_texts().items():
        lines.append(json.dumps({"source": source, "texts": len(texts), "digest": _digest(texts)}))
        lines += [
            json.dumps(golden_line(text, *redact_with_spans(text, today=TODAY)), separators=(",", ":"))
            for text in texts
        ]
    GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {len(lines)} lines to {GOLDEN}\n")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        raise SystemExit(__doc__)
    write()
