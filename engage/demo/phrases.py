"""The phrase banks the demo's comments are written from, read once from data/phrases.toml.

What people say is data, written and reviewed by someone who knows how feedback reads;
how a comment is put together from it is code (conversations.py, the Writer). Keeping
them apart means a phrase is changed in the TOML file without touching the writer, and
the writer is short enough to read.

Every bank is a tuple in the file's order: the writer draws from them by position with
the seeded random generator, so one seed writes the same comments for as long as the
file is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from engage.demo.datafiles import Table, data_file


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    # How a call note or an event note names the subject.
    topic: str
    # Words every comment on the theme is likely to hold; the tests look for them.
    words: tuple[str, ...]
    good: tuple[str, ...]
    bad: tuple[str, ...]
    better: tuple[str, ...]


def _theme(table: Table) -> Theme:
    return Theme(
        table.text("key"),
        table.text("name"),
        table.text("topic"),
        table.texts("words"),
        good=table.texts("good"),
        bad=table.texts("bad"),
        better=table.texts("better"),
    )


_FILE = data_file("phrases")

# --- Themes ----------------------------------------------------------------------------

# The services' themes, drawn at random by each setting's weights.
THEMES: tuple[Theme, ...] = tuple(_theme(table) for table in _FILE.tables("themes"))
# What people say at the Big Conversation: their health is made mostly outside services.
WIDER = _theme(_FILE.table("wider"))


# How likely each theme is in each setting (the others weigh 1).
def _weights(table: Table) -> dict[str, int]:
    return {key: table.integer(key) for key in table.names()}


_WEIGHTS = _FILE.table("setting_theme_weights")
SETTING_THEME_WEIGHTS: dict[str, dict[str, int]] = {
    setting: _weights(_WEIGHTS.table(setting)) for setting in _WEIGHTS.names()
}

# --- Questions ---------------------------------------------------------------------------

_QUESTIONS = _FILE.table("questions")
FFT_EXPERIENCE_QUESTION = _QUESTIONS.text("fft_experience")
FFT_IMPROVE_QUESTION = _QUESTIONS.text("fft_improve")
HEALTHWATCH_QUESTION = _QUESTIONS.text("healthwatch")
BIG_CONVERSATION_QUESTION = _QUESTIONS.text("big_conversation")
WEB_FORM_QUESTION = _QUESTIONS.text("web_form")
ANYTHING_ELSE_QUESTION = _QUESTIONS.text("anything_else")

# --- Slot fillers ------------------------------------------------------------------------

_SLOTS = _FILE.table("slots")
STAFF = _SLOTS.text_lists("staff")
DOCTORS = _SLOTS.text_lists("doctors")
PLACES = _SLOTS.text_lists("places")
LONG_WAITS = _SLOTS.texts("long_waits")
SHORT_WAITS = _SLOTS.texts("short_waits")
LONG_PERIODS = _SLOTS.texts("long_periods")
ELDERS = _SLOTS.texts("elders")
CHILDREN = _SLOTS.texts("children")
RELATIVES = _SLOTS.texts("relatives")
VERY = _SLOTS.texts("very")
GOOD_WORDS = _SLOTS.texts("good_words")
MONTHS = _SLOTS.texts("months")

# --- Whole sayings -------------------------------------------------------------------------

_SAYINGS = _FILE.table("sayings")
VISITS = _SAYINGS.text_lists("visits")
OPENERS_GOOD = _SAYINGS.texts("openers_good")
OPENERS_BAD = _SAYINGS.texts("openers_bad")
CLOSERS_GOOD = _SAYINGS.texts("closers_good")
CLOSERS_BAD = _SAYINGS.texts("closers_bad")
CLOSERS_MIXED = _SAYINGS.texts("closers_mixed")
SHORT_GOOD = _SAYINGS.texts("short_good")
SHORT_BAD = _SAYINGS.texts("short_bad")
NON_ANSWERS = _SAYINGS.texts("non_answers")
NEUTRAL = _SAYINGS.texts("neutral")
NOTHING_TO_IMPROVE = _SAYINGS.texts("nothing_to_improve")
NOTHING_ELSE = _SAYINGS.texts("nothing_else")
NOTHING_BUT = _SAYINGS.texts("nothing_but")
OTHERWISE = _SAYINGS.texts("otherwise")
SMALL_THINGS = _SAYINGS.texts("small_things")
BECAUSE = _SAYINGS.texts("because")
SUGGESTION_FORMS = _SAYINGS.texts("suggestion_forms")
MIXED_JOINS = _SAYINGS.texts("mixed_joins")
KEEP_CAPITAL = frozenset(_SAYINGS.texts("keep_capital"))

# Common slips, each replacing the first word it finds.
TYPOS = _SAYINGS.text_pairs("typos")

# --- People's details, as they turn up in feedback ----------------------------------------

_DETAILS = _FILE.table("details")
STAFF_NAME_BAD = _DETAILS.texts("staff_name_bad")
STAFF_NAME_GOOD = _DETAILS.texts("staff_name_good")
PHONE_DETAILS = _DETAILS.texts("phone")
EMAIL_DETAILS = _DETAILS.texts("email")
POSTCODE_DETAILS = _DETAILS.texts("postcode")
DATE_OF_BIRTH_DETAILS = _DETAILS.texts("date_of_birth")
NHS_NUMBER_DETAILS = _DETAILS.texts("nhs_number")

# --- How a comment reaches the bank ---------------------------------------------------------

_CHANNELS = _FILE.table("channels")
EVENT_SPEAKERS = _CHANNELS.texts("event_speakers")
CALLERS = _CHANNELS.texts("callers")
HASHTAGS = _CHANNELS.texts("hashtags")
SHOUTS = _CHANNELS.texts("shouts")
COMPLAINTS = _CHANNELS.texts("complaints")
_WHY_CALLED = _CHANNELS.table("why_called")
WHY_CALLED: dict[str, str] = {sentiment: _WHY_CALLED.text(sentiment) for sentiment in _WHY_CALLED.names()}
