"""People's labels on the demo's conversations: which were reviewed, and how.

A partnership that has used the software a while has had someone label a few per cent
of its bank by hand, and that is what the insight pages and the model learn from. The
demo does the same for a sample of its conversations, as if its analyst had reviewed
them: each gets the sub-categories of the built-in framework that the themes it was
written from stand for, and the sentiment it was written with.

The sample is drawn from a random.Random of its own after the bank is written, so the
texts never change with it. It is spread across channels, organisations and themes: a
first pass takes conversations in a shuffled order while any channel, organisation or
theme is short of its share, then the rest are taken in the same order until the
sample is full.

Pure Python, like the writer: the generator turns the choice into rows.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from engage.demo.conversations import Sentiment

# What the analyst labels each theme as: sub-categories of the built-in framework
# (engage/insight/framework/files/patient_experience_v7.toml), the first the closest.
THEME_SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    "staff_manner": ("Staff manner & personal attributes",),
    "waiting": ("Timeliness of care",),
    "appointments": ("Appointment arrangements", "Contacting services"),
    "communication": (
        "Staff listening, understanding & involving patients",
        "Information directly from staff during care",
    ),
    "information": ("Information provision & guidance",),
    "environment": ("Cleanliness, tidiness & infection control", "Environment, facilities & equipment"),
    "parking_transport": ("Parking", "Transport to/ from services"),
    "food": ("Food & drink provision & facilities",),
    "medication": ("Supplying & understanding medication",),
    "discharge": ("Discharge",),
    "continuity": ("Continuity of care",),
    # The framework has no sub-category for mental health services as such (only the
    # Mental Health Act); most of what the demo's people say is waits for therapy, a
    # crisis line that does not answer, or no service at all.
    "mental_health": ("Timeliness of care",),
    # Interpreters, hearing loops, lifts, heavy doors and quiet rooms.
    "access": ("Environment, facilities & equipment", "Information directly from staff during care"),
    "carers": ("Interaction with family/ carers",),
    "compassion": ("Compassion",),
    "empathy": ("Empathy",),
    "respect": ("Respect",),
    "dignity": ("Dignity",),
    # Housing, buses and the cost of living: outside what the framework sorts.
    "wider": ("Not assigned",),
}
# A comment on no theme.
GIST_SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    "non_answer": ("Labelling not possible",),
    "praise": ("Positive experience & gratitude",),
    "other": ("Not assigned",),
}
SUBCATEGORIES: dict[str, tuple[str, ...]] = {**THEME_SUBCATEGORIES, **GIST_SUBCATEGORIES}
# Where a theme stands for two sub-categories, the analyst gives the one (or both) whose
# words the comment uses, as a person would, and the closest where it uses neither:
# "Rang 30 times" is contacting services, "cancelled twice" is appointment arrangements.
# Giving both to every comment made the two themes' figures identical.
CUE_WORDS: dict[str, tuple[str, ...]] = {
    "Contacting services": ("phone", "rang", "ring", "call", "hold", "got through", "online form", "queue"),
    "Appointment arrangements": ("appointment", "book", "cancel", "letter", "face to face", "evening"),
    "Staff listening, understanding & involving patients": ("listen", "involv", "understand", "heard", "ask"),
    "Information directly from staff during care": (
        "explain",
        "told",
        "tell",
        "inform",
        "update",
        "interpret",
    ),
    "Cleanliness, tidiness & infection control": (
        "clean",
        "dirty",
        "filthy",
        "toilet",
        "bin",
        "sticky",
        "tidy",
    ),
    "Environment, facilities & equipment": (
        "building",
        "chair",
        "heating",
        "cold",
        "water",
        "noisy",
        "quiet",
        "play",
        "paint",
        "sit",
        "comfortable",
        "lift",
        "door",
        "ramp",
        "wheelchair",
        "loop",
    ),
    "Parking": ("park",),
    "Transport to/ from services": ("bus", "transport", "taxi", "train", "travel", "drive", "lift to"),
}
# The demo's four sentiments on the review's three points ("neutral or mixed").
REVIEW_SENTIMENT: dict[Sentiment, str] = {
    "positive": "positive",
    "mixed": "neutral",
    "neutral": "neutral",
    "negative": "negative",
}

# About 1,500 of the full bank of 52,000, and enough of a small bank for the model to
# learn categories from (it needs 20).
LABELLED_SHARE = 0.029
LABELLED_LEAST = 60
# The first pass's floors, as shares of the sample: each channel, organisation and
# theme (or gist) gets at least this many, where the bank has them.
CHANNEL_FLOOR = 1 / 30
ORGANISATION_FLOOR = 1 / 300
THEME_FLOOR = 1 / 40


class Said(NamedTuple):
    """One conversation of the bank, as far as labelling it goes."""

    organisation_id: int
    channel: str
    sentiment: Sentiment
    # The keys of the themes it was written from, or else its gist alone.
    keys: tuple[str, ...]
    # What it says, for the words that tell a theme's two sub-categories apart.
    text: str = ""


def subcategories_of(keys: Iterable[str], text: str = "") -> list[str]:
    """The sub-categories a person gives a comment written from these themes (or gist):
    of a theme's two, those whose words `text` uses (CUE_WORDS), else the closest."""
    said = text.lower()
    names: list[str] = []
    for key in keys:
        choices = SUBCATEGORIES[key]
        cued = [name for name in choices if any(cue in said for cue in CUE_WORDS.get(name, ()))]
        for name in cued if len(choices) > 1 and cued else choices[:1] if len(choices) > 1 else choices:
            if name not in names:
                names.append(name)
    return names


def labelled_count(total: int) -> int:
    """How many of a bank of `total` conversations the demo's analyst has labelled."""
    return min(total, max(LABELLED_LEAST, round(total * LABELLED_SHARE)))


def choose(said: Sequence[Said], rng: random.Random) -> list[int]:
    """The indices in `said` of the conversations to label, in bank order."""
    wanted = labelled_count(len(said))
    order = list(range(len(said)))
    rng.shuffle(order)
    floors = (
        max(1, round(wanted * CHANNEL_FLOOR)),
        max(1, round(wanted * ORGANISATION_FLOOR)),
        max(1, round(wanted * THEME_FLOOR)),
    )
    channels: Counter[str] = Counter()
    organisations: Counter[int] = Counter()
    themes: Counter[str] = Counter()
    chosen: set[int] = set()

    def take(index: int) -> None:
        one = said[index]
        chosen.add(index)
        channels[one.channel] += 1
        organisations[one.organisation_id] += 1
        themes.update(one.keys)

    for index in order:
        if len(chosen) >= wanted:
            break
        one = said[index]
        if (
            channels[one.channel] < floors[0]
            or organisations[one.organisation_id] < floors[1]
            or any(themes[key] < floors[2] for key in one.keys)
        ):
            take(index)
    for index in order:
        if len(chosen) >= wanted:
            break
        if index not in chosen:
            take(index)
    return sorted(chosen)
