"""Small text helpers shared by the models: the same normalising for training and use."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s']")
_MARKER = re.compile(r"\[(?:[a-z]+ ?){1,3}\]")


def normalise_for_model(text: str) -> str:
    """Lower case, accents folded, redaction markers kept as one token, spacing evened."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _MARKER.sub(lambda match: " " + match[0][1:-1].replace(" ", "_") + " ", text)
    return _SPACE.sub(" ", text).strip()


def normalise_for_grouping(text: str) -> str:
    """The text as two copies of it would agree: case, punctuation and spacing ignored.
    Used to keep identical comments ("Did not answer", "Nothing.") in one fold."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", _NOT_WORD.sub(" ", text)).strip()
