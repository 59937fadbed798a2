"""Staff words the public will read (a decision's title, summary, reason and note, an
Easy Read summary) are read by the redactor before they are saved: what looks like a
personal detail is shown to the author, who changes it or says it is not one."""

from __future__ import annotations

from collections.abc import Mapping

from engage.core.errors import InvalidInput
from textkit.redact import MARKERS, redact

CHECKED_FIELD = "details_checked"
_WORDS = {kind: marker.strip("[]") for kind, marker in MARKERS.items()}


def _kinds(found: Mapping[str, int]) -> str:
    names = [_WORDS.get(kind, kind.replace("_", " ")) for kind in found]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def published_words_check(texts: Mapping[str, str], *, checked: bool) -> None:
    """Raise InvalidInput naming each field that seems to hold a personal detail, and
    CHECKED_FIELD for the author to confirm, unless they have (`checked`)."""
    if checked:
        return
    problems = {}
    for field, text in texts.items():
        found = redact(text).found if text.strip() else {}
        if found:
            problems[field] = (
                f"This looks as if it holds personal details (a {_kinds(found)}), and the public will read it. "
                "Take them out, or say below that you have checked."
            )
    if problems:
        problems[CHECKED_FIELD] = (
            "Tick this only if you have checked: what was found is not anyone's personal details "
            "(such as the name of a board or of a member of staff speaking for it)."
        )
        raise InvalidInput(problems)
