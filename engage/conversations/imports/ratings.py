"""Ratings on one scale, and the check that a file's ratings are read the right way round.

Files rate on many scales: the Friends and Family Test from 1 (very good) to 5 (very
poor), other surveys from 1 to 5 or 0 to 10 with the highest the best. The bank keeps
every rating on one scale, the Friends and Family Test's: 1 very good, 2 good, 3
neither good nor poor, 4 poor, 5 very poor. It is what the insight models learn from
(textkit/sentiment.py `from_rating`, textkit/classify.py) and what staff record by hand.
A file's rating is converted as it is imported, from its own range and from which end
of it is best; the import keeps both, for its report (ADR 0040).

The conversion is a straight line from the file's best end (stored 1) to its worst
(stored 5), rounded to the nearest point; a value exactly between two points goes to
the one nearer the middle, so the same rating reads the same whichever end is best.
On 0 to 10: 10 and 9 very good, 8 and 7 good, 6 to 4 neither, 3 and 2 poor, 1 and 0
very poor.

Which end is best is easy to get wrong, and wrong turns every sentiment inside out. So
each import compares the words of its comments with their ratings (`RatingCheck`): a
comment whose words are clearly positive (textkit's word list) should rarely carry a
poor rating. Where, across the file, at least twice as many clear comments disagree
with their rating as agree with it, the ratings read better the other way round, and
nothing lands until a person has looked at examples and said which end is best.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engage.conversations.models import RATING_WORDS
from textkit.sentiment import NEGATIVE, POSITIVE, lexicon_sentiment

LOWEST = "lowest"
HIGHEST = "highest"
BEST_ENDS = (LOWEST, HIGHEST)
# The scale the bank keeps (the Friends and Family Test's), best first.
STORED_SCALE = (1, 5)
STORED_WORDS = RATING_WORDS
# What a file's ratings are taken to be where nothing says otherwise: the Friends and
# Family Test's order, which every import assumed before it asked.
DEFAULT_SCALE = (1, 5)
DEFAULT_BEST = LOWEST

# A file whose ratings look upside down: among the comments whose words are clearly
# positive or clearly negative, at least this share disagree with their rating...
UPSIDE_DOWN_SHARE = 2 / 3
# ...and at least this many such comments were seen (fewer say too little).
MIN_CLEAR_COMMENTS = 10
# Examples kept of each kind of disagreement, and how much of each comment.
EXAMPLES_EACH = 3
EXAMPLE_CHARS = 200
# The words of at most this many rated rows are read, spread evenly over the file: the
# share is then known to within a percentage point or so, and a large import pays for
# the check only on these rows.
CHECK_ROWS = 20_000


@dataclass(frozen=True)
class RatingScale:
    """A file's rating scale: its range and which end is best."""

    low: int = DEFAULT_SCALE[0]
    high: int = DEFAULT_SCALE[1]
    best: str = DEFAULT_BEST

    @classmethod
    def from_defaults(cls, defaults: Mapping[str, Any]) -> RatingScale:
        """The scale an import's or a template's defaults give (`rating_scale`,
        `rating_best`); the Friends and Family Test's where they say nothing."""
        low, high = defaults.get("rating_scale") or DEFAULT_SCALE
        return cls(low=int(low), high=int(high), best=str(defaults.get("rating_best") or DEFAULT_BEST))

    @property
    def best_value(self) -> int:
        return self.low if self.best == LOWEST else self.high

    @property
    def worst_value(self) -> int:
        return self.high if self.best == LOWEST else self.low

    def flipped(self) -> RatingScale:
        return RatingScale(low=self.low, high=self.high, best=HIGHEST if self.best == LOWEST else LOWEST)

    def stored(self, value: int) -> int:
        """The rating on the bank's scale (1 very good ... 5 very poor); `value` is on
        this scale (checked by the caller)."""
        span = self.high - self.low
        from_best = value - self.low if self.best == LOWEST else self.high - value
        steps, remainder = divmod(4 * from_best, span)
        if 2 * remainder > span or (2 * remainder == span and steps < 2):
            steps += 1  # to the nearest point; exactly between, towards the middle
        return STORED_SCALE[0] + steps

    def describe(self) -> str:
        """Such as "1 to 5, where 5 is the best"."""
        return f"{self.low} to {self.high}, where {self.best_value} is the best"

    def given(self, value: int) -> str:
        """A rating as the file gives it, such as "5 of 5, the best"."""
        if value == self.best_value:
            return f"{value} of {self.high}, the best"
        if value == self.worst_value:
            return f"{value} of {self.high}, the worst"
        return f"{value} of {self.high}"


def stored_words(stored: int | None) -> str:
    """A stored rating in words, such as "very good"; "" for none."""
    return STORED_WORDS.get(stored, "") if stored is not None else ""


def read_as(stored: int | None) -> str:
    """A stored rating as a person reads it, such as "Very good (1 of the bank's 1 to 5)"."""
    if stored is None:
        return "No rating"
    return f"{stored_words(stored).capitalize()} ({stored})"


@dataclass
class RatingExample:
    line: int
    text: str
    given: str  # the cell as the file has it
    stored: int

    @property
    def read_as(self) -> str:
        return read_as(self.stored)

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "given": self.given, "stored": self.stored}


@dataclass
class RatingCheck:
    """How a file's comments agree with their ratings (on the bank's scale), counted row
    by row as they are read; see the module's notes."""

    positive_good: int = 0  # clearly positive words, rating good or very good
    positive_poor: int = 0  # clearly positive words, rating poor or very poor
    negative_good: int = 0
    negative_poor: int = 0
    rows_read: int = 0  # rated rows whose words were read
    praise_rated_poor: list[RatingExample] = field(default_factory=list)
    complaints_rated_good: list[RatingExample] = field(default_factory=list)

    def add(self, *, line: int, text: str, given: str, stored: int) -> None:
        self.rows_read += 1
        if stored == 3:
            return
        feeling = lexicon_sentiment(text)
        good = stored < 3
        if feeling == POSITIVE:
            if good:
                self.positive_good += 1
                return
            self.positive_poor += 1
            examples = self.praise_rated_poor
        elif feeling == NEGATIVE:
            if not good:
                self.negative_poor += 1
                return
            self.negative_good += 1
            examples = self.complaints_rated_good
        else:
            return
        if len(examples) < EXAMPLES_EACH:
            short = text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…"
            examples.append(RatingExample(line=line, text=short, given=given.strip()[:40], stored=stored))

    @property
    def agree(self) -> int:
        return self.positive_good + self.negative_poor

    @property
    def disagree(self) -> int:
        return self.positive_poor + self.negative_good

    @property
    def upside_down(self) -> bool:
        """Whether the ratings read much better the other way round."""
        clear = self.agree + self.disagree
        return clear >= MIN_CLEAR_COMMENTS and self.disagree >= UPSIDE_DOWN_SHARE * clear

    def examples(self) -> list[RatingExample]:
        return [*self.praise_rated_poor, *self.complaints_rated_good]

    def summary(self) -> str:
        """What was found, in a sentence or two."""
        parts = []
        if self.positive_good + self.positive_poor:
            parts.append(
                f"{self.positive_poor:,} of the {self.positive_good + self.positive_poor:,} comments "
                "whose words are clearly positive would be read as poor or very poor"
            )
        if self.negative_good + self.negative_poor:
            parts.append(
                f"{self.negative_good:,} of the {self.negative_good + self.negative_poor:,} clearly "
                "negative ones as good or very good"
            )
        if not parts:
            return "No comment's words were clearly positive or negative."
        return "; ".join(parts) + "."

    def as_json(self) -> dict[str, Any]:
        return {
            "positive_good": self.positive_good,
            "positive_poor": self.positive_poor,
            "negative_good": self.negative_good,
            "negative_poor": self.negative_poor,
            "rows_read": self.rows_read,
            "praise_rated_poor": [e.as_json() for e in self.praise_rated_poor],
            "complaints_rated_good": [e.as_json() for e in self.complaints_rated_good],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> RatingCheck:
        data = data or {}

        def examples(key: str) -> list[RatingExample]:
            return [
                RatingExample(
                    line=int(e.get("line", 0)),
                    text=str(e.get("text", "")),
                    given=str(e.get("given", "")),
                    stored=int(e.get("stored", 3)),
                )
                for e in data.get(key) or []
                if isinstance(e, dict)
            ]

        return cls(
            positive_good=int(data.get("positive_good", 0)),
            positive_poor=int(data.get("positive_poor", 0)),
            negative_good=int(data.get("negative_good", 0)),
            negative_poor=int(data.get("negative_poor", 0)),
            rows_read=int(data.get("rows_read", 0)),
            praise_rated_poor=examples("praise_rated_poor"),
            complaints_rated_good=examples("complaints_rated_good"),
        )


def check_every(rows_expected: int) -> int:
    """Read the words of every n-th rated row, so about CHECK_ROWS of them are read."""
    return max(1, -(-rows_expected // CHECK_ROWS))
