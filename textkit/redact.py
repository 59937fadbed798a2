"""Remove personal details from free-text feedback before it leaves the organisation that
collected it.

People write names, addresses, NHS, hospital and National Insurance numbers, phone numbers,
email addresses, social media handles, postcodes, dates of birth and web addresses into
comment boxes, often without meaning to. Before a comment is shown to a partner or
published, each such detail is replaced by a marker in square brackets, such as
"[phone number]", so that a reader can still follow the comment but cannot identify anyone
from it.

The redaction is deliberately cautious about structured details (a valid NHS number, a
phone number in a recognised layout, a full postcode, a house number with its street) and
pragmatic about names, which can only be spotted by their shape and their place: a title
("Dr Patel"), an introduction ("my name is ..."), a listed first name or surname (about
7,700, textkit/data/README.md), or what the sentence says about the word ("my son Alfie",
"Regards, Ann", "Thanks to Kofi", "Ffion from the diabetes team", "Sarah, Tom and Priya").
It will miss some names and it will sometimes remove a word that was not a name; a person
should still read anything that is to be published. `engage insight redaction-evaluate`
measures how often, on a labelled set (textkit/redaction_evaluate.py).

The order of the passes matters, because one kind of detail can contain another:

1. email addresses, spelt out ("jane dot doe at gmail dot com") or not, because their
   domain would otherwise look like a web address and their local part often holds a name;
2. web addresses, because a path can hold numbers and names; then social media handles
   ("@jane_doe99"), once the "@" of addresses and the paths of web addresses are gone;
3. NHS numbers, before phone numbers, because ten digits that pass the modulus 11 check
   (or follow "NHS no") are an NHS number even where they could be read as a phone
   number; then National Insurance numbers;
4. dates of birth, before phone numbers, so that digits in a date are never read as part
   of a number;
5. phone numbers, then hospital numbers (six digits or more after a cue such as "MRN", or
   in a trust's shape, "RXK1234567"), which would otherwise take a phone number's digits;
6. postcodes, then addresses, so that "12 Acacia Avenue, DY1 1HF" is two details;
7. names, last, so that the earlier markers break up runs of capitalised words.

Redacting a redacted text changes nothing. Each marker is in square brackets, which no
pattern matches, and every pattern treats a bracket as it would a letter next to a detail,
so a marker leaves the text around it exactly as it found it for the passes that follow.
The one exception is deliberate: a capitalised word in a list with a "[name]" ("[name],
Eleni and Beatriz") is a name, and that pass runs until it adds no more, so a second
redaction finds nothing left to add. A property-based test holds the module to this.

Most of the time goes in looking through the text, so each pass is tried only where a
quick look finds what it cannot match without: a digit, an "@", a title, a cue such as
"my ", a full stop near the end. A quick look must hold wherever its pass could change
the text: change a pattern, and check its look. The looks are, quickest first: a look for
a character or a word with `in`, a plain search through memory; a pattern that starts
with one given character, which the engine skips to (numbers are looked for in the text
with each digit written "0", see _Zeros); and, for the few patterns that the engine
would otherwise try at every character, trying the pattern only where a match may start
(`_sub`'s `at`). A pattern that starts with one of a set of characters is slower, and one
that starts with a look-behind or "\\b" slower still, so the patterns start with a
character where they can (see "A note on speed" below). A loop in Python that finds
places is slower than a search that the engine can skip through: time a change, rather
than count what it does. textkit/tests/test_redaction_golden.py holds what the redactor
finds in 6,748 texts, so that work on its speed cannot change that unnoticed.

Speed, on one core of the development machine (2 cores, Python 3.11.7, 2026-12-06, quiet
at the time; the module before step 9, step 9's as merged and this one timed in turn in
the same run, best of six): about 21,000 comments a second of about 230 characters, over
the planted and clean test comments joined into comments of that length (seven in ten of
them hold personal details, 1.6 on average), against 35,000 before step 9's passes and
17,000 as step 9 left it; about 30,000 a second over the clean comments alone, which is
nearer to real feedback, where most comments hold none, against 51,000 before and 24,000
as step 9 left it. So the redaction runs at about 0.6 of its speed before step 9 (step 9
left it at 0.48), not within the 10% that step 9 asked for: the names after cues
(relations, sign-offs, thanks, "I'm", a name opening a sentence) alone take about 5
microseconds for each of bench/insight.py's generated comments, where the whole
redaction took about 7 before step 9, and the new kinds of detail take more. An analysis
run (bench/insight.py), where the redaction is one part of the work, is within 10% of
its speed before step 9: 0.92 to 0.98 of it (bench/RESULTS.md, "Redaction recall").
Measured with:

    .venv/bin/python -c "
    import timeit
    from textkit.redact import redact
    from textkit.tests.redaction_cases import clean_cases, planted_cases
    for label, cases in [('all', planted_cases() + clean_cases()), ('clean', clean_cases() * 2)]:
        texts, text = [], ''
        for case in cases:
            text = (text + ' ' + case.text).strip()
            if len(text) >= 160:
                texts.append(text)
                text = ''
        seconds = min(timeit.repeat(lambda: [redact(t) for t in texts], number=20, repeat=5)) / 20
        print(label, round(len(texts) / seconds), 'a second,', sum(map(len, texts)) // len(texts), 'characters')
    "
"""

from __future__ import annotations

import bisect
import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import AnyStr

__all__ = [
    "FIRST_NAMES",
    "MARKERS",
    "Redaction",
    "Removed",
    "nhs_number_is_valid",
    "redact",
    "redact_text",
    "redact_with_spans",
]

MARKERS: dict[str, str] = {
    "nhs_number": "[NHS number]",
    "hospital_number": "[hospital number]",
    "ni_number": "[NI number]",
    "phone": "[phone number]",
    "email": "[email address]",
    "social_handle": "[social media handle]",
    "address": "[address]",
    "postcode": "[postcode]",
    "date_of_birth": "[date of birth]",
    "web_address": "[web address]",
    "name": "[name]",
}

# A full day-month-year date whose year is more than this many years before today is taken
# to be a date of birth even without a cue: in feedback it almost always is.
_BIRTH_YEARS_BEFORE = 16


@dataclass(frozen=True)
class Redaction:
    """The redacted text, and how many details of each kind were replaced.

    `found` holds only the kinds that were found, so an empty dict means the text came back
    unchanged; use `found.get("phone", 0)` for a count that may be missing.
    """

    text: str
    found: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """How many details were replaced, of every kind."""
        return sum(self.found.values())


def nhs_number_is_valid(digits: str) -> bool:
    """Whether ten digits pass the NHS number's modulus 11 check.

    Spaces and hyphens are ignored, so "943 476 5919" and "943-476-5919" are accepted as
    written. The first nine digits are weighted 10 down to 2; the check digit is 11 less
    the remainder of their sum divided by 11, where 11 stands for 0 and 10 means that no
    valid number can end that way.
    """
    compact = digits.replace(" ", "").replace("-", "")
    if len(compact) != 10 or not compact.isascii() or not compact.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(compact[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(compact[9])


def redact(text: str, *, today: datetime.date | None = None) -> Redaction:
    """Replace the personal details in `text` with markers.

    `today` decides which dates are old enough to be dates of birth; it defaults to
    today's date (in UTC, which is near enough for a rule counted in years).
    """
    return _redact(text, today, None)


@dataclass(frozen=True)
class Removed:
    """A stretch of the original text that a marker replaced: `text[start:end]`."""

    kind: str
    start: int
    end: int


def redact_with_spans(
    text: str, *, today: datetime.date | None = None
) -> tuple[Redaction, tuple[Removed, ...]]:
    """`redact`, and where in the original text each marker's detail stood, in order.

    For measuring the redaction against labelled text (textkit/redaction_evaluate.py):
    which characters were removed, and under which kind of marker. Where a later pass's
    marker swallowed an earlier one, the stretch covers both and takes the later kind.
    """
    trace = _Trace()
    result = _redact(text, today, trace)
    return result, trace.removed()


def _redact(text: str, today: datetime.date | None, trace: _Trace | None) -> Redaction:
    if today is None:
        today = datetime.datetime.now(datetime.UTC).date()
    found: dict[str, int] = {}
    # Most comments hold no details of most kinds, so each slower pass is tried only where a
    # quick look finds what that kind cannot do without: an "@", a digit, a web ending.
    lowered = text.lower()
    written_in = "capitals" if text.isupper() else "lower case" if text.islower() else ""
    original = text
    text = _contact_passes(text, lowered, found, trace)
    if _has_digit(text):
        text = _number_passes(text, lowered, today, found, trace)
    # (A look for one character is much quicker than one for a word.)
    if (
        ("C" in text and "Cottage" in text)
        or ("B" in text and ("Bungalow" in text or "Barn" in text))
        or ("F" in text and "Farm" in text)
        or ("L" in text and "Lodge" in text)
        or _HOUSE_NAMED_AS_TREES.search(text) is not None
    ):
        text = _sub(_HOUSE_NAMED, text, found, "address", _always, trace=trace)
    text = _name_passes(text, lowered, written_in, found, trace, original=original)
    return Redaction(text, found)  # by position: quicker to call than by name


def _contact_passes(text: str, lowered: str, found: dict[str, int], trace: _Trace | None) -> str:
    """Email addresses, web addresses and social media handles, in that order."""
    web_ending = _DOT_THEN_LETTER.search(text) is not None and _WEB_ENDING.search(text) is not None
    if (
        "dot" in lowered
        or ("[" in text and "[at]" in lowered)
        or ("(" in text and "(at)" in lowered)
        or (
            web_ending
            and "@" not in text
            and " at " in lowered
            and any(name in lowered for name in _MAIL_LOOK)
        )
    ):
        text = _sub(_SPELT_EMAIL, text, found, "email", _spelt_email, trace=trace)
    # An address and a domain, whose patterns start with nothing the engine can skip to,
    # are tried only where the run of their characters before an "@", or before a web
    # ending, starts: the look-behind each opens with fails anywhere later in the run.
    if "@" in text:
        at = sorted({_run_start(text, sign, _LOCAL_PART) for sign in _places(text, "@")})
        text = _sub(_EMAIL, text, found, "email", _always, trace=trace, at=at)
    if (":" in text and "://" in text) or "www." in lowered:
        text = _sub(_URL, text, found, "web_address", _web_address, trace=trace)
    if web_ending and (endings := _starts(_WEB_ENDING, text)):
        at = sorted({_run_start(text, ending, _DOMAIN_PART) for ending in endings})
        text = _sub(_BARE_DOMAIN, text, found, "web_address", _web_address, trace=trace, at=at)
    if "@" in text:
        text = _sub(_AT_HANDLE, text, found, "social_handle", _always, trace=trace)
    if "insta" in lowered or "twitter" in lowered or "tok" in lowered or "snap" in lowered:
        text = _sub(_PLATFORM_HANDLE, text, found, "social_handle", _platform_handle, trace=trace)
    return text


def _number_passes(
    text: str, lowered: str, today: datetime.date, found: dict[str, int], trace: _Trace | None
) -> str:
    """The details made of digits: NHS, NI, phone and hospital numbers (each has six digits
    or more together), dates of birth, postcodes and addresses."""

    def birth(match: re.Match[str]) -> _Kept:
        return _date_of_birth(match, today)

    # The quick looks for digits are made in the text with each digit written "0" (see
    # _Zeros), where the text is plain ASCII; otherwise in the text.
    zeros = _Zeros()
    if (written := zeros.of(text)) is None:
        long_numbers = _SIX_DIGITS.search(text) is not None
    else:
        long_numbers = _SIX_ZEROS.search(written) is not None
    if long_numbers:
        text = _sub(_NHS_NUMBER, text, found, "nhs_number", _nhs_number, trace=trace)
        if _NI_TAIL.search(text):
            text = _sub(_NI_NUMBER, text, found, "ni_number", _always, trace=trace)
    text = _sub(_DAY_FIRST_DATE, text, found, "date_of_birth", birth, trace=trace)
    written = zeros.of(text)
    if (written is None or _DAY_THEN_YEAR_ZEROS.search(written)) and _DAY_THEN_YEAR.search(text):
        text = _sub(_MONTH_FIRST_DATE, text, found, "date_of_birth", birth, trace=trace)
    if ("born" in lowered or "birth" in lowered or "dob" in lowered or "d.o.b" in lowered) and _holds_any(
        lowered, _DAY_WORDS
    ):
        text = _sub(
            _WORDS_DATE, text, found, "date_of_birth", lambda match: _words_date(match, today), trace=trace
        )
    if long_numbers:
        text = _sub(_PHONE, text, found, "phone", _always, trace=trace)
        text = _sub(_BARE_MOBILE, text, found, "phone", _bare_mobile, trace=trace)
        if _LETTER_THEN_DIGIT.search(text) or _holds_any(lowered, _HOSPITAL_CUES):
            text = _sub(_HOSPITAL_NUMBER, text, found, "hospital_number", _hospital_number, trace=trace)
    # _POSTCODE and _ADDRESS start with no character the engine can skip to, so they are
    # tried only where a match may start: a postcode a few characters before its inward
    # code, an address at a house number or the word before it ("flat").
    plain = _case_blind_is_lower_case(text)
    written = zeros.of(text)
    at: list[int] | None = None
    if inward := _starts(_INWARD_CODE, text) if written is None else _starts(_INWARD_ZEROS, written):
        # The inward code ("1HF") stands two to six characters after the postcode's start.
        if plain:
            at = sorted({start for code in inward for start in range(max(code - 6, 0), code - 1)})
        text = _sub(_POSTCODE, text, found, "postcode", _postcode, trace=trace, at=at)
    written = zeros.of(text)
    if (_ADDRESS_LOOK.search(text) if written is None else _ADDRESS_LOOK_ZEROS.search(written)) or _holds_any(
        lowered, _PLAIN_STREET_LOOK
    ):
        at = None
        if plain:
            numbers = (
                _starts(_HOUSE_NUMBER, text) if written is None else _starts(_HOUSE_NUMBER_ZEROS, written)
            )
            at = sorted(numbers + _word_starts(text, text.lower(), _BEFORE_HOUSE_NUMBER, glued="_]"))
        text = _sub(_ADDRESS, text, found, "address", _address, trace=trace, at=at)
    return text


def _name_passes(
    text: str, lowered: str, written_in: str, found: dict[str, int], trace: _Trace | None, *, original: str
) -> str:
    """Names, last, so that the markers before them break up runs of capitalised words:
    after titles and introductions, from the lists, after cues, then those in a list with a
    name found, and, in a comment all in lower case, any listed name."""
    # The capitalised words, found once: a title written with a capital is one of them,
    # and, where no title or introduction changed the text, the lists are looked up in them.
    looked_at = text
    capitalised = _CAPITALISED_QUICK.findall(text)
    if _may_hold_a_title(text, capitalised):
        text = _sub(_TITLED_NAME, text, found, "name", _titled_name, trace=trace)
    if "name" in lowered or "called" in lowered:  # also "named"
        text = _sub(_INTRODUCED_NAME, text, found, "name", _introduced_name, trace=trace)
    if written_in != "capitals" and (
        not _CAPITALISED_TITLES.isdisjoint(capitalised) or _holds_any(text, _LOWER_CASE_TITLE_WORDS)
    ):
        text = _sub(_TITLED_LOWER_CASE_NAME, text, found, "name", _titled_lower_case_name, trace=trace)
    # (Most comments hold no listed name, which is known here without a call.)
    if (
        text is not looked_at
        or written_in == "capitals"
        or not _LISTED.isdisjoint(capitalised)
        or not text.isascii()  # an accented name is looked up without its accents
    ):
        text = _listed_names(
            text,
            found,
            trace,
            shouted=written_in == "capitals",
            capitalised=capitalised if text is looked_at else None,
        )
    text = _cued_names(text, lowered, found, trace, original=original)
    if "[name]" in text:
        for _ in range(4):
            before = found.get("name", 0)
            text = _sub(_NAME_AFTER_NAME, text, found, "name", _listed_with_a_name, trace=trace)
            text = _sub(_NAME_BEFORE_NAME, text, found, "name", _listed_with_a_name, trace=trace)
            if found.get("name", 0) == before:
                break
    if written_in == "lower case":
        text = _lower_names(text, found, trace)
    return text


def _cued_names(
    text: str, lowered: str, found: dict[str, int], trace: _Trace | None, *, original: str
) -> str:
    """The names that a cue points to (see _RELATION_NAME and the patterns after it).
    `lowered` is the `original` text in lower case; the quick looks are made in it."""
    # Where the cues are looked for with plain looks, in the text as it is now, lowered.
    plain = _case_blind_is_lower_case(text)
    if "my " in lowered or "our " in lowered or "her " in lowered or "his " in lowered:
        text = _sub(_RELATION_NAME, text, found, "name", _cued_name, trace=trace)
    # A sign-off that opens the text is one of a few words: the text before the first
    # marker is as written, and a marker cannot start a sign-off.
    if not plain or lowered.lstrip(" \t").startswith(_SIGN_OFF_OPENINGS):
        text = _sub(_SIGN_OFF_NAME, text, found, "name", _cued_name, trace=trace)
    if (
        "thank" in lowered
        or "especial" in lowered
        or "shout" in lowered
        or "give " in lowered
        or "tell " in lowered
        or "ask for" in lowered  # (the "ask for" cue was looked for only beside thanks)
    ):
        here = lowered if text is original else text.lower()
        at = _word_starts(text, here, _THANKS_WORDS) if plain else None
        text = _sub(_THANKS_NAME, text, found, "name", _cued_name, trace=trace, at=at)
    if " by " in lowered:
        text = _sub(_BY_NAME, text, found, "name", _cued_name, trace=trace)
    if "i'm " in lowered or "i am " in lowered or "i\u2019m " in lowered:
        text = _sub(_SELF_NAME, text, found, "name", _cued_name, trace=trace)
    if " who" in lowered and "it" in lowered:
        text = _sub(_CLEFT_NAME, text, found, "name", _cleft_name, trace=trace)
    text = _sub(_FAMILY_NAME, text, found, "name", _family_name, trace=trace)
    if ", the " in lowered or ", our " in lowered or ", my " in lowered:
        text = _sub(_NAME_THEN_ROLE, text, found, "name", _name_then_role, trace=trace)
    # The name that opens a text is its first word (see _opening_name), which most often
    # is one that is never taken for a name ("The", "Staff", "Parking").
    # (It runs to the first space or tab, which _OPENING_CONTEXT wants after it.)
    head = text.lstrip(_OPENING_LEAD)
    end, tab = head.find(" "), head.find("\t")
    if tab >= 0 and (end < 0 or tab < end):
        end = tab
    if end > 0 and not _never_an_opening_name(head[:end]):
        text = _sub(_OPENING_NAME, text, found, "name", _opening_name, trace=trace)
    # A sign-off ends a comment: after a full stop, only the last characters are looked at.
    # Each match has four characters or more after its full stop; many comments have no
    # full stop that far from their end but the one that ends them.
    start = len(text) - 60
    stops = text[max(start, 0) : len(text) - 4]
    if "." in stops or "\n" in stops or "!" in stops or "?" in stops:
        text = _sub(_NEXT_SENTENCE_NAME, text, found, "name", _next_sentence_name, trace=trace, start=start)
    return text


def _case_blind_is_lower_case(text: str) -> bool:
    """Whether `text`, lowered, holds just what a case-blind pattern (re.IGNORECASE) matches
    in it, in the same places, so that a plain look for a word in the lowered text says
    where the pattern may find it. It does unless the text holds one of the four letters
    that such a pattern takes for another letter: U+0130 and U+0131, the dotted capital I
    and the dotless i, for "i" (the first is also lowered to two characters), U+017F, the
    long s, for "s", and U+212A, the Kelvin sign, for "k"."""
    return text.isascii() or not (
        "\u0130" in text or "\u0131" in text or "\u017f" in text or "\u212a" in text
    )


def redact_text(text: str, *, today: datetime.date | None = None) -> str:
    """The redacted text alone, for callers that do not need the counts."""
    return redact(text, today=today).text


# What to do with one match: None leaves it alone; otherwise the text to keep before the
# marker and the text to keep after it (a cue such as "born ", or a full stop that ended the
# sentence rather than the web address), so the sentence still reads.
_Kept = tuple[str, str] | None
_KEEP_NOTHING = ("", "")


def _sub(
    pattern: re.Pattern[str],
    text: str,
    found: dict[str, int],
    kind: str,
    decide: Callable[[re.Match[str]], _Kept],
    *,
    trace: _Trace | None,
    start: int = 0,
    at: list[int] | None = None,
) -> str:
    """Replace each match that `decide` accepts with the kind's marker, counting them.

    Written out rather than with `pattern.sub`, because text given back after a marker
    (the surname slot of "Dr Patel Nurse Jones" held "Nurse") must be searched again: it
    may start the next match.

    `at`, where given, holds in order every place where a match may start (it may hold
    more): the pattern is tried at those places alone, which finds what a search would,
    and is quicker where the places are few and quickly found (see _word_starts).
    """
    # Most passes find nothing, so that case returns before anything is set up (a start
    # before the text is taken as its beginning).
    match = pattern.search(text, start) if at is None else _match_at(pattern, text, at, start)
    if match is None:
        return text
    marker = MARKERS[kind]
    pieces: list[str] = []
    copied_up_to = 0
    while match is not None:
        kept = decide(match)
        if kept is None:
            search_from = max(match.end(), match.start() + 1)
            match = (
                pattern.search(text, search_from) if at is None else _match_at(pattern, text, at, search_from)
            )
            continue
        before, after = kept
        pieces.append(text[copied_up_to : match.start()])
        pieces.append(before + marker)
        copied_up_to = match.end() - len(after)
        found[kind] = found.get(kind, 0) + 1
        if trace is not None:
            trace.replaced(match.start() + len(before), copied_up_to, kind)
        match = (
            pattern.search(text, copied_up_to) if at is None else _match_at(pattern, text, at, copied_up_to)
        )
    if not pieces:
        return text
    pieces.append(text[copied_up_to:])
    if trace is not None:
        trace.pass_done()
    return "".join(pieces)


def _places(text: str, character: str) -> list[int]:
    """Where `character` stands in `text`, in order."""
    places = []
    position = text.find(character)
    while position >= 0:
        places.append(position)
        position = text.find(character, position + 1)
    return places


def _run_start(text: str, end: int, run: re.Pattern[str]) -> int:
    """Where the run of the characters that `run` ("[...]*") takes, ending just before
    `end`, starts: `run` is matched in the text before `end`, read backwards."""
    if not end:
        return 0
    taken = run.match(text[end - 1 :: -1])
    return end - (0 if taken is None else taken.end())


def _match_at(pattern: re.Pattern[str], text: str, at: list[int], start: int) -> re.Match[str] | None:
    """What `pattern.search(text, start)` finds, where `at` holds, in order, every place
    where a match may start: the first of them from `start` on where the pattern matches.
    (A match tried at a place sees the text before it, as a search does.)"""
    for position in at[bisect.bisect_left(at, start) :]:
        match = pattern.match(text, position)
        if match is not None:
            return match
    return None


def _word_starts(text: str, lowered: str, words: tuple[str, ...], *, glued: str = "_") -> list[int]:
    """In order, the places in `text` where one of `words` (in lower case) starts, written
    in any case, not glued to a letter, a digit or one of `glued` before it (the pattern's
    look-behind says which: "_" where it is "\\w", "_]" where it is "[\\w\\]]").
    `lowered` is `text.lower()`, and the text must pass _case_blind_is_lower_case, so that
    their places agree and a look for a word in `lowered` finds where a case-blind pattern
    would.

    A pattern that the engine tries at every character, or at most of them, is quicker
    tried only where its words start, found this way (`_sub`'s `at`). One that it can skip
    through quickly is not: a loop in Python is slower than its search."""
    starts = []
    for word in words:
        position = lowered.find(word)
        while position >= 0:
            before = text[position - 1] if position else " "
            if not (before.isalnum() or before in glued):
                starts.append(position)
            position = lowered.find(word, position + 1)
    starts.sort()
    return starts


class _Trace:
    """Where each marker stands in the text as it is now, and what it replaced in the
    original, kept up to date pass by pass. Only `redact_with_spans` pays for this."""

    def __init__(self) -> None:
        # (start now, end now, start in the original, end in the original, kind), in order.
        self.markers: list[tuple[int, int, int, int, str]] = []
        self.pending: list[tuple[int, int, str]] = []

    def replaced(self, start: int, end: int, kind: str) -> None:
        """A pass replaced text[start:end] (in the text as the pass found it) by a marker."""
        self.pending.append((start, end, kind))

    def _original(self, position: int, *, is_end: bool) -> int:
        shift = 0
        for start, end, original_start, original_end, _ in self.markers:
            if end <= position:
                shift += (end - start) - (original_end - original_start)
            elif start < position:
                # Inside an earlier marker: the new one swallows it whole.
                return original_end if is_end else original_start
            else:
                break
        return position - shift

    def pass_done(self) -> None:
        """Move the markers the pass put in, and those it left, to the text it made."""
        added = [
            (
                start,
                end,
                self._original(start, is_end=False),
                self._original(end, is_end=True),
                kind,
            )
            for start, end, kind in self.pending
        ]
        markers: list[tuple[int, int, int, int, str]] = []
        growth = 0  # how much longer the text has grown before the point reached
        old = iter(self.markers)
        waiting = next(old, None)
        for start, end, original_start, original_end, kind in added:
            while waiting is not None and waiting[0] < start:
                if waiting[1] <= start:
                    markers.append((waiting[0] + growth, waiting[1] + growth, *waiting[2:]))
                waiting = next(old, None)
            while waiting is not None and waiting[0] < end:
                waiting = next(old, None)  # swallowed by the new marker
            length = len(MARKERS[kind])
            markers.append((start + growth, start + growth + length, original_start, original_end, kind))
            growth += length - (end - start)
        while waiting is not None:
            markers.append((waiting[0] + growth, waiting[1] + growth, *waiting[2:]))
            waiting = next(old, None)
        self.markers = markers
        self.pending = []

    def removed(self) -> tuple[Removed, ...]:
        return tuple(
            Removed(kind, original_start, original_end)
            for _, _, original_start, original_end, kind in self.markers
        )


def _always(_match: re.Match[str]) -> _Kept:
    return _KEEP_NOTHING


# Case-blind (re.IGNORECASE), "i", "k" and "s" also match these letters: the dotted capital
# I and the dotless i, the Kelvin sign, and the long s.
_CASE_BLIND_ALSO = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def _from_first_letter(words: tuple[str, ...]) -> str:
    """Case-blind words (each a pattern that starts with a plain letter), each not glued to
    a word before it, as a pattern that the engine finds quickly. Written as "\\b(?i:...)",
    the pattern would be tried at every character; here the first letters, as one set, are
    taken before the look-behind, and then, after a look-behind that says which letter it
    was, the rest of each word that starts with it, in the order given. Words that start
    with different letters cannot match in the same place, so no match changes."""
    rests: dict[str, list[str]] = {}
    for word in words:
        rests.setdefault(word[0].lower(), []).append(word[1:])
    letters = {letter: letter + letter.upper() + _CASE_BLIND_ALSO.get(letter, "") for letter in rests}
    every = "".join(letters.values())
    branches = "|".join(rf"(?<=[{letters[letter]}])(?i:{'|'.join(rest)})" for letter, rest in rests.items())
    return rf"[{every}](?<!\w[{every}])(?:{branches})"


class _Zeros:
    """A text with each digit written "0", as bytes: the quick looks for numbers are made
    in it. A pattern that starts with "0" is found much more quickly than one that starts
    with "[0-9]" (as a look for one character is than one for any of a set), and where the
    digits' values do not matter the two find the same places. Made for plain ASCII texts
    only, where bytes and characters stand in the same places and a pattern of bytes reads
    "\\w" and the like as one of characters does (the patterns spell out "\\s", which
    also holds four control characters in a pattern of characters); made again when the
    text has changed."""

    __slots__ = ("text", "written")

    def __init__(self) -> None:
        self.text: str | None = None
        self.written: bytes | None = None

    def of(self, text: str) -> bytes | None:
        """The text with its digits written "0", or None where it is not plain ASCII."""
        if text is not self.text:
            self.text = text
            self.written = text.encode("ascii").translate(_AS_ZEROS) if text.isascii() else None
        return self.written


_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")


def _starts(pattern: re.Pattern[AnyStr], written: AnyStr) -> list[int]:
    """Where each match of `pattern` starts."""
    return [match.start() for match in pattern.finditer(written)]


# What a few patterns below find, in a _Zeros text; each beside its pattern says the same.
_SPACE_BYTE = rb"[ \t\n\r\f\v\x1c-\x1f]"


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` holds any of `words`: as any(), without the cost of a generator."""
    for word in words:  # noqa: SIM110 - a loop is quicker than any()
        if word in text:
            return True
    return False


def _has_digit(text: str) -> bool:
    # Ten looks for one character each are quicker than one for any of ten: the first is a
    # search for one character in memory; the second tries each character against a set.
    return (
        "0" in text
        or "1" in text
        or "2" in text
        or "3" in text
        or "4" in text
        or "5" in text
        or "6" in text
        or "7" in text
        or "8" in text
        or "9" in text
    )


# A note on speed. Python's regular expressions scan quickly for a pattern whose first
# character comes from a fixed set, but not for one that opens with a look-behind. So
# several patterns below take their first character and only then look behind it, as in
# "[0-9](?<![\w][0-9])": a digit, not glued to a word before it. A "]" counts as part of a
# word in these look-arounds, so that a marker put in by one pass leaves its neighbours
# exactly as matchable as the detail it replaced, which keeps redaction idempotent.

# --- Email addresses -------------------------------------------------------------------
# Each address must start where a run of address characters starts, so a long run without
# an "@" is scanned once rather than once from every position in it.
_LOCAL_PART = re.compile(r"[A-Za-z0-9._%+'-]*")  # (what an address has before its "@")
_EMAIL = re.compile(
    r"(?<![\w\].%+'-])[A-Za-z0-9._%+'-]+@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w\[-])"
)

# --- Web addresses ---------------------------------------------------------------------
# Square brackets are never part of an address here, so a marker next to an address is
# never swallowed into it. Bare domains are recognised only with a familiar ending, so that
# "e.g." or a missing space after a full stop ("home.Then") is not taken for an address.
_TLD = (
    r"(?:co\.uk|org\.uk|nhs\.uk|gov\.uk|ac\.uk|net\.uk|ltd\.uk|com|org|net|info|gov|nhs|uk|io"
    r"|biz|eu|co|tv|ie|app|online|scot|wales|london|ly)"
)
# An address with its scheme or "www.", running to the next space.
_URL = re.compile(
    r"[hHwW](?<![\w\]@./-][hHwW])(?:(?<=[hH])(?i:ttps?://)|(?<=[wW])(?i:ww\.))[A-Za-z0-9][^\s<>\"\[\]]*"
)
# A bare domain with a familiar ending, and its path if it has one. The letters of each
# part are taken possessively (*+), so a long word that turns out not to be a domain is
# given up at once rather than tried again at every length.
_BARE_DOMAIN = re.compile(
    r"[A-Za-z0-9](?<![\w\]@./-][A-Za-z0-9])[A-Za-z0-9-]*+\.(?:[A-Za-z0-9][A-Za-z0-9-]*+\.)*"
    rf"{_TLD}(?![\w\[-])(?:/[^\s<>\"\[\]]*)?",
    re.IGNORECASE,
)
# What a domain is made of, case-blind as _BARE_DOMAIN is (see _CASE_BLIND_ALSO).
_DOMAIN_PART = re.compile(rf"[A-Za-z0-9.{''.join(_CASE_BLIND_ALSO.values())}-]*")
_TRAILING_PUNCTUATION = ".,;:!?'\"\u2019\u201d"
# A quick look for a familiar ending, before the full pattern is tried.
_WEB_ENDING = re.compile(rf"\.{_TLD}(?![\w\[-])", re.IGNORECASE)
# A web ending starts with a full stop and a letter, which most full stops, at the end of
# a sentence, are not followed by. The engine finds a pattern that starts with one
# character quickly, unlike one that starts with a choice of several (as _WEB_ENDING's
# letters after the stop are), so this is looked for first. The letters that case-blind
# matching takes for a letter of a web ending are also looked for (see _CASE_BLIND_ALSO).
_DOT_THEN_LETTER = re.compile(rf"\.[A-Za-z{''.join(_CASE_BLIND_ALSO.values())}]")


def _web_address(match: re.Match[str]) -> _Kept:
    """Accept an address, but give back punctuation that ends the sentence rather than the
    address: a full stop, comma or unmatched closing bracket straight after it."""
    address = match.group(0)
    end = len(address)
    unmatched_closing = address.count(")") - address.count("(")
    while end > 0:
        last = address[end - 1]
        if last == ")" and unmatched_closing > 0:
            unmatched_closing -= 1
        elif last not in _TRAILING_PUNCTUATION:
            break
        end -= 1
    return ("", address[end:])


# --- Email addresses written out ------------------------------------------------------
# "jane dot doe at gmail dot com", "jane[at]example[dot]org", "tom (at) example (dot) co
# (dot) uk": people spell an address out to keep it from robots, and it identifies them
# all the same. The address must end in a familiar ending, so "at home" or "dot to dot"
# is never one. Looked for only where "dot", "[at]" or "(at)" is written, or " at " with a
# web ending.
_SPELT_AT = r"(?:\s{0,2}[\[({](?i:at)[\])}]\s{0,2}|\s{1,2}(?:at|AT)\s{1,2})"
_SPELT_DOT = r"(?:\s{0,2}[\[({](?i:dot)[\])}]\s{0,2}|\s{1,2}(?:dot|DOT)\s{1,2}|\.)"
_SPELT_PART = r"[A-Za-z0-9_%+'-]{1,40}"
_SPELT_EMAIL = re.compile(
    rf"(?<![\w\].%+'-]){_SPELT_PART}(?:{_SPELT_DOT}{_SPELT_PART}){{0,3}}{_SPELT_AT}"
    rf"[A-Za-z0-9-]{{1,40}}(?:{_SPELT_DOT}[A-Za-z0-9-]{{1,40}}){{0,3}}{_SPELT_DOT}"
    r"(?i:com|org|net|uk|ie|info|io|co|gov|nhs|ac|eu)(?![\w\[/-])"
)
# With a plain " at " and plain dots ("steve at gmail.com"), an address needs a mail
# provider's name or a local part that reads like one, so that "a page at facebook.com"
# stays a web address.
_MAIL_PROVIDERS = frozenset(
    "gmail googlemail hotmail outlook live yahoo btinternet icloud aol sky virginmedia nhs talktalk".split()  # noqa: SIM905
)
_MAIL_LOOK = ("gmail", "hotmail", "outlook", "yahoo", "btinternet", "icloud", "aol.", "sky.com", "live.")
_PLAIN_AT = re.compile(r"\s(?:at|AT)\s")


def _spelt_email(match: re.Match[str]) -> _Kept:
    """An address spelt out, or written with " at " for "@" and its dots as they are."""
    written = match.group(0)
    if "@" in written:
        return None
    plain = _PLAIN_AT.search(written)
    if plain is not None and "dot" not in written.lower():
        local, domain = written[: plain.start()], written[plain.end() :].lower()
        if domain.split(".")[0].strip() not in _MAIL_PROVIDERS and not any(
            c in local for c in "._0123456789"
        ):
            return None
    return _KEEP_NOTHING


# --- Social media handles ---------------------------------------------------------------
# "@jane_doe99", or a name after the platform's name: "instagram: janedoe", "snapchat
# kylieb2009". A handle after a platform must look like one (a digit, "_" or "." in it, or
# five or more letters in lower case) and not be an ordinary word: "on Instagram where".
_AT_HANDLE = re.compile(r"@(?<![\w\]@./]@)[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w\[@])")
_PLATFORM_HANDLE = re.compile(
    _from_first_letter(
        ("insta(?:gram)?", "twitter", "tiktok", r"tik\s{1,2}tok", "snapchat", "snap", "threads", "bluesky")
    )
    + r"\b"
    r"(?:\s{1,2}(?i:handle|name|account|username|page))?[\s:-]{0,3}(?:(?i:is|as|at)\s{1,2})?"
    r"(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_]))(?![\w\[@])"
)
_PLATFORM_WORDS = re.compile(r"(?i:insta|twitter|tik\s{0,2}tok|snap|threads|bluesky)")
_NOT_HANDLES = frozenset(
    """
    where when while which with that this then there their they them page pages group groups
    account story stories post posts live lives video videos too also and but for from
    today yesterday tonight every everyday about again please because lately recently
    """.split()  # noqa: SIM905
)


def _platform_handle(match: re.Match[str]) -> _Kept:
    handle = match.group("handle")
    if handle.lower() in _NOT_HANDLES or handle.lower() in _NOT_NAMES:
        return None
    if not (any(mark in handle for mark in "0123456789_.") or (handle.islower() and len(handle) >= 5)):
        return None
    return (match.string[match.start() : match.start("handle")], "")


# --- NHS numbers -----------------------------------------------------------------------
# Ten digits, written together or in groups of 3-3-4 (or 4-3-3, which a phone number
# starting with 0 also has, so never from a 0), with spaces, dots or hyphens between the
# groups, even mixed or doubled as people type them: "943.476.5919", "943-476 5919".
_NHS_GAP = r"(?:[ .-]| {2})?"
_NHS_NUMBER = re.compile(
    r"[0-9](?<![\w\]+][0-9])(?<![0-9][.-][0-9])(?:"
    rf"[0-9]{{2}}{_NHS_GAP}[0-9]{{3}}{_NHS_GAP}[0-9]{{4}}"
    rf"|(?<=[1-9])[0-9]{{3}}{_NHS_GAP}[0-9]{{3}}{_NHS_GAP}[0-9]{{3}}"
    r")(?![\w\[])(?![.-][0-9])"
)
# Ten digits after an international prefix are a phone number, not an NHS number.
_INTERNATIONAL_BEFORE = re.compile(r"(?:\+|00)44[ -]?(?:\(?0\)?[ -]?)?$")
# "NHS no: 123 456 7890": after this cue, ten digits are an NHS number even where the
# check digit is wrong, as people often copy one digit wrongly, and the other nine still
# say who they are.
_NHS_CUE_BEFORE = re.compile(
    r"(?i:\bnhs)[\s.:#-]{0,3}(?:(?i:no|num|number)\b\.?)?[\s.:#-]{0,3}(?:(?i:is|was)\s{1,2})?$"
)


def _nhs_number(match: re.Match[str]) -> _Kept:
    before = match.string[max(0, match.start() - 24) : match.start()]
    if not nhs_number_is_valid(match.group(0).replace(".", "").replace("  ", " ")):
        return _KEEP_NOTHING if _NHS_CUE_BEFORE.search(before) else None
    if _INTERNATIONAL_BEFORE.search(before[-10:]):
        return None
    return _KEEP_NOTHING


# --- National Insurance numbers --------------------------------------------------------
# Two letters, six digits in pairs and a letter from A to D: "QQ 12 34 56 C", "qq123456c".
# The digits and the last letter are looked for first (a quick look: no letter can start
# the scan), and the whole number only where they are found.
# Written with spaces, dashes or nothing between its pairs ("QQ 12 34 56 C", "QQ-12-34-56-C").
_NI_TAIL = re.compile(
    r"[0-9][0-9][ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[A-Da-d](?![\w\[])"
)  # (a digit first, to skip to)
_NI_NUMBER = re.compile(
    r"(?<![\w\]])[A-Za-z]{2}[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[A-Da-d](?![\w\[])"
)


# --- Hospital numbers ------------------------------------------------------------------
# A hospital's own number for a patient (MRN, unit or case-notes number): six to ten
# digits, perhaps after up to three letters and a digit ("RXK1234567", "RQ3 445566",
# "D123456X"). Without a cue, only the shape of a trust's code and seven or more digits is
# taken; any other number needs a cue such as "hospital number" or "MRN" just before it,
# because six or more digits are also references, prices and counts. After a cue, its
# letters may be in lower case ("hospital no rl4 0987654").
_HOSPITAL_NUMBER = re.compile(
    r"[A-Za-z0-9](?<![\w\]/.-][A-Za-z0-9])(?P<letters>[A-Za-z]{0,3}[0-9]? ?)"
    r"[0-9](?: ?[0-9]){5,9}[A-Za-z]?(?![\w\[])(?![./-][0-9])"
)
# Six digits with at most two spaces, dots or hyphens between each: every NHS, NI, phone
# and hospital number has them, and most comments do not, so those passes are tried only
# where they are found.
_LETTER_THEN_DIGIT = re.compile(r"[0-9](?<=[A-Z][0-9])")
_HOSPITAL_CUES = ("hosp", "mrn", "unit n", "patient n", "record", "notes", "wrist")
_SIX_DIGITS = re.compile(r"[0-9](?:[ .-]{0,2}[0-9]){5}")
_SIX_ZEROS = re.compile(rb"0(?:[ .-]{0,2}0){5}")
_TRUST_CODE = re.compile(r"[A-Z]{2,3}[0-9]?[ ]?[0-9](?: ?[0-9]){6,}")
_HOSPITAL_CUE_BEFORE = re.compile(
    r"(?i:\b(?:hospital|hosp|unit|patient|record|notes|mrn|wristband|wrist\s{1,2}band))"
    r"\.?(?:\s{1,2}(?i:no|num|number|id)\b\.?)?[\s:#=-]{0,3}(?:(?i:is|was|said)\s{1,2})?$"
)


def _hospital_number(match: re.Match[str]) -> _Kept:
    if _TRUST_CODE.fullmatch(match.group(0)) and match.group("letters").strip():
        return _KEEP_NOTHING
    before = match.string[max(0, match.start() - 32) : match.start()]
    return _KEEP_NOTHING if _HOSPITAL_CUE_BEFORE.search(before) else None


# --- Dates of birth --------------------------------------------------------------------
_MONTH_NUMBERS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![A-Za-z])"
)
_ORDINAL = r"(?i:st|nd|rd|th)?"
# A date starting with its day: 15/03/1952, 15-03-1952, 15.03.1952, 15/3/52 (the same
# separator twice), 1952-03-15, 15 March 1952, 15th of Mar, 1952. Quantifiers are bounded,
# so no input can make the pattern backtrack for long. The first digit is taken before the
# look-behind, for speed (see above).
_DAY_FIRST_DATE = re.compile(
    r"[0-9](?<![\w\]/.-][0-9])(?:"
    r"[0-9]?([/.-])[0-9]{1,2}\1(?:[0-9]{4}|[0-9]{2})(?![\w\[])(?![/.-][0-9])"
    r"|(?<=[12])[0-9]{3}-[0-9]{1,2}-[0-9]{1,2}(?![\w\[])(?!-[0-9])"
    rf"|[0-9]?{_ORDINAL}(?:\s{{1,3}}of)?[\s-]{{1,3}}{_MONTH}\.?,?[\s-]{{1,3}}(?:[0-9]{{4}}|['\u2019][0-9]{{2}})(?![\w\[])"
    r")"
)
# A date starting with its month: March 15 1952, March 15th, 1952. It is looked for only
# where a day is followed by a year, which is rare.
_MONTH_FIRST_DATE = re.compile(
    rf"(?<![\w\]]){_MONTH}\.?\s{{1,3}}[0-9]{{1,2}}{_ORDINAL},?\s{{1,3}}[0-9]{{4}}(?![\w\[])"
)
# _DAY_THEN_YEAR's shape whatever the year, in a _Zeros text.
_DAY_THEN_YEAR_ZEROS = re.compile(
    rb"0(?<![\w\]]0)0?(?i:st|nd|rd|th)?,?" + _SPACE_BYTE + rb"{1,3}0000(?![\w\[])"
)
_DAY_THEN_YEAR = re.compile(
    rf"[0-9](?<![\w\]][0-9])[0-9]?{_ORDINAL},?\s{{1,3}}(?:1[89]|20)[0-9]{{2}}(?![\w\[])"
)
# The parts of a date found by either pattern above, read again to check it.
_DATE_PARTS = re.compile(
    r"(?P<d1>[0-9]{1,2})[/.-](?P<m1>[0-9]{1,2})[/.-](?P<y1>[0-9]{4}|[0-9]{2})"
    r"|(?P<y2>[0-9]{4})-(?P<m2>[0-9]{1,2})-(?P<d2>[0-9]{1,2})"
    rf"|(?P<d3>[0-9]{{1,2}}){_ORDINAL}(?:\s{{1,3}}of)?[\s-]{{1,3}}(?P<n3>{_MONTH})\.?,?[\s-]{{1,3}}(?P<y3>[0-9]{{4}}|['\u2019][0-9]{{2}})"
    rf"|(?P<n4>{_MONTH})\.?\s{{1,3}}(?P<d4>[0-9]{{1,2}}){_ORDINAL},?\s{{1,3}}(?P<y4>[0-9]{{4}})"
)
# A cue just before a date, and the few words that may sit between them: "born on the",
# "DOB:", "date of birth is".
_CUE_BEFORE = re.compile(
    r"(?i:\b(?:born|birthday|birth\s{1,3}date|date\s{1,3}of\s{1,3}birth|d\.?o\.?b\b\.?))"
    r"[\s:,=-]{0,4}(?:(?i:is|was|on|of|the)[\s:,-]{1,4}){0,3}$"
)


# A day written in words: "born on the twenty third of April 1958".
_WORD_DAY = (
    r"(?:(?:twenty|thirty)[ -]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
)
# The year in full, or in two digits after a cue ("23rd Nov '49": _words_date says so).
_WORDS_DATE = re.compile(
    rf"(?<![\w\]])(?i:{_WORD_DAY})(?:\s{{1,3}}of)?\s{{1,3}}{_MONTH}\.?,?\s{{1,3}}"
    r"(?:(?:1[89]|20)[0-9]{2}|['\u2019]?[0-9]{2})(?![\w\[])"
)
_DAY_WORDS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "teenth",
    "tieth",
)


def _words_date(match: re.Match[str], today: datetime.date) -> _Kept:
    cued = _CUE_BEFORE.search(match.string, max(0, match.start() - 40), match.start()) is not None
    written = match.group(0)
    if not written[-3].isdigit():  # a year in two digits: a date of birth only after a cue
        return _KEEP_NOTHING if cued else None
    year = int(written[-4:])
    if year < today.year - _BIRTH_YEARS_BEFORE or cued:
        return _KEEP_NOTHING
    return None


def _date_of_birth(match: re.Match[str], today: datetime.date) -> _Kept:
    """A date after a cue is a date of birth whatever its year; any other full date is
    one when it is more than 16 years old. The cue itself stays: "born [date of birth]"."""
    parts = _DATE_PARTS.fullmatch(match.group(0))
    year = None if parts is None else _date_year(parts, today)
    if year is None:
        return None
    if year < today.year - _BIRTH_YEARS_BEFORE:
        return _KEEP_NOTHING
    if _CUE_BEFORE.search(match.string, max(0, match.start() - 40), match.start()):
        return _KEEP_NOTHING
    return None


def _date_year(match: re.Match[str], today: datetime.date) -> int | None:
    """The year of a date read by _DATE_PARTS, or None where it is not a real date."""
    if match.group("d1") is not None:
        year = _full_year(match.group("y1"), today)
        first, second = int(match.group("d1")), int(match.group("m1"))
        # Day first, as in Britain; month first, as some people write, if only that works.
        if _real_date(year, second, first) or _real_date(year, first, second):
            return year
        return None
    if match.group("y2") is not None:
        year = int(match.group("y2"))
        return year if _real_date(year, int(match.group("m2")), int(match.group("d2"))) else None
    if match.group("d3") is not None:
        day, month_name, written = match.group("d3"), match.group("n3"), match.group("y3")
    else:
        day, month_name, written = match.group("d4"), match.group("n4"), match.group("y4")
    year = _full_year(written.lstrip("'\u2019"), today)  # "23rd Nov '49"
    month = _MONTH_NUMBERS[month_name[:3].lower()]
    return year if _real_date(year, month, int(day)) else None


def _full_year(written: str, today: datetime.date) -> int:
    """A year as written; one in two digits is taken to be in the last hundred years."""
    year = int(written)
    if len(written) == 2:
        year += today.year // 100 * 100
        if year > today.year:
            year -= 100
    return year


def _real_date(year: int, month: int, day: int) -> bool:
    if year < 1880:
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


# --- Phone numbers ---------------------------------------------------------------------
# UK numbers are 0 followed by nine or ten digits. The digits after the 0 are written in a
# few customary groups; listing the groupings (rather than allowing any digits and spaces)
# keeps a number from running on into the next figure in the sentence ("0121 496 0000 24
# hours a day"). The first digit after the 0 must be 1, 2 or 3 (landlines), 7 (mobiles) or
# 8 (freephone and similar).
_TEN_DIGIT_GROUPS = ((4, 6), (4, 3, 3), (3, 3, 4), (2, 4, 4), (3, 7), (2, 8), (5, 5), (3, 3, 2, 2))
_NINE_DIGIT_GROUPS = ((4, 5), (3, 3, 3), (3, 6))
_SEPARATOR = r"[ \u00a0.-]?"


def _phone_layouts(*, bracketed: bool) -> str:
    """The digits after the 0 in each grouping; with `bracketed`, the area code is written
    in brackets with its 0, as in "(01384) 456789", and the opening bracket is left out
    because the pattern below has already taken it."""
    layouts = []
    for first, *rest in _TEN_DIGIT_GROUPS + _NINE_DIGIT_GROUPS:
        head = f"[12378][0-9]{{{first - 1}}}"
        if bracketed:
            head = rf"0{head}\)"
        layouts.append(head + "".join(f"{_SEPARATOR}[0-9]{{{size}}}" for size in rest))
    return "|".join(layouts)


# The first character (+, 0 or an opening bracket) is taken before the look-behind, for
# speed; the look-behinds after it then say which of the four forms it began. As for NHS
# numbers, digits joined by a dot or hyphen to digits before or after them
# ("0077000129.0100000000") are one figure, not a phone number: otherwise the number
# beside the dot would be found only when the text was redacted a second time.
_INTERNATIONAL_ZERO = rf"(?:\(0\){_SEPARATOR}|0{_SEPARATOR})?"
_PHONE = re.compile(
    r"[+0(](?<![\w\]+][+0(])(?<![0-9][.-][+0(])(?:"
    rf"(?<=\+)44{_SEPARATOR}{_INTERNATIONAL_ZERO}(?:{_phone_layouts(bracketed=False)})"
    rf"|(?<=0)044{_SEPARATOR}{_INTERNATIONAL_ZERO}(?:{_phone_layouts(bracketed=False)})"
    rf"|(?<=\()(?:{_phone_layouts(bracketed=True)})"
    rf"|(?<=0)(?:{_phone_layouts(bracketed=False)})"
    r")(?![\w\[])(?![.-][0-9])"
)

# A mobile number without its 0 ("7700 900123"), as people write it after "+44" is
# dropped; ten digits from a 7 are also many other things, so only after a cue.
_BARE_MOBILE = re.compile(
    r"7(?<![\w\]+.-]7)[0-9]{3}[ .-]?(?:[0-9]{6}|[0-9]{3}[ .-]?[0-9]{3})(?![\w\[])(?![.-][0-9])"
)
_PHONE_CUE_BEFORE = re.compile(
    r"(?i:\b(?:call|ring|phone|mobile|mob|tel|telephone|text|number|no|contact|whatsapp|reach))"
    r"\b\.?[\s:,-]{0,3}(?:(?i:me|us|is|on|at|was)\b[\s:,-]{0,3}){0,2}$"
)


def _bare_mobile(match: re.Match[str]) -> _Kept:
    before = match.string[max(0, match.start() - 24) : match.start()]
    return _KEEP_NOTHING if _PHONE_CUE_BEFORE.search(before) else None


# --- Postcodes -------------------------------------------------------------------------
# An outward code (DY1, B63, SW1A) and an inward code (1HF): a district alone stays. The
# inward code's letters never include C, I, K, M, O or V.
_POSTCODE = re.compile(
    r"(?<![\w\]])[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]? {0,2}[0-9][ABD-HJLNP-UW-Z]{2}(?![\w\[])",
    re.IGNORECASE,
)
# A quick look for an inward code, before the full pattern is tried.
_INWARD_CODE = re.compile(r"[0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}(?![\w\[])")
_INWARD_ZEROS = re.compile(rb"0[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}(?![\w\[])")
_ORDINAL_INWARD = re.compile(r"[0-9](?:st|nd|rd|th)$")


def _postcode(match: re.Match[str]) -> _Kept:
    """Accept a postcode, unless it is lower case and its inward part reads as an ordinal,
    as in "b4 2nd"; real postcodes such as "DY1 1ST" are still caught in capitals."""
    written = match.group(0)
    if written.islower() and _ORDINAL_INWARD.search(written):
        return None
    return _KEEP_NOTHING


# --- Addresses -------------------------------------------------------------------------
# A house number and a street: "12 Acacia Avenue", "33a Stourbridge Road", "flat 3, 45 High
# Street", "Flat 12, Lister House", "9 The Crescent". The street ends in a word that streets
# and buildings end in; the words before it must be capitalised (or the street plainly
# one, "17 bridge street"), and none may be an ordinary word or a unit, so that "took 3
# hours to drive" and "Ward 7 Green team" are not addresses. The town after the street is
# left: a town says little on its own. Looked for only where a number is followed, within
# four words, by a street's last word.
_STREET_END = (
    r"(?:road|rd|street|avenue|ave|lane|close|drive|way|crescent|grove|place|court|gardens"
    r"|terrace|walk|view|rise|row|square|mews|park|green|parade|vale|croft|hill|hillside"
    r"|meadows?|fold|house|cottages?|lodge|wharf|yard|boulevard|end|bank|heights|mount)"
)
# A house with a name and no number, and its street: "Rose Cottage, Mill Lane".
# A house named as trees or a place are ("The Willows, Church Lane") has the same shape.
_HOUSE_NAMED = re.compile(
    r"(?<![\w\]])(?:(?:The\s|[A-Z][a-z]+\s)?(?:Cottage|Bungalow|Farmhouse|Farm|Barn|Lodge|Villa|Manor|Coach\sHouse)"
    r"|The\s[A-Z][a-z]+s(?=,))"
    rf",?\s{{1,2}}(?:[A-Z][a-z]+\s){{1,2}}(?i:{_STREET_END})(?![\w\[])"
)
# A quick look for "The Willows, ": from "The ", which the engine finds by its letters.
_HOUSE_NAMED_AS_TREES = re.compile(r"The\s[A-Z][a-z]+s,")
_PLAIN_STREET_END = frozenset("road street avenue lane".split())  # noqa: SIM905
# A quick look: a number followed by a capitalised word ("12 Acacia", "2B, Clent"), or a
# plain street in lower case.
_ADDRESS_LOOK = re.compile(r"[0-9][A-Za-z]?,? [A-Z]")
_ADDRESS_LOOK_ZEROS = re.compile(rb"0[A-Za-z]?,? [A-Z]")
_PLAIN_STREET_LOOK = (" road", " street", " avenue", " lane")
_BEFORE_HOUSE_NUMBER = ("flat", "apartment", "apt", "unit", "room", "no.", "number")
_HOUSE_NUMBER_START = r"[0-9](?<![\w\]/.:£$-][0-9])"
_ADDRESS = re.compile(
    rf"(?:(?<![\w\]])(?i:{'|'.join(map(re.escape, _BEFORE_HOUSE_NUMBER))})\s{{1,2}})?"
    + _HOUSE_NUMBER_START
    + r"[0-9]{0,3}[A-Za-z]?(?![\w\[])"
    # A flat in a named building, then the building's number: "flat 12, Harrington Court, 9".
    r"(?:,?\s{1,2}(?:[A-Z][a-z]+\s{1,2}){1,2}(?:Court|House|Lodge|Mansions|Tower|Point|Buildings|Apartments)"
    r"(?=,?\s{1,2}[0-9]))?"
    r"(?:,?\s{1,2}[0-9]{1,4}[A-Za-z]?(?![\w\[]))?"
    rf",?\s{{1,2}}(?P<street>(?:[A-Za-z][A-Za-z'\u2019-]{{0,20}}\s{{1,2}}){{0,3}}(?i:{_STREET_END}))"
    r"(?:\s(?:North|South|East|West|Care\sHome|Nursing\sHome))?(?![\w\[])"
)
# Where a house number may start (_number_passes tries _ADDRESS there).
_HOUSE_NUMBER = re.compile(_HOUSE_NUMBER_START)
_HOUSE_NUMBER_ZEROS = re.compile(rb"0(?<![\w\]/.:$-]0)")  # ("\u00a3" is not ASCII)
# Words never in a street's name before its last word: the words of a sentence, and units.
_NOT_STREET_WORDS = frozenset(
    """
    a an and are as at be but by for from had has have in is it my no not of on or our so
    than that to too up was we were with you your me his her their this these those then
    minutes minute mins hours hour hrs days day weeks week months month years year times
    time people patients tablets doses mg ml mins miles mile pounds per cent percent
    """.split()  # noqa: SIM905
)
# A number after one of these words is a ward, bay, room or bus, not a house.
_NOT_HOUSE_BEFORE = re.compile(
    r"(?i:\b(?:ward|bay|room|bed|level|floor|platform|gate|bus|route|junction|year|aged|age|page|section|week|day))"
    r"[\s.:]{1,3}$"
)


def _address(match: re.Match[str]) -> _Kept:
    words = match.group("street").split()
    last = words[-1]
    if not (last[0].isupper() or last.lower() in _PLAIN_STREET_END):
        return None
    named = words[1:-1] if words[0] == "The" else words[:-1]
    for word in named:
        if word.lower() in _NOT_STREET_WORDS:
            return None
        if not (word[0].isupper() or last.lower() in _PLAIN_STREET_END):
            return None
    if match.group(0)[0].isdigit() and _NOT_HOUSE_BEFORE.search(
        match.string, max(0, match.start() - 12), match.start()
    ):
        return None
    return _KEEP_NOTHING


# --- Names -----------------------------------------------------------------------------
# The letters names are written in, for character classes: English's, and the accented
# letters of European names, Latin-1's and beyond ("Siobh\u00e1n", "Zieli\u0144ski",
# "R\u016bta Kazlauskien\u0117", "\u0218tefan"): with English's alone, half such a name was
# left for anyone to read ("[name]\u0144ski").


def _letters(case: str) -> str:
    return "".join(c for c in map(chr, range(0xC0, 0x250)) if getattr(c, case)())


_UPPER = "A-Z" + _letters("isupper")
_LOWER = "a-z" + _letters("islower")


def _plain_letters() -> dict[int, str]:
    """Each accented letter as the plain one it is written on ("\u00e1" as "a", "\u0144" as
    "n"), one letter for one; those with no such decomposition by hand."""
    plain = {ord(c): "l" if c == "\u0142" else "L" for c in "\u0142\u0141"}
    plain |= {ord("\u00f8"): "o", ord("\u00d8"): "O", ord("\u0111"): "d", ord("\u0110"): "D"}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFKD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            plain[code] = base
    return plain


_PLAIN_LETTERS = _plain_letters()
# A capitalised word as names are written: Patel, O'Brien, McDonald, Smith-Jones.
_NAME_WORD_REST = rf"(?:['\u2019][A-Z])?[{_LOWER}]+(?:[A-Z][{_LOWER}]+)?(?:-[A-Z][{_LOWER}]+)?"
_NAME_WORD = rf"[{_UPPER}]{_NAME_WORD_REST}"

# Capitalised words that are never taken for a name or surname: the words of a sentence,
# the days and months, and the words of the NHS and its staff ("Nurse Practitioner").
_NOT_NAMES = frozenset(
    """
    a an and are as at be but by for from had has have he her here his how i if in is it its
    me my no not of on or our she so than that the their them then there these they this
    those to too up us was we were what when where which who why will with yes you your
    hi hello dear thanks thank please sorry also just very really after before during since
    until while because although however overall everyone everybody everything nothing
    without yesterday today tonight tomorrow lovely sadly unfortunately luckily hopefully
    someone anyone all some one two three both each every never always only even still
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    nhs ambulance hospital surgery clinic bay unit centre center pharmacy pharmacist
    doctor doctors nurse nurses sister matron midwife midwives paramedic paramedics
    consultant consultants registrar practitioner practitioners specialist associate
    assistant manager managers team reception receptionist receptionists triage emergency
    department urgent care mental health crisis social services service council trust
    board healthcare visitor visitors worker workers support carer carers physio
    physiotherapist therapist therapy occupational dentist dental optician security police
    covid coronavirus christmas easter english british locum junior senior head charge
    staff student agency community district lead duty night day led on-call who
    discharge outpatients outpatient inpatient patient patients appointment appointments
    mum mom mother dad father nan nana nanna gran granny grandma grandad granddad grandpa
    auntie aunty aunt uncle husband wife son daughter brother sister men women
    regards signed sincerely yours best wishes cheers love kind warm many lots
    """.split()  # noqa: SIM905
)

# Words that, straight after a name, show it is part of the name of a place or service:
# "Alexandra Hospital", "Mary Stevens Hospice", "Florence Nightingale Unit".
_PLACE_AFTER = frozenset(
    """
    hospital hospitals hospice centre center surgery practice clinic unit infirmary road
    avenue trust school college university pharmacy library memorial gardens crescent
    terrace station suite wing building department medical health foundation academy
    """.split()  # noqa: SIM905
)
# Words that, straight before a name, show it is part of the name of a place or a
# royal: "St Mary's", "Queen Elizabeth", "Princess Royal".
_PLACE_BEFORE = frozenset("st saint queen king prince princess duke duchess port fort mount".split())  # noqa: SIM905

# Common first names in England, from the most given names of recent generations and of
# the older people who give much of the feedback. Names that are also ordinary English
# words (Will, Hope, Grace, Mark, Rose, Holly, Jack, Frank, Robin and the like) are left
# out, as are names that are also places or hospitals here (Dudley, Florence, Victoria,
# Russell, Stanley), because they appear capitalised in feedback far more often as words
# or places than as people. Titles and introductions ("my name is") still catch them.
_COMMON_FIRST_NAMES = frozenset(
    """
    Aaliyah Aaron Abdul Abdullah Abigail Ada Adam Adrian Agnieszka Ahmed Aisha Alan Albert
    Alex Alexander Alexandra Alfie Ali Alice Alison Alistair Amanda Amelia Amir Amira Amy
    Andrea Andrew Andy Angela Anita Ann Anna Anne Annie Anthony Aoife Archie Arjun Arthur
    Ava Ayesha Barbara Barry Beatrice Becky Ben Benjamin Bernard Beth Bethany Beverley
    Bilal Brenda Brian Bridget Callum Caroline Catherine Charles Charlie Charlotte Chloe
    Chris Christine Christopher Claire Clare Clive Colin Connor Craig Cyril Daniel Danny
    Darren Dave David Debbie Deborah Declan Denise Dennis Derek Diane Dominic Donna Doreen
    Dorothy Douglas Duncan Dylan Edward Eileen Elaine Eleanor Elizabeth Ella Ellie Elliot
    Emily Emma Eric Erin Esther Ethan Evelyn Evie Fatima Finley Fiona Freddie Freya Gareth
    Gary Gemma Geoffrey George Gerald Gillian Gladys Gordon Graham Gurpreet Hamza Hannah
    Harjit Harriet Harrison Harry Harvey Hassan Helen Henry Howard Hugh Hussain Ian
    Ibrahim Imran Irene Isaac Isabella Isabelle Isla Jacob Jacqueline Jake James Jamie
    Jane Janet Janice Jason Jaspreet Jeffrey Jennifer Jenny Jeremy Jessica Jim Jimmy Jo
    Joan Joanne Joe John Jonathan Joseph Josephine Joshua Joyce Judith Julia Julian Julie
    Kai Kamal Karen Kate Kathleen Katie Kayleigh Keith Kelly Kenneth Kerry Kevin Khadija
    Kieran Kim Kirsty Kwame Laura Lauren Leah Leanne Lee Leila Leo Leon Leonard Lesley
    Lewis Liam Linda Lisa Logan Lorraine Louis Louise Lucy Luke Lynn Lynne Maisie Malcolm
    Mandy Margaret Maria Marie Marion Martha Martin Mary Maryam Matthew Maureen Megan
    Melanie Mia Michael Michelle Mildred Millie Mohammad Mohammed Molly Muhammad Muriel
    Nadia Nancy Naomi Natalie Nathan Neil Niamh Nicholas Nicola Nigel Nina Noah Norma
    Oliver Olivia Omar Oscar Owen Paige Pamela Parveen Patricia Patrick Paul Paula Pauline
    Peter Philip Phoebe Piotr Priya Rachel Rajesh Ravi Raymond Rebecca Reece Rhys Richard
    Riley Rita Robert Roger Ronald Rosie Ross Roy Ruth Ryan Sally Samantha Samuel Sandra
    Sanjay Sara Sarah Scott Sean Shabana Sharon Sheila Shirley Sian Simon Siobhan Sophia
    Sophie Stacey Stephanie Stephen Steven Stuart Susan Suzanne Sylvia Tanya Tariq Terence
    Teresa Terry Theo Theresa Thomas Timothy Toby Tom Tomasz Tony Tracey Tracy Trevor
    Tunde Tyler Valerie Vanessa Vera Vincent Wayne Wendy William Yasmin Yusuf Yvonne
    Zainab Zara Zoe
    """.split()  # noqa: SIM905
)

# Titles written in full, or in lower case, are never followed by a full stop: "waited for
# the nurse. Case closed" is two sentences. Only the abbreviations may be ("Dr. Patel").
_ABBREVIATED_TITLES = ("Mrs", "Mr", "Ms", "Mx", "Dr", "Prof", "dr")
_FULL_TITLES = ("Miss", "Doctor", "Nurse", "Sister", "Professor", "Matron", "doctor", "nurse", "matron")


def _title_pattern() -> str:
    """The titles, grouped by their first letter, which is taken before the look-behind
    (for speed, as above), then the rest of each title that starts with it."""
    endings: dict[str, list[str]] = {}
    for title in _ABBREVIATED_TITLES:
        endings.setdefault(title[0], []).append(title[1:] + r"\.?")
    for title in _FULL_TITLES:
        endings.setdefault(title[0], []).append(title[1:])
    return (
        "(?:"
        + "|".join(rf"{letter}(?<![\w\]]{letter})(?:{'|'.join(rest)})" for letter, rest in endings.items())
        + ")"
    )


# The titles written with a capital, each as _CAPITALISED_QUICK finds it (a title is
# followed by a full stop or a space, so that no lower-case letter runs on from it); and a
# quick look for a title in lower case with a capitalised word after it, as _TITLED_NAME
# wants.
_CAPITALISED_TITLES = frozenset(title for title in _ABBREVIATED_TITLES + _FULL_TITLES if title[0].isupper())
_LOWER_CASE_TITLE_WORDS = tuple(title for title in _ABBREVIATED_TITLES + _FULL_TITLES if title[0].islower())
_LOWER_CASE_TITLES = tuple(
    (title, re.compile(rf"{title}\.?[ \t]{{1,2}}[A-Z]"))
    for title in _ABBREVIATED_TITLES + _FULL_TITLES
    if title[0].islower()
)


def _may_hold_a_title(text: str, capitalised: list[str]) -> bool:
    """Whether _TITLED_NAME may find a title with a name in `text`, whose capitalised words
    are `capitalised`. A title in lower case ("nurse") is often a word, not a title, so the
    capital after it is looked for too: each pattern starts with the title, which the
    engine finds quickly."""
    if not _CAPITALISED_TITLES.isdisjoint(capitalised):
        return True
    for title, pattern in _LOWER_CASE_TITLES:  # noqa: SIM110 - a loop is quicker than any()
        if title in text and pattern.search(text) is not None:
            return True
    return False


# A title, an optional initial ("Dr A. Patel"), then one or two name words.
_TITLED_NAME = re.compile(
    rf"{_title_pattern()}[ \t]{{1,2}}(?:[A-Z]\.?[ \t]{{1,2}})?"
    rf"(?P<first>{_NAME_WORD})(?:[ \t]{{1,2}}(?P<second>{_NAME_WORD}))?(?![\w\[])"
)


# Surnames that are also words of _NOT_NAMES: after a capitalised title, and capitalised
# themselves, they are the name ("Dr Day", "Mrs May", "Mr Head"), where after a lower-case
# one they are the word ("the doctor may see you", "a nurse day").
_SURNAMES_ALSO_WORDS = frozenset("day may june march head love best kind".split())  # noqa: SIM905


def _titled_name(match: re.Match[str]) -> _Kept:
    """A title with a name: "Dr Patel", "Nurse Jo Smith". A role that follows a title
    ("Nurse Practitioner") is not a name; a second word that is not a name is given back."""
    first = match.group("first")
    surname_also_a_word = (
        first.lower() in _SURNAMES_ALSO_WORDS and first[0].isupper() and match.group(0)[0].isupper()
    )
    if first.lower() in _NOT_NAMES and not surname_also_a_word:
        return None
    second = match.group("second")
    if second is not None and (second.lower() in _NOT_NAMES or second.lower() in _PLACE_AFTER):
        return ("", match.string[match.end("first") : match.end()])
    return _KEEP_NOTHING


# A title with a listed name written in lower case: "dr banerjee", "Nurse patel". Only a
# listed name: after a title in lower case most words are words ("the dr said").
_TITLED_LOWER_CASE_NAME = re.compile(
    rf"{_title_pattern()}[ \t]{{1,2}}(?P<first>[a-z][{_LOWER}]+)(?![\w\[-])"
    rf"(?:[ \t](?P<second>[a-z][{_LOWER}]+)(?![\w\[-]))?"
)


def _lower_case_listed(word: str) -> bool:
    listed = word.title()
    return listed in _LISTED and listed not in WORD_NAMES and word not in _NOT_NAMES


def _titled_lower_case_name(match: re.Match[str]) -> _Kept:
    if not _lower_case_listed(match.group("first")):
        return None
    second = match.group("second")
    if second is not None and not _lower_case_listed(second):
        return ("", match.string[match.end("first") : match.end()])  # "dr singh said"
    return _KEEP_NOTHING


_INTRODUCED_NAME = re.compile(
    "(?P<cue>"
    + _from_first_letter(
        (
            r"name\s{1,3}(?:is|was)",
            r"my\s{1,3}name['\u2019]s",
            r"i\s{1,3}am\s{1,3}called",
            r"i['\u2019]m\s{1,3}called",
            "called",
            "named",
        )
    )
    + r")[ \t]{1,2}"
    rf"(?P<first>{_NAME_WORD})(?:[ \t]{{1,2}}(?P<second>{_NAME_WORD}))?(?![\w\[])"
)
# "I called Dudley Council" is a telephone call, and "a service called Talking Therapies"
# names a thing, not a person: after these words, "called" or "named" introduces no one.
_NOT_INTRODUCING = frozenset(
    """
    i we they you he she who then and also just already never finally eventually have had
    service services app group charity scheme programme website site place clinic centre
    something thing team ward unit company organisation project campaign course class
    book leaflet drug medicine tablet condition disease syndrome
    """.split()  # noqa: SIM905
)
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)['\u2019.]?[ \t]{1,3}$")
_NEXT_WORD = re.compile(r"[ \t]{1,2}([A-Z][a-z]+)")


def _introduced_name(match: re.Match[str]) -> _Kept:
    first, second = match.group("first"), match.group("second")
    if first.lower() in _NOT_NAMES or first.lower() in _PLACE_AFTER:
        return None
    if second is not None and second.lower() in _PLACE_AFTER:
        return None  # "called Dudley Council"
    if match.group("cue").lower() in {"called", "named"}:
        before = _PREVIOUS_WORD.search(match.string, max(0, match.start() - 16), match.start())
        if before is not None and before.group(1).lower() in _NOT_INTRODUCING:
            return None
    cue = match.string[match.start() : match.start("first")]  # kept: "my name is "
    if second is not None and second.lower() in _NOT_NAMES:
        return (cue, match.string[match.end("first") : match.end()])
    return (cue, "")


def _read_names(file_name: str) -> frozenset[str]:
    """A list of names shipped beside this module (textkit/data/README.md says whence)."""
    return frozenset(
        (Path(__file__).resolve().parent / "data" / file_name).read_text(encoding="utf-8").split()
    )


# First names: the common names above, and about 4,900 more given in England (British,
# Irish, South Asian, African, European), from the Faker package's lists with everyday
# words left out (textkit/data/README.md). Surnames likewise, without those that are
# also first names.
FIRST_NAMES = _COMMON_FIRST_NAMES | _read_names("first_names.txt")
SURNAMES = _read_names("surnames.txt")
# Names that are also everyday words, or places here: a name only where the sentence
# says that a person is meant ("my wife June", "Thanks, Robin", "Will in the pharmacy").
WORD_NAMES = frozenset(
    """
    Will Mark Jack Grace Hope Joy Faith Holly Rose Amber Dawn June April May Robin Frank
    Bill Pat Sue Summer Heather Hazel Jade Jasmine Ivy Iris Daisy Penny Precious Blessing
    Patience Comfort Charity Victoria Florence Stanley Russell Dudley Max Ray Guy Grant Dale
    Rosemary Sky Jan Rich Rusty Sandy Carl Art Crystal Destiny Ruby Pearl Violet Poppy
    Autumn Sunny Angel Lily Willow Star Hunter
    """.split()  # noqa: SIM905
)
# Surnames that name hospitals, hospices and charities after a person: "John Radcliffe",
# "Marie Curie nurse". A first name before one of these is part of the place's name.
_EPONYMS = frozenset("radcliffe curie nightingale ryder seacole eliot stopes peel cavell".split())  # noqa: SIM905


# A name from the lists. The lists are written into one pattern as a tree of letters
# ("Ann", "Anna", "Anne" become "Ann(?:a|e)?"), so that the pattern engine, not Python,
# checks each capitalised word against them.
_Tree = dict[str, "_Tree"]


def _letter_tree(words: frozenset[str]) -> _Tree:
    tree: _Tree = {}
    for word in words:
        node = tree
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}  # a word may end here
    return tree


def _tree_pattern(node: _Tree) -> str:
    branches = [re.escape(letter) + _tree_pattern(child) for letter, child in sorted(node.items()) if letter]
    if not branches:
        return ""
    pattern = f"(?:{'|'.join(branches)})"
    return pattern + "?" if "" in node else pattern


def _words_pattern(words: frozenset[str]) -> str:
    """The words as one pattern, each from its first letter (taken before the look-behind,
    for speed), not glued to a word or a marker before it."""
    return (
        "(?:"
        + "|".join(
            rf"{re.escape(letter)}(?<![\w\]'\u2019-]{re.escape(letter)}){_tree_pattern(child)}"
            for letter, child in sorted(_letter_tree(words).items())
        )
        + ")"
    )


_LISTED = FIRST_NAMES | SURNAMES
_SURNAMES_TOO = SURNAMES | frozenset(
    "Campbell Morgan Thomas James Lewis Owen Rhys Ellis Grant Howard Russell Murray Stewart Scott".split()  # noqa: SIM905
)
# A capitalised word, each checked against the lists in Python: with thousands of names,
# a set is quicker than one pattern holding them all. Most comments hold no listed name,
# and a comment is passed over as soon as that is known.
_CAPITALISED = re.compile(
    rf"[{_UPPER}](?<![\w\]'\u2019-][{_UPPER}])[{_LOWER}]+(?:['\u2019][A-Z][{_LOWER}]+)?"
    r"(?![\w\[]|['\u2019][A-Za-z]{2}|-[a-z])"
)
_SURNAME = re.compile(rf"[ \t]{{1,2}}({_NAME_WORD})(?![\w\[])")
_HYPHENED = re.compile(r"-[A-Z][a-z]+(?![\w\[])")
_PREVIOUS_NAME_WORD = re.compile(
    rf"(?:(?<=[^\w\]'\u2019-])|^)({_NAME_WORD}|(?:[A-Z]\.[ \t]?){{1,3}})[ \t]{{1,2}}$"
)


# For the quick look only: words glued to others are looked at properly afterwards.
_CAPITALISED_QUICK = re.compile(rf"[{_UPPER}][{_LOWER}]+")


def _as_listed(text: str, *, shouted: bool) -> tuple[str, bool]:
    """The text as the lists are looked up in, letter for letter, so that what is found
    in it is where it stands in `text`; and whether it was title-cased. Shouted, each word
    as if capitalised; accented, without its accents, as the lists hold most names
    ("Siobh\u00e1n" as "Siobhan", "Zo\u00eb" as "Zoe")."""
    read = text
    if shouted and len(title := text.title()) == len(text):
        read = title
    titled = read is not text
    if not read.isascii():
        read = read.translate(_PLAIN_LETTERS)
    return read, titled


def _listed_names(
    text: str,
    found: dict[str, int],
    trace: _Trace | None,
    *,
    shouted: bool = False,
    capitalised: list[str] | None = None,
) -> str:
    """Replace names from the lists: a first name with the surnames after it ("Sarah",
    "Sarah Jones", "Gurdeep Singh Bains", "Mary-Kate"), and a listed surname after a
    capitalised word or initials ("Nkechi Obi", "M. Khan"), wherever they stand, unless
    they are part of the name of a place ("Alexandra Hospital", "St Mary's").

    A comment written all in capitals (`shouted`: "JOHN SMITH ON WARD 12", as it came,
    before markers went in) is read as if each word were capitalised, which is how its names are then found; what is kept is as written.

    `capitalised` is `_CAPITALISED_QUICK.findall(text)` where the caller has it already.
    """
    read, titled = _as_listed(text, shouted=shouted)
    if read is not text:
        capitalised = None
    if _LISTED.isdisjoint(_CAPITALISED_QUICK.findall(read) if capitalised is None else capitalised):
        return text
    pieces: list[str] = []
    kept_up_to = 0
    for name in _CAPITALISED.finditer(read):
        start, end = name.span()
        word = name.group(0)
        if start < kept_up_to or word not in _LISTED:
            continue  # not listed, or taken already as the surname of the name before
        if (hyphened := _HYPHENED.match(read, end)) is not None:
            end = hyphened.end()
        start = _name_start(read, start, word, kept_up_to=kept_up_to, titled=titled)
        if start < 0:
            continue
        end = _name_end(read, end, listed_only=titled)
        if end < 0 or _names_a_place(read, start, end):
            continue
        pieces.append(text[kept_up_to:start])
        pieces.append(MARKERS["name"])
        kept_up_to = end
        found["name"] = found.get("name", 0) + 1
        if trace is not None:
            trace.replaced(start, end, "name")
    if not pieces:
        return text
    pieces.append(text[kept_up_to:])
    if trace is not None:
        trace.pass_done()
    return "".join(pieces)


def _name_start(read: str, start: int, word: str, *, kept_up_to: int, titled: bool) -> int:
    """Where the name whose listed `word` starts at `start` starts: earlier where a word
    before it is the name's first; -1 where a surname has no first name or initials."""
    before = _PREVIOUS_NAME_WORD.search(read, max(kept_up_to, start - 24), start)
    if word not in FIRST_NAMES or word in _SURNAMES_TOO:
        # A surname: the capitalised word or initials before it start the name
        # ("Nkechi Obi", "M. Khan", "Hyacinth Campbell").
        if before is not None and _may_start_a_name(read, before.start(1), before.group(1)):
            return before.start(1)
        return start if word in FIRST_NAMES else -1
    if (
        not titled
        and before is not None
        and "." not in before.group(1)  # "A&E. Sarah": no initial before a first name
        and _may_start_a_name(read, before.start(1), before.group(1))
        and not _opens_a_sentence(read, before.start(1))
    ):
        # A listed first name that is also a surname ("Alhaji Bello", "Faadumo Ali"):
        # an unlisted capitalised word before it, inside a sentence, is the first name.
        # (At a sentence's start that word is too often an ordinary one, "Yesterday
        # Sarah came", and in a comment in capitals every word looks capitalised.)
        return before.start(1)
    return start


def _name_end(read: str, end: int, *, listed_only: bool) -> int:
    """Where a name that reaches `end` ends, with up to two surnames after it ("Gurdeep
    Singh Bains"); -1 where the next word shows it names a place ("John Radcliffe")."""
    for _ in range(2):
        surname = _SURNAME.match(read, end)
        if surname is None:
            break
        written = surname.group(1)
        if written.lower() in _EPONYMS:
            return -1
        if (listed_only and written not in _LISTED) or not _is_surname(written):
            break
        end = surname.end()
    return end


def _may_start_a_name(text: str, start: int, written: str) -> bool:
    """Whether a capitalised word (or initials) before a surname is the name's start."""
    word = written.rstrip(". ")
    if "." in written:
        return True
    if not _is_surname(word) or word.lower() in _PLACE_BEFORE or word.lower() in _NOT_STREET_WORDS:
        return False
    before = _PREVIOUS_WORD.search(text, max(0, start - 16), start)
    return before is None or before.group(1).lower() not in _PLACE_BEFORE


_SENTENCE_END = frozenset('.!?\n\t:;("\u201c')


def _opens_a_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens the text, a sentence, a line or a bracket."""
    before = text[max(0, start - 8) : start].rstrip(" ")
    return not before or before[-1] in _SENTENCE_END


def _is_surname(word: str) -> bool:
    lowered = word.lower()
    return lowered not in _NOT_NAMES and lowered not in _PLACE_AFTER


def _names_a_place(text: str, start: int, end: int) -> bool:
    following = _NEXT_WORD.match(text, end)
    if following is not None and following.group(1).lower() in _PLACE_AFTER:
        return True
    before = _PREVIOUS_WORD.search(text, max(0, start - 16), start)
    return before is not None and before.group(1).lower() in _PLACE_BEFORE


# --- Names that the sentence points to -----------------------------------------------------
# Names that are in no list, or are also words, are found by what comes before them: a
# relation ("my son Alfie", "my dad, Stanley Ward"), a sign-off ("Regards, Ann", "Signed,
# M. Khan"), thanks ("Thanks to Kofi", "Thank you Precious"), "seen by", "I'm", or a role in
# lower case ("nurse sarah"). The word after the cue is a name if it is capitalised and not
# a word of the NHS or of a sentence, or, in lower case, if it is a listed name.
_RELATION_WORDS = frozenset(
    """
    son daughter wife husband partner mum mom mother dad father brother sister nan nana gran
    granny grandma grandmother grandad granddad grandfather grandson granddaughter grandchild
    aunt auntie uncle niece nephew cousin friend neighbour carer boy girl baby fiance fiancee
    keyworker cpn twins mate step-dad step-mum stepdad stepmum stepson stepdaughter
    """.split()  # noqa: SIM905
)
# Written as a tree of letters, as the names are, so that the engine does not try forty
# words one after another at each "my".
_RELATION = (
    r"(?:(?:little|baby|eldest|youngest|oldest|twin|best|late|older|younger|elder|new|step-?)\s{1,2})?"
    rf"(?:{_tree_pattern(_letter_tree(_RELATION_WORDS))}|key\s?worker|social\s+worker|support\s+worker)"
)
_SIGN_OFF_WORDS = frozenset(
    "regards wishes thanks thank cheers love yours sincerely signed best from".split()  # noqa: SIM905
)
_SIGN_OFF = (
    r"(?:(?:kind|best|warm|many|lots\s+of)\s+)?"
    + _tree_pattern(_letter_tree(_SIGN_OFF_WORDS))
    + r"(?:\s+(?:you|again|from|sincerely|faithfully))?|x{1,3}|-{1,2}"
)
# How a sign-off can start, in lower case: for a quick look before _SIGN_OFF_NAME.
_SIGN_OFF_OPENINGS = ("kind", "best", "warm", "many", "lots", *sorted(_SIGN_OFF_WORDS), "x", "-")
# (A run of spaces before a word is taken whole, "{1,2}+": giving a space back cannot help
# a pattern that wants a letter next, and the engine no longer tries it.)
_CUED_TAIL = (
    rf"[ \t]{{1,2}}+(?P<name>(?:[A-Z]\.[ \t]?){{0,3}}[{_UPPER}{_LOWER}][{_LOWER}'\u2019]+(?:-[A-Z][{_LOWER}]+)?)"
    rf"(?![\w\[])(?:[ \t]{{1,2}}+(?P<surname>{_NAME_WORD})(?![\w\[]))?"
)
# Each kind of cue is a pattern of its own, tried only where a quick look finds its words.
_RELATION_NAME = re.compile(
    r"(?P<cue>[MmOoHh](?<![\w\]][MmOoHh])(?:y|Y|ur|UR|er|ER|is|IS)\s{1,2}+"
    rf"(?i:{_RELATION})(?:\s{{1,2}}(?i:is|was)\s{{1,2}}(?i:called|named))?,?)" + _CUED_TAIL
)
# A sign-off opens the text or a sentence or line: two patterns, one from the start of the
# text and one from a full stop or a new line, which the engine finds quickly.
# After a sign-off the name may stand on the next line ("Regards,\nK. Nowicki"), as letters
# and emails have it; it must then end its line (see _AFTER_SIGN_OFF), so "Thanks\nThe
# ward was great" is no name.
_SIGN_OFF_TAIL = _CUED_TAIL.replace(r"[ \t]{1,2}+(?P<name>", r"(?:[ \t]{1,2}+|[ \t]*+\n[ \t]*+)(?P<name>", 1)
_SIGN_OFF_NAME = re.compile(rf"\A(?P<cue>[ \t]*+(?i:{_SIGN_OFF})[,:]?)" + _SIGN_OFF_TAIL)
_THANKS = (
    r"thanks\s+to",
    r"thank\s+you\s+to",
    r"thank\s+you",
    "thank",
    "thanks",
    r"shout\s*out\s+to",
    r"mention\s+for",
    "especially",
    "particularly",
    "give",
    "tell",
    r"ask\s+for",
    r"praise\s+for",
)
_THANKS_NAME = re.compile(rf"(?P<cue>{_from_first_letter(_THANKS)})" + _CUED_TAIL)
# The words that _THANKS start with, for _word_starts ("thank" finds "thanks" too).
_THANKS_WORDS = tuple(
    sorted(
        word
        for word in {re.split(r"[\\(]", cue)[0] for cue in _THANKS}
        if not any(word != other and word.startswith(other) for other in _THANKS)
    )
)
# "seen by", "looked after by": found from "by", the word before it read afterwards.
_BY_NAME = re.compile(r"(?P<cue>b(?<![\w\]]b)y)" + _CUED_TAIL)
_BY_VERBS = re.compile(
    r"(?i:seen|helped|met|treated|visited|supported|examined|done|after|for|phoned|rung|on|greeted"
    r"|assessed|looked\s+after|cared\s+for)\s{1,2}$"
)
_SELF_NAME = re.compile(r"(?P<cue>I(?<![\w\]]I)(?:['\u2019]m|\s{1,2}am))" + _CUED_TAIL)
# "It was Hope who found me a bed": a capitalised word that "who" follows is a person.
_CLEFT_NAME = re.compile(
    r"(?P<cue>[Ii](?<![\w\]][Ii])t(?:[ \t]{1,2}(?:was|is)|['\u2019]s)[ \t]{1,2}+)"
    rf"(?P<name>{_NAME_WORD})(?=[ \t]{{1,2}}who\b)"
)
_SIGN_OFF_CUE = re.compile(rf"[ \t]*(?i:{_SIGN_OFF})[,:]?$")
_AFTER_SIGN_OFF = re.compile(r"[ \t]*(?:[-,.!)(]|x{1,3}\b|$|\n)")
_FOLLOWING_NAME_WORD = re.compile(rf"[ \t]{{1,2}}({_NAME_WORD})(?![\w\[])")


def _cued_name(match: re.Match[str]) -> _Kept:
    cue, written = match.group("cue"), match.group("name")
    word = written.split(".")[-1].strip() or written
    # Most words after a cue are in lower case and not a listed name ("my mum said"), so
    # that is asked first. (The words of WORD_NAMES are capitalised.)
    if word[0].islower() and word.title() not in _LISTED:
        return None
    lowered = word.lower()
    if word in WORD_NAMES and cue[-1] in ",dnrstyeh" and _RELATION_CUE.search(cue) is not None:
        pass  # "my wife June", "my granddaughter April": a month here is a name
    elif lowered in _NOT_NAMES or lowered in _PLACE_AFTER or lowered in _NOT_STREET_WORDS:
        return None
    text = match.string
    end = match.end("name")
    surname = match.group("surname")
    if surname is not None and _is_surname(surname) and surname.lower() not in _EPONYMS:
        end = match.end("surname")
    if _NEXT_DIGIT.match(text, end) or _names_a_place(text, match.start("name"), end):
        return None
    if _SIGN_OFF_CUE.fullmatch(cue.lstrip(".!?\n")) and not _AFTER_SIGN_OFF.match(text, end):
        return None  # "Thanks for", "Best GP surgery": not a sign-off with a name
    if cue == "by" and not _BY_VERBS.search(text, max(0, match.start() - 16), match.start()):
        return None
    return (text[match.start() : match.start("name")], text[end : match.end()])


_RELATION_CUE = re.compile(rf"(?i:{_RELATION}),?$")
_NEXT_DIGIT = re.compile(r"[ \t]{0,2}[0-9]")

# An unlisted name opening a sentence, where the sentence puts a person in a team, a place
# of work or a role: "Ffion from the diabetes team", "Thandiwe in radiology", "Tayo the
# pharmacist". The word must not read as an ordinary English word by its ending
# ("Parking", "Nurses", "Communication").
_TEAMS = (
    r"(?:team|teams|ward|surgery|practice|clinic|reception|radiology|pharmacy|desk|phone|line|shift"
    r"|unit|office|lounge|department|service|hospital|hospice|hub|centre|group|club|day\s+centre|night\s+shift)"
)
_ROLES = (
    r"(?:porter|pharmacist|physio|physiotherapist|nurse|doctor|receptionist|carer|midwife|cleaner"
    r"|volunteer|consultant|surgeon|paramedic|driver|manager|therapist|chaplain|interpreter|student"
    r"|assistant|hca|sister|matron|gp|dentist|optician|dietitian|counsellor|psychiatrist"
    r"|psychologist|registrar|radiographer|sonographer|practitioner|visitor|worker|keyworker)"
)
# "the healthcare assistant", "the student nurse": a role, with a word before it or not.
_THE_ROLE = rf"the[ \t]{{1,2}}(?:[a-z]+[ \t]{{1,2}})?{_ROLES}"
# "is my mum's carer", "was our neighbour": a person, by what they are to the writer.
_IS_SOMEONES = (
    r"(?:is|was)[ \t]{1,2}(?:my|our|his|her|their)[ \t]{1,2}"
    rf"(?:[a-z]+['\u2019]s[ \t]{{1,2}})?(?:{_RELATION}|{_ROLES})"
)
_OPENING_CONTEXT = (
    r"(?![\w\[])(?=[ \t]{1,2}(?:(?:from|in|on|at)[ \t]{1,2}(?:the[ \t]{1,2})?"
    rf"(?:[A-Za-z]+[ \t]{{1,2}}){{0,2}}{_TEAMS}|{_THE_ROLE}|{_IS_SOMEONES})\b)"
)
_OPENING_LEAD = " \t\"'(\u201c"
# The name may have its surname with it: "Bartholomew Quince is my neighbour".
_OPENING_WORDS = rf"(?P<opening>{_NAME_WORD})(?:[ \t]{{1,2}}(?P<opening_surname>{_NAME_WORD}))?"
_OPENING_NAME = re.compile(rf"\A[{_OPENING_LEAD}]*+{_OPENING_WORDS}" + _OPENING_CONTEXT)
# After a full stop or a new line, a sign-off with a name, or a name as above, in one
# pattern: each costs a look at every sentence.
_NEXT_SENTENCE_NAME = re.compile(
    rf"[.!?\n](?:(?P<cue>[ \t]*+(?i:{_SIGN_OFF})[,:]?){_SIGN_OFF_TAIL}"
    rf"|[ \t\"'(\u201c]*+{_OPENING_WORDS}{_OPENING_CONTEXT})"
)


# A name and, after a comma, the person's role: "Hope, the student midwife", "Dev, our
# physio". Anywhere in a sentence; names that are also words included.
_NAME_THEN_ROLE = re.compile(
    rf"(?P<name>[{_UPPER}](?<![\w\]'\u2019-][{_UPPER}]){_NAME_WORD_REST}),[ \t]{{1,2}}"
    rf"(?=(?:the|our|my)[ \t]{{1,2}}(?:[a-z]+[ \t]{{1,2}})?{_ROLES}\b)"
)


def _name_then_role(match: re.Match[str]) -> _Kept:
    if _never_an_opening_name(match.group("name")):
        return None  # "Afterwards, the nurse", "Overall, the doctor"
    return ("", match.string[match.end("name") : match.end()])


def _cleft_name(match: re.Match[str]) -> _Kept:
    if _never_an_opening_name(match.group("name")):
        return None  # "It was Reception who rang", "It was Nobody who"
    return (match.string[match.start() : match.start("name")], "")


# A family by its surname: "the Henderson family", "the Sandhus". A capitalised word
# before "family" (or "household", "twins") is a surname unless it is a word of the NHS or
# a place; a plural is a surname only where the name is listed ("the Samaritans" is not).
_FAMILY_NAME = re.compile(
    # (From "he", which the engine finds by its letters; the "t" before it is checked after.)
    rf"(?P<cue>he[ \t]{{1,2}})(?P<name>{_NAME_WORD})"
    r"(?=[ \t]{1,2}(?:family|families|household|twins|brothers|sisters)(?![\w\[])|(?<=s)(?![\w\[]))"
)
_FAMILY_WORD = re.compile(r"[ \t]{1,2}(?:family|families|household|twins|brothers|sisters)(?![\w\[])")


def _family_name(match: re.Match[str]) -> _Kept:
    start, text = match.start(), match.string
    if (
        start < 1
        or text[start - 1] not in "Tt"
        or (start > 1 and (text[start - 2].isalnum() or text[start - 2] in "_]"))
    ):
        return None  # "he" not in "the", or "the" glued to a word before it
    written = match.group("name")
    if _FAMILY_WORD.match(match.string, match.end()) is None:
        # A plural: "the Sandhus", "the Joneses".
        stem = written[:-2] if written.endswith("es") and written[:-2] in _LISTED else written[:-1]
        if stem not in _LISTED or stem in WORD_NAMES:
            return None
    elif not _is_surname(written) or written.lower() in _NOT_STREET_WORDS or written in WORD_NAMES:
        return None
    return (match.group("cue"), "")


def _next_sentence_name(match: re.Match[str]) -> _Kept:
    if match.group("opening") is None:
        return _cued_name(match)
    return _opening_name(match)


_WORD_ENDINGS = (
    "ing",
    "s",
    "ed",
    "ly",
    "tion",
    "ment",
    "ness",
    "ity",
    "ance",
    "ence",
    "al",
    "ful",
    "ive",
    "ic",
)


def _opening_name(match: re.Match[str]) -> _Kept:
    group = "opening"
    if _never_an_opening_name(match.group(group)):
        return None
    surname = match.group("opening_surname")
    if surname is not None and (
        not _is_surname(surname)
        or _names_a_place(match.string, match.start(group), match.end("opening_surname"))
    ):
        return None  # "Grace Hospital is my nearest", "Ward Manager is my..."
    return (match.string[match.start() : match.start(group)], "")


def _never_an_opening_name(word: str) -> bool:
    """Whether a capitalised word that opens a sentence before a team, a place or a role
    is never a name: a word of a sentence or of the NHS, or one that reads as an ordinary
    English word by its ending. A name that is also a word is one here ("Will in the
    pharmacy", "Mark on reception")."""
    if word in WORD_NAMES:
        return False
    lowered = word.lower()
    return (
        lowered in _NOT_NAMES
        or lowered in _PLACE_AFTER
        or lowered in _NOT_STREET_WORDS
        or lowered in _NOT_OPENING
        or lowered.endswith(_WORD_ENDINGS)
    )


_NOT_OPENING = frozenset(
    """
    help advice food transport information everyone nobody somebody people treatment care
    staff access waiting booking communication admin parking signage cleanliness follow
    later soon again afterwards anyway instead otherwise meanwhile noise wifi heating
    """.split()  # noqa: SIM905
)


# Names in a list with a name already found: "[name], Eleni and Beatriz", "Zofia, Ibrahim
# and [name]". Looked for only where a name was found, and again until none is added.
_LIST_GAP = r"(?:,[ \t]{1,2}|[ \t]{1,2}(?:and|&)[ \t]{1,2}|,[ \t]{1,2}and[ \t]{1,2})"
_NAME_AFTER_NAME = re.compile(
    rf"\[name\]{_LIST_GAP}(?P<name>{_NAME_WORD})(?:[ \t]{{1,2}}(?P<surname>{_NAME_WORD}))?(?![\w\[])"
)
_NAME_BEFORE_NAME = re.compile(
    rf"(?P<name>[A-Z](?<![\w\]'\u2019-][A-Z]){_NAME_WORD_REST}){_LIST_GAP}(?=\[name\])"
)


_SAINT = frozenset({"St", "Saint"})
# "Mary's Hospice": a capitalised word owning a place's name is not a surname.
_POSSESSIVE_PLACE = re.compile(r"['\u2019]s[ \t]{1,2}[A-Z]")


def _listed_with_a_name(match: re.Match[str]) -> _Kept:
    written = match.group("name")
    start, end = match.span("name")
    if not _is_surname(written) or written.lower() in _NOT_STREET_WORDS or written in _SAINT:
        return None  # "[name] and St Mary's Hospice": a saint names a place here
    # "[name] and Pat Coley": the name's surname goes with it, unless it is a word of a
    # sentence or of a place ("[name] and Jo Hospital", "[name] and Mary's Hospice").
    surname = match.groupdict().get("surname")
    if (
        surname is not None
        and _is_surname(surname)
        and surname.lower() not in _NOT_STREET_WORDS
        and not _POSSESSIVE_PLACE.match(match.string, match.end("surname"))
    ):
        end = match.end("surname")
    if _NEXT_DIGIT.match(match.string, end) or _names_a_place(match.string, start, end):
        return None
    return (match.string[match.start() : start], match.string[end : match.end()])


# A comment written all in lower case ("ann from the surgery rang me"): any listed name.
_LOWER_LISTED = frozenset(name.lower() for name in _LISTED if len(name) >= 3)
_LOWER_WORD = re.compile(rf"[a-z](?<![\w\]'\u2019-][a-z])[{_LOWER}]+(?![\w\[]|['\u2019][a-z]{{2}})")


def _lower_names(text: str, found: dict[str, int], trace: _Trace | None) -> str:
    if _LOWER_LISTED.isdisjoint(_LOWER_WORD.findall(text)):
        return text
    pieces: list[str] = []
    kept_up_to = 0
    for word in _LOWER_WORD.finditer(text):
        if word.group(0) not in _LOWER_LISTED:
            continue
        pieces += [text[kept_up_to : word.start()], MARKERS["name"]]
        kept_up_to = word.end()
        found["name"] = found.get("name", 0) + 1
        if trace is not None:
            trace.replaced(word.start(), word.end(), "name")
    pieces.append(text[kept_up_to:])
    if trace is not None:
        trace.pass_done()
    return "".join(pieces)


_SENTENCE_LEAD = frozenset(" \t\"'(\u201c\u2018-*\u2022")


def _starts_sentence(text: str, start: int) -> bool:
    """Whether a word is the first of its sentence, line or text, looking past quotes,
    brackets and bullet marks."""
    position = start - 1
    while position >= 0 and text[position] in _SENTENCE_LEAD:
        position -= 1
    return position < 0 or text[position] in ".!?\n\r\u2026"
