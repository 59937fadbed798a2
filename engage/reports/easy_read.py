"""A first draft of a report's Easy Read version, by rules, for staff to edit: the
section's narrative cut into short sentences (one idea a line), jargon swapped for the
partnership's plainer words, the section's headline figures as sentences of their own,
numbers and the word that chose the picture in bold, and a picture beside each point.

The rules follow the usual Easy Read guidance (the Department of Health's "Making
written information easier to understand", 2010): short sentences, one idea a line,
a picture to the left of each point, key words in bold, large type (the templates set
16 pt, above the 14 pt floor).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from engage.core.disclosure import SUPPRESSED
from engage.reports.pictograms import BY_NAME, picture_for
from engage.reports.plain_english import _jargon_pattern, sentences, word_count

# A figure hidden by disclosure control, or with nothing to work it out from, said in words.
HIDDEN = frozenset({SUPPRESSED, "\N{EN DASH}"})
TOO_FEW = "too few to show"
POINTS_PER_SECTION = 6
FIGURES_PER_SECTION = 3
SHORT = 15  # words: a sentence longer than this is cut where it can be
_CUTS = re.compile(r";\s+|,\s+(?=(?:and|but|because|so|which|who)\b)|\s+-\s+")
_NUMBER = re.compile(r"(?<![\w*])(£?\d+(?:[.,]\d+)*%?)(?![\w*])")


@dataclass(frozen=True)
class DraftPoint:
    section_key: str
    text: str
    picture: str


def _plain(text: str, jargon: Iterable[tuple[str, str]]) -> str:
    """Each piece of jargon swapped for its plain words, a capital kept where it had one."""
    for term, plain in jargon:
        text = _jargon_pattern(term).sub(_swap(plain), text)
    return text


def _swap(plain: str) -> Callable[[re.Match[str]], str]:
    def swapped(match: re.Match[str]) -> str:
        return plain[:1].upper() + plain[1:] if match.group(0)[:1].isupper() else plain

    return swapped


def _short(sentence: str) -> list[str]:
    """A long sentence cut at a semicolon, a dash or a comma before a joining word."""
    if word_count(sentence) <= SHORT:
        return [sentence]
    parts = [p.strip(" ,;") for p in _CUTS.split(sentence) if p and p.strip(" ,;")]
    shaped = []
    for part in parts:
        words = re.sub(r"^(and|but|so)\s+", "", part, flags=re.IGNORECASE)
        words = words[0].upper() + words[1:]
        shaped.append(words if words.endswith((".", "!", "?")) else words + ".")
    return shaped


def _bold(text: str, picture: str) -> str:
    text = _NUMBER.sub(r"**\1**", text)
    for word in BY_NAME[picture].words if picture in BY_NAME else ():
        pattern = re.compile(rf"(?<![\w*])({re.escape(word)})(?![\w*])", re.IGNORECASE)
        if pattern.search(text):
            return pattern.sub(r"**\1**", text, count=1)
    return text


def _point(section_key: str, text: str) -> DraftPoint:
    picture = picture_for(text, section_key=section_key)
    return DraftPoint(section_key=section_key, text=_bold(text, picture), picture=picture)


def draft_points(sections: list[dict[str, Any]], jargon: Iterable[tuple[str, str]]) -> list[DraftPoint]:
    """`sections`: each {"key", "narrative", "blocks"} as the report shows them."""
    terms = list(jargon)
    points: list[DraftPoint] = []
    for section in sections:
        key = section["key"]
        mine: list[DraftPoint] = []
        for sentence in sentences(_plain(section["narrative"], terms)):
            mine.extend(_point(key, short) for short in _short(sentence))
        figures = next((b for b in section["blocks"] if b["type"] == "figures"), None)
        for item in (figures or {"items": []})["items"][:FIGURES_PER_SECTION]:
            value = TOO_FEW if item["value"] in HIDDEN else item["value"]
            mine.append(_point(key, f"{_plain(item['label'], terms)}: {value}."))
        points.extend(mine[:POINTS_PER_SECTION])
    return points
