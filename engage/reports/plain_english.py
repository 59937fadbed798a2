"""How easy a report's words are to read: the Flesch reading ease and a reading age from
textstat (a well-kept library; held at a release that needs nothing from the internet),
sentences longer than LONG_SENTENCE words, and the partnership's list of jargon with the
plainer words to use instead. Shown beside every section while it is edited.

A reading age is the US school grade of the Flesch-Kincaid formula plus five, the usual
conversion in England (grade 6 is age 11, the goal for public reports).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import textstat
from markupsafe import Markup, escape

LONG_SENTENCE = 25
PUBLIC_READING_AGE = 11
GRADE_TO_AGE = 5
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
_WORDS = re.compile(r"[A-Za-z0-9£%'\u2019-]+")


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    reading_ease: float | None  # 0 to 100: 60 and over is plain English
    reading_age: int | None
    long_sentences: list[str]
    jargon: list[tuple[str, str]]  # (the word used, the plainer one)

    @property
    def ease_words(self) -> str:
        if self.reading_ease is None:
            return "Too short to score"
        if self.reading_ease >= 70:
            return "Easy to read"
        if self.reading_ease >= 60:
            return "Plain English"
        if self.reading_ease >= 50:
            return "Fairly hard to read"
        return "Hard to read"

    def meets(self, goal: int = PUBLIC_READING_AGE) -> bool:
        return self.reading_age is not None and self.reading_age <= goal


def sentences(text: str) -> list[str]:
    found: list[str] = []
    for paragraph in text.splitlines():
        found.extend(part.strip() for part in _SENTENCE_END.split(paragraph.strip()) if part.strip())
    return found


def word_count(text: str) -> int:
    return len(_WORDS.findall(text))


def _jargon_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE)


def jargon_found(text: str, jargon: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(term, plain) for term, plain in jargon if _jargon_pattern(term).search(text)]


def readability(text: str, jargon: Iterable[tuple[str, str]] = ()) -> Readability:
    found = sentences(text)
    words = word_count(text)
    scored = words >= 10
    grade = textstat.flesch_kincaid_grade(text) if scored else None
    return Readability(
        words=words,
        sentences=len(found),
        # The formula runs past 0 and 100 for very hard or very easy words: shown within them.
        reading_ease=min(100.0, max(0.0, round(textstat.flesch_reading_ease(text), 1))) if scored else None,
        reading_age=max(5, round(grade) + GRADE_TO_AGE) if grade is not None else None,
        long_sentences=[s for s in found if word_count(s) > LONG_SENTENCE],
        jargon=jargon_found(text, jargon),
    )


def _jargon_mark(plain: str) -> Callable[[re.Match[str]], str]:
    def mark(match: re.Match[str]) -> str:
        return (
            f'<mark class="engage-jargon">{match.group(0)}'
            f'<span class="nhsuk-u-visually-hidden"> (jargon: try “{escape(plain)}”)</span></mark>'
            f'<span class="engage-plain" aria-hidden="true"> (try “{escape(plain)}”)</span>'
        )

    return mark


def marked(text: str, jargon: Iterable[tuple[str, str]]) -> Markup:
    """The text as HTML, each long sentence and each piece of jargon marked, the plainer
    word in the mark's title and after it in brackets, for a screen reader too."""
    terms = list(jargon)
    paragraphs = []
    for paragraph in text.splitlines():
        if not paragraph.strip():
            continue
        pieces = []
        for sentence in _SENTENCE_END.split(paragraph.strip()):
            html = str(escape(sentence))
            for term, plain in terms:
                html = _jargon_pattern(str(escape(term))).sub(_jargon_mark(plain), html)
            if word_count(sentence) > LONG_SENTENCE:
                html = (
                    f'<mark class="engage-long">{html}<span class="nhsuk-u-visually-hidden"> '
                    f"(long sentence: {word_count(sentence)} words)</span></mark>"
                )
            pieces.append(html)
        paragraphs.append("<p>" + " ".join(pieces) + "</p>")
    return Markup("".join(paragraphs))  # noqa: S704 - built from escaped text
