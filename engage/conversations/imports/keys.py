"""The stable key that makes re-importing a row add nothing.

The key is the same for the same row whichever organisation imports it and whichever
file it comes in: the respondent reference and question where the source gives a
reference (a person answers a question once), otherwise the comment itself with its
question, date and channel. Text is compared with its case and spacing evened out, so a
re-export that trims spaces or changes line endings still matches.

A consequence to know: without a respondent reference, two people who wrote exactly
the same words to the same question on the same day through the same channel count as
one (for short answers such as "Very good" this happens). Sources with a respondent
reference do not have this problem.
"""

from __future__ import annotations

import hashlib
import uuid

_SEPARATOR = "\x1f"


def _even(text: str) -> str:
    return " ".join(text.split()).casefold()


def dedupe_key(
    *, text: str, question: str, occurred_on: str, channel: str, respondent_reference: str = ""
) -> str:
    """sha256 hex of the row's identity; `occurred_on` is the date as the source gave
    it (ISO), or "" where it gave none."""
    if respondent_reference.strip():
        parts = ["ref", _even(respondent_reference), _even(question)]
    else:
        parts = ["text", _even(text), _even(question), occurred_on, channel]
    return hashlib.sha256(_SEPARATOR.join(parts).encode("utf-8")).hexdigest()


def unique_key() -> str:
    """A key for a conversation recorded by hand: never a duplicate of another."""
    return hashlib.sha256(("hand" + _SEPARATOR + uuid.uuid4().hex).encode("ascii")).hexdigest()
