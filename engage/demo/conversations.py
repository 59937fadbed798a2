"""What people told the Castlebridge partners: the writer of the demo's conversations.

This module is the code; the words are data. The phrase banks are in data/phrases.toml
(read once by phrases.py), who answered in data/respondents.toml and what each activity
hears about in data/activity_plans.toml, so a phrase is changed without touching the
writer.

Texts are composed from curated phrase banks, one bank a theme, written the way people
write on a Friends and Family Test card, a survey or a web form, or the way a volunteer
jots down what was said at a stall: British spelling, from a few words to a few
sentences, kind and angry and both at once ("The nurse was lovely but I waited four
hours"), with the odd typo, no capitals or no full stop, and the "Nothing", "n/a" and
"Did not answer" that fill a real export.

The themes follow the NHS patient experience framework (staff manner, waiting,
appointments and the phone, communication, information, environment, parking and
transport, food, medication, discharge, continuity, mental health, access for disabled
people, carers) and the relational side of care (compassion, empathy, respect,
dignity), plus what people say would make the biggest difference to their health at
the Big Conversation (housing, buses, the cost of living).

A small share of texts hold people's details as they turn up in real feedback: a member
of staff's name, a phone number from Ofcom's drama ranges, an example.org email
address, a full postcode, a date of birth or an NHS number from the 999 test range
whose check digit is valid, so the redaction of later steps has something to find.
None belongs to anyone real.

Who answered is skewed the way feedback is: few people aged 16 to 24, fewer people from
the most deprived districts and from minority ethnic groups than live in the borough.

Everything here is pure Python and draws only from the random.Random it is given, so
one seed always writes the same texts. The writer also says what each comment was
written from (`Writer.write`: its themes, or what a comment on no theme amounts to), so
the demo can label some as a person reviewing them would, without drawing any more.
The Friends and Family Test rating is coded as the national return codes it: 1 very
good, 2 good, 3 neither good nor poor, 4 poor, 5 very poor (none for "don't know").
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal, get_args

from engage.demo import names, phrases, places
from engage.demo.datafiles import DemoDataError, Table, data_file

Sentiment = Literal["positive", "mixed", "negative", "neutral"]
Setting = Literal["hospital", "community", "gp"]
QuestionKind = Literal["experience", "improve", "anything_else"]
# What a comment on no theme amounts to: a non-answer ("n/a", "Did not answer"), praise
# with nothing in particular in it ("Excellent", "Nothing to improve"), or something else
# as general ("It was ok", "Terrible"); "" for a comment on themes.
Gist = Literal["", "non_answer", "praise", "other"]
GISTS: tuple[Gist, ...] = ("non_answer", "praise", "other")

# --- The phrase banks' themes and questions ------------------------------------------------
#
# Read from data/phrases.toml by phrases.py; the generator and the tests name them here,
# with the writer that uses them.

Theme = phrases.Theme
THEMES = phrases.THEMES
WIDER = phrases.WIDER
ALL_THEMES: tuple[Theme, ...] = (*THEMES, WIDER)
THEMES_BY_KEY: dict[str, Theme] = {theme.key: theme for theme in ALL_THEMES}

FFT_EXPERIENCE_QUESTION = phrases.FFT_EXPERIENCE_QUESTION
FFT_IMPROVE_QUESTION = phrases.FFT_IMPROVE_QUESTION
HEALTHWATCH_QUESTION = phrases.HEALTHWATCH_QUESTION
BIG_CONVERSATION_QUESTION = phrases.BIG_CONVERSATION_QUESTION
WEB_FORM_QUESTION = phrases.WEB_FORM_QUESTION
ANYTHING_ELSE_QUESTION = phrases.ANYTHING_ELSE_QUESTION


# --- People's details, as they turn up in feedback ------------------------------------------

DETAIL_SHARE = 0.03
DETAIL_KINDS: tuple[tuple[str, int], ...] = (
    ("staff_name", 34),
    ("nhs_number", 14),
    ("phone", 14),
    ("email", 12),
    ("postcode", 13),
    ("date_of_birth", 13),
)


def nhs_number(rng: random.Random) -> str:
    """Ten digits starting 999, a range never issued to a patient, with a valid
    modulus 11 check digit."""
    while True:
        digits = [9, 9, 9, *(rng.randrange(10) for _ in range(6))]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 10:
            continue
        digits.append(0 if check == 11 else check)
        return "".join(map(str, digits))


def nhs_number_is_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * (10 - i) for i, d in enumerate(digits[:9])) % 11
    if check == 10:
        return False
    return (0 if check == 11 else check) == digits[9]


def _format_nhs(rng: random.Random) -> str:
    number = nhs_number(rng)
    style = rng.random()
    if style < 0.5:
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    if style < 0.85:
        return number
    return f"{number[:3]}-{number[3:6]}-{number[6:]}"


def _date_of_birth(rng: random.Random) -> str:
    year = rng.randint(1932, 2006)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    style = rng.random()
    if style < 0.5:
        return f"{day:02d}/{month:02d}/{year}"
    if style < 0.7:
        return f"{day}/{month}/{year % 100:02d}"
    if style < 0.85:
        return f"{day} {phrases.MONTHS[month - 1]} {year}"
    return f"{day:02d}.{month:02d}.{year}"


def _email(rng: random.Random) -> str:
    given, family = names.pick_name(rng)
    local = re.sub(r"[^a-z]", "", given.lower())
    family_part = re.sub(r"[^a-z]", "", family.lower())
    style = rng.random()
    if style < 0.4:
        local = f"{local}.{family_part}"
    elif style < 0.7:
        local = f"{local}{family_part}{rng.randint(1, 99)}"
    else:
        local = f"{local[:1]}{family_part}{rng.randint(50, 99)}"
    return f"{local}@example.org"


def _detail_sentence(rng: random.Random, kind: str, sentiment: Sentiment, setting: Setting) -> str:
    """A sentence holding one of someone's details. The detail is drawn before the
    sentence it goes in, in the order the demo has always drawn them, so that one seed
    writes the same texts."""
    if kind == "staff_name":
        given, family = names.pick_name(rng)
        role = rng.choice(phrases.STAFF[setting])
        said = phrases.STAFF_NAME_BAD if sentiment == "negative" else phrases.STAFF_NAME_GOOD
        return rng.choice(said).format(given=given, family=family, role=role)
    if kind == "phone":
        number = places.phone_number(rng)
        return rng.choice(phrases.PHONE_DETAILS).format(number=number)
    if kind == "email":
        address = _email(rng)
        return rng.choice(phrases.EMAIL_DETAILS).format(address=address)
    if kind == "postcode":
        town = places.pick_town(rng)
        postcode = places.postcode_in(town, rng)
        if rng.random() < 0.2:
            postcode = postcode.replace(" ", "")
        return rng.choice(phrases.POSTCODE_DETAILS).format(postcode=postcode)
    if kind == "date_of_birth":
        born = _date_of_birth(rng)
        return rng.choice(phrases.DATE_OF_BIRTH_DETAILS).format(born=born)
    number = _format_nhs(rng)
    return rng.choice(phrases.NHS_NUMBER_DETAILS).format(number=number)


# --- Who answered ------------------------------------------------------------------------------

# Who answered, by weight, from data/respondents.toml: skewed the way feedback is, not
# the way the borough is (the file says how).
_RESPONDENTS = data_file("respondents")
_AGE_BANDS = _RESPONDENTS.weighted("age_bands")
AGE_BANDS: tuple[str, ...] = tuple(band for band, _ in _AGE_BANDS)
AGE_BAND_WEIGHTS: tuple[float, ...] = tuple(weight for _, weight in _AGE_BANDS)
SEXES = _RESPONDENTS.weighted("sexes")
ETHNIC_GROUPS = _RESPONDENTS.weighted("ethnic_groups")
DISABILITY = _RESPONDENTS.weighted("disability")
CARER = _RESPONDENTS.weighted("carer")

WITH_DEMOGRAPHICS = 0.7
WITH_DISTRICT = 0.8
CONSENT_TO_QUOTE = 0.6
CONSENT_TO_CONTACT = 0.25

# The districts of the towns with the largest share of the most deprived wards (Ambley
# Cross and Castlebridge Central, areas.py). People there answer about half as often.
MOST_DEPRIVED_DISTRICTS: tuple[str, ...] = ("DY2", "DY4")
DEPRIVED_RESPONSE_RATE = 0.45


def district_population_shares() -> dict[str, float]:
    """Each postcode district's share of the borough's people: the towns' weights,
    split evenly between a town's districts."""
    weights: dict[str, float] = {}
    for town in places.TOWNS:
        for district in town.postcode_districts:
            weights[district] = weights.get(district, 0) + town.weight / len(town.postcode_districts)
    total = sum(weights.values())
    return {district: weight / total for district, weight in sorted(weights.items())}


_POPULATION = district_population_shares()
_DISTRICTS = tuple(_POPULATION)
_DISTRICT_RESPONSE_WEIGHTS = tuple(
    share * (DEPRIVED_RESPONSE_RATE if district in MOST_DEPRIVED_DISTRICTS else 1)
    for district, share in _POPULATION.items()
)


@dataclass(frozen=True)
class Respondent:
    postcode_district: str = ""
    age_band: str = ""
    sex: str = ""
    ethnic_group: str = ""
    disability: str = ""
    carer: str = ""
    consent_to_quote: bool = False
    consent_to_contact: bool = False


class _Choice:
    """A weighted choice, its cumulative weights worked out once."""

    def __init__(self, pairs: tuple[tuple[str, float], ...]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def __call__(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


_AGE_BAND = _Choice(tuple(zip(AGE_BANDS, AGE_BAND_WEIGHTS, strict=True)))
_SEX = _Choice(SEXES)
_ETHNIC_GROUP = _Choice(ETHNIC_GROUPS)
_DISABILITY = _Choice(DISABILITY)
_CARER = _Choice(CARER)
_DISTRICT = _Choice(tuple(zip(_DISTRICTS, _DISTRICT_RESPONSE_WEIGHTS, strict=True)))


def respondent(rng: random.Random, town: places.Town | None = None) -> Respondent:
    """Someone who gave feedback; near `town` where the service is local."""
    district = ""
    if rng.random() < WITH_DISTRICT:
        if town is not None and rng.random() < 0.8:
            district = rng.choice(town.postcode_districts)
            if district in MOST_DEPRIVED_DISTRICTS and rng.random() > DEPRIVED_RESPONSE_RATE:
                district = _DISTRICT(rng)
        else:
            district = _DISTRICT(rng)
    quote = rng.random() < CONSENT_TO_QUOTE
    contact = rng.random() < CONSENT_TO_CONTACT
    if rng.random() >= WITH_DEMOGRAPHICS:
        return Respondent(postcode_district=district, consent_to_quote=quote, consent_to_contact=contact)
    return Respondent(
        postcode_district=district,
        age_band=_AGE_BAND(rng),
        sex=_SEX(rng),
        ethnic_group=_ETHNIC_GROUP(rng),
        disability=_DISABILITY(rng),
        carer=_CARER(rng),
        consent_to_quote=quote,
        consent_to_contact=contact,
    )


# --- Writing a comment ----------------------------------------------------------------------


# A template may begin with the settings it belongs to ("h:" hospital, "g:" general
# practice, "c:" community services, or several, as in "hc:"); untagged ones fit any.
SETTING_CODES: dict[str, str] = {"hospital": "h", "gp": "g", "community": "c"}
_TAG = re.compile(r"^([hgc]+):")


def template_text(template: str) -> str:
    """A template without its settings tag."""
    return _TAG.sub("", template)


def _bank_for(templates: tuple[str, ...], setting: str) -> tuple[str, ...]:
    code = SETTING_CODES[setting]
    fitting = tuple(template_text(t) for t in templates if not (tag := _TAG.match(t)) or code in tag.group(1))
    return fitting or tuple(template_text(t) for t in templates)


def _lower_start(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first in phrases.KEEP_CAPITAL or first[1:] != first[1:].lower():
        return text
    return text[:1].lower() + text[1:]


def _sentence(text: str, end: str = ".") -> str:
    text = text[:1].upper() + text[1:]
    return text if text[-1] in ".!?)" else text + end


_DRAW: dict[str, Callable[[random.Random, Setting], str]] = {
    "doctor": lambda rng, setting: rng.choice(phrases.DOCTORS[setting]),
    "place": lambda rng, setting: rng.choice(phrases.PLACES[setting]),
    "wait": lambda rng, _: rng.choice(phrases.LONG_WAITS),
    "short_wait": lambda rng, _: rng.choice(phrases.SHORT_WAITS),
    "weeks": lambda rng, _: rng.choice(phrases.LONG_PERIODS),
    "relative": lambda rng, _: rng.choice(phrases.RELATIVES),
    "elder": lambda rng, _: rng.choice(phrases.ELDERS),
    "child": lambda rng, _: rng.choice(phrases.CHILDREN),
    "very": lambda rng, _: rng.choice(phrases.VERY),
    "town": lambda rng, _: rng.choice(places.TOWN_NAMES),
    "calls": lambda rng, _: str(rng.randint(12, 60)),
    "queue": lambda rng, _: str(rng.randint(9, 31)),
    "fare": lambda rng, _: str(rng.randint(12, 35)),
    "days": lambda rng, _: str(rng.randint(2, 12)),
    "month": lambda rng, _: rng.choice(phrases.MONTHS),
}


class _Slots(dict[str, str]):
    """The words a comment's templates leave open, drawn when first asked for, so that
    one comment's templates share them ("the nurse ... the nurse")."""

    def __init__(self, rng: random.Random, setting: Setting) -> None:
        super().__init__()
        self.rng = rng
        self.setting = setting

    def __missing__(self, key: str) -> str:
        rng, setting = self.rng, self.setting
        if key in ("staff", "staffs"):
            staff = rng.choice(phrases.STAFF[setting])
            self["staff"], self["staffs"] = staff, staff + "s"
            return self[key]
        if key in ("good", "good2"):
            self["good"], self["good2"] = rng.sample(phrases.GOOD_WORDS, 2)
            return self[key]
        drawn = _DRAW[key](rng, setting)
        self[key] = drawn
        return drawn


@dataclass(frozen=True)
class Written:
    """A comment and what it was written from."""

    text: str
    sentiment: Sentiment
    # The keys of the themes whose phrases the text holds, in the order first written.
    themes: tuple[str, ...]
    # For a comment on no theme, what it amounts to; "" where `themes` has some.
    gist: Gist


class Writer:
    """Writes comments for one setting (hospital, community services, general practice).

    `themes`, where given, narrows what the comments are about (a survey on GP access
    hears about appointments, not hospital food). `write` gives what a comment was
    written from with its text; keeping track draws nothing, so the texts are the same
    whichever is called."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._written: list[str] = []
        self._gist: Gist = ""
        # Whether the last event or call note named its topic ("Call re waiting times.").
        self.named_topic = False
        self._banks: dict[tuple[str, str, str], tuple[str, ...]] = {
            (theme.key, polarity, setting): _bank_for(templates, setting)
            for theme in ALL_THEMES
            for polarity, templates in (("good", theme.good), ("bad", theme.bad), ("better", theme.better))
            for setting in SETTING_CODES
        }
        self._theme_weights: dict[str, list[float]] = {
            setting: [weights.get(theme.key, 1) for theme in THEMES]
            for setting, weights in phrases.SETTING_THEME_WEIGHTS.items()
        }

    # Slots

    def _slots(self, setting: Setting) -> _Slots:
        return _Slots(self.rng, setting)

    def pick_themes(self, setting: Setting, allowed: tuple[str, ...] = (), most: int = 3) -> list[Theme]:
        rng = self.rng
        count = min(rng.choices((1, 2, 3), cum_weights=(50, 85, 100))[0], most)
        if allowed:
            pool = [THEMES_BY_KEY[key] for key in allowed]
            return rng.sample(pool, min(count, len(pool)))
        chosen: list[Theme] = []
        weights = self._theme_weights[setting]
        while len(chosen) < count:
            theme = rng.choices(THEMES, weights=weights)[0]
            if theme not in chosen:
                chosen.append(theme)
        return chosen

    # Comments

    def comment(
        self,
        sentiment: Sentiment,
        setting: Setting,
        *,
        kind: QuestionKind = "experience",
        themes: tuple[str, ...] = (),
    ) -> str:
        """One comment, with the odd slip, and now and then someone's details."""
        return self.write(sentiment, setting, kind=kind, themes=themes).text

    def write(
        self,
        sentiment: Sentiment,
        setting: Setting,
        *,
        kind: QuestionKind = "experience",
        themes: tuple[str, ...] = (),
    ) -> Written:
        """One comment, as `comment` writes it, with the themes (or gist) it was written from."""
        self._written, self._gist = [], ""
        text = self._text(sentiment, setting, kind, themes)
        written = tuple(self._written)
        return Written(text=text, sentiment=sentiment, themes=written, gist="" if written else self._gist)

    def _text(
        self, sentiment: Sentiment, setting: Setting, kind: QuestionKind, themes: tuple[str, ...]
    ) -> str:
        rng = self.rng
        slots = self._slots(setting)
        if kind == "anything_else":
            text = self._anything_else(sentiment, setting, themes, slots)
        elif kind == "improve":
            text = self._improve(sentiment, setting, themes, slots)
        else:
            text = self._experience(sentiment, setting, themes, slots)
        if rng.random() < DETAIL_SHARE and text not in phrases.NON_ANSWERS:
            text = self._with_detail(text, sentiment, setting)
        return self._roughen(text)

    def _clause(self, theme: Theme, polarity: str, slots: _Slots) -> str:
        if theme.key not in self._written:
            self._written.append(theme.key)
        bank = self._banks[theme.key, polarity, slots.setting]
        return self.rng.choice(bank).format_map(slots)

    def _experience(
        self, sentiment: Sentiment, setting: Setting, allowed: tuple[str, ...], slots: _Slots
    ) -> str:
        rng = self.rng
        short = self._short(sentiment, setting, slots)
        if short:
            return short
        themes = self.pick_themes(setting, allowed)
        sentences: list[str] = []
        if rng.random() < (0.3 if sentiment == "negative" else 0.2):
            sentences.append(_sentence(rng.choice(phrases.VISITS[setting]).format_map(slots)))
        elif sentiment != "mixed" and rng.random() < 0.25:
            # A verdict first: "Excellent. The nurse was lovely."
            sentences.append(
                _sentence(rng.choice(phrases.SHORT_GOOD if sentiment == "positive" else phrases.SHORT_BAD))
            )
        if sentiment == "mixed":
            return " ".join([*sentences, *self._mixed(themes, slots)])
        polarity = "good" if sentiment == "positive" else "bad"
        # Often more than one thing to say about a theme.
        wanted = len(themes) + rng.choices((0, 1, 2), cum_weights=(22, 72, 100))[0]
        clauses: list[str] = []
        for index in range(wanted):
            clause = self._clause(themes[index % len(themes)], polarity, slots)
            if clause not in clauses:
                clauses.append(clause)
        if len(clauses) > 1 and rng.random() < 0.3:
            # Two clauses in one breath: "Friendly staff and seen quickly."
            first, second = clauses[0], clauses[1]
            clauses[:2] = [f"{first} and {_lower_start(second)}"]
        openers = phrases.OPENERS_GOOD if polarity == "good" else phrases.OPENERS_BAD
        if rng.random() < 0.15:
            clauses[0] = f"{rng.choice(openers)}, {_lower_start(clauses[0])}"
        end = "!" if rng.random() < 0.08 else "."
        sentences.extend(_sentence(clause, end) for clause in clauses)
        if rng.random() < (0.75 if len(sentences) == 1 else 0.3):
            closers = phrases.CLOSERS_GOOD if polarity == "good" else phrases.CLOSERS_BAD
            sentences.append(_sentence(rng.choice(closers), end))
        return " ".join(sentences)

    def _short(self, sentiment: Sentiment, setting: Setting, slots: _Slots) -> str:
        """A few words, or nothing: "n/a", "It was ok", "Excellent"; empty for most."""
        rng = self.rng
        if sentiment == "neutral":
            roll = rng.random()
            if roll < 0.35:
                self._gist = "non_answer"
                return rng.choice(phrases.NON_ANSWERS)
            self._gist = "other"
            if roll < 0.55:
                return rng.choice(phrases.NEUTRAL)
            visit = rng.choice(phrases.VISITS[setting]).format_map(slots)
            return f"{_sentence(visit)} {_sentence(rng.choice(phrases.NEUTRAL))}"
        if sentiment == "positive" and rng.random() < 0.03:
            self._gist = "praise"
            return rng.choice(phrases.SHORT_GOOD)
        if sentiment == "negative" and rng.random() < 0.02:
            self._gist = "other"
            return rng.choice(phrases.SHORT_BAD)
        return ""

    def _other_theme(self, theme: Theme, setting: Setting) -> Theme:
        while True:
            other = self.rng.choices(THEMES, weights=self._theme_weights[setting])[0]
            if other is not theme:
                return other

    def _mixed(self, themes: list[Theme], slots: _Slots) -> list[str]:
        """ "The nurse was lovely but I waited four hours." """
        rng = self.rng
        good_theme = themes[0]
        bad_theme = themes[1] if len(themes) > 1 else self._other_theme(good_theme, slots.setting)
        a, b = self._clause(good_theme, "good", slots), self._clause(bad_theme, "bad", slots)
        if rng.random() < 0.35:
            a, b = b, a
        sentences = [_sentence(rng.choice(phrases.MIXED_JOINS).format(a=a, b=_lower_start(b)))]
        sentences.extend(_sentence(self._clause(theme, "bad", slots)) for theme in themes[2:])
        if rng.random() < 0.25:
            sentences.append(_sentence(rng.choice(phrases.CLOSERS_MIXED)))
        return sentences

    def _improve(
        self, sentiment: Sentiment, setting: Setting, allowed: tuple[str, ...], slots: _Slots
    ) -> str:
        rng = self.rng
        if sentiment == "neutral" or (sentiment == "positive" and rng.random() < 0.06):
            # The framework counts "nothing to improve" as praise.
            nothing_to_improve = rng.random() < 0.7
            self._gist = "praise" if nothing_to_improve else "non_answer"
            return rng.choice(phrases.NOTHING_TO_IMPROVE if nothing_to_improve else phrases.NON_ANSWERS)
        themes = self.pick_themes(setting, allowed, most=2)
        if sentiment == "positive" and rng.random() < 0.4:
            # "Nothing, the staff were lovely."
            praise = [self._clause(theme, "good", slots) for theme in themes]
            if len(praise) == 1 and rng.random() < 0.6:
                praise.append(rng.choice(phrases.CLOSERS_GOOD))
            opening = rng.choice(phrases.NOTHING_BUT)
            return " ".join(
                [_sentence(f"{opening}, {_lower_start(praise[0])}"), *(_sentence(p) for p in praise[1:])]
            )
        sentences = [_sentence(self._suggestion(theme, slots)) for theme in themes]
        # Most say why, or what was good besides.
        if sentiment == "negative" and rng.random() < 0.92:
            reason = self._clause(themes[0], "bad", slots)
            if rng.random() < 0.4:
                reason = f"{rng.choice(phrases.BECAUSE)} {_lower_start(reason)}"
            sentences.append(_sentence(reason))
        elif sentiment == "mixed" and rng.random() < 0.92:
            good = _lower_start(self._clause(themes[-1], "good", slots))
            sentences.append(_sentence(f"{rng.choice(phrases.OTHERWISE)} {good}"))
        elif sentiment == "positive" and rng.random() < 0.9:
            if rng.random() < 0.5:
                sentences.insert(0, _sentence(rng.choice(phrases.SMALL_THINGS)))
            else:
                sentences.append(_sentence(self._clause(rng.choice(themes), "good", slots)))
        return " ".join(sentences)

    def _suggestion(self, theme: Theme, slots: _Slots) -> str:
        rng = self.rng
        text = self._clause(theme, "better", slots)
        if rng.random() < 0.5:
            text = rng.choice(phrases.SUGGESTION_FORMS).format(_lower_start(text))
        return text

    def _anything_else(
        self, sentiment: Sentiment, setting: Setting, allowed: tuple[str, ...], slots: _Slots
    ) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            self._gist = "non_answer"
            return rng.choice(phrases.NOTHING_ELSE)
        return self._experience(sentiment, setting, allowed, slots)

    def _with_detail(self, text: str, sentiment: Sentiment, setting: Setting) -> str:
        rng = self.rng
        kind = rng.choices([k for k, _ in DETAIL_KINDS], weights=[w for _, w in DETAIL_KINDS])[0]
        detail = _sentence(_detail_sentence(rng, kind, sentiment, setting))
        if kind == "staff_name" and rng.random() < 0.4:
            return f"{detail} {text}"
        return f"{_sentence(text)} {detail}"

    def _roughen(self, text: str) -> str:
        """The slips of people writing quickly on a phone or a card."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:
            for right, wrong in rng.sample(phrases.TYPOS, len(phrases.TYPOS)):
                found = re.search(rf"\b{right}\b", text)
                if found:
                    text = text[: found.start()] + wrong + text[found.end() :]
                    break
        elif roll < 0.06:
            text = text.replace(". ", ".  ", 1)
        roll = rng.random()
        if roll < 0.09:
            text = text.lower()
        elif roll < 0.14 and text[-1:] == ".":
            text = text[:-1]
        return text

    # Channels: how a comment reaches the bank.

    def event_note(self, text: str, theme_topic: str) -> str:
        rng = self.rng
        speaker = rng.choice(phrases.EVENT_SPEAKERS)
        quoted = text if text[-1:] in ".!?" else text + "."
        style = rng.random()
        self.named_topic = 0.65 <= style < 0.85
        if style < 0.45:
            return f'{speaker} said: "{quoted}"'
        if style < 0.65:
            return f"Post-it note: {text}"
        if style < 0.85:
            return f'Table {rng.randint(1, 8)} talked about {theme_topic}. {speaker} said: "{quoted}"'
        return f"{speaker}: {text}"

    def phone_note(self, text: str, theme_topic: str, sentiment: Sentiment) -> str:
        rng = self.rng
        caller = rng.choice(phrases.CALLERS)
        # A complaint is drawn whatever the sentiment, so that one seed writes the same
        # notes as it always has; only an unhappy caller's note uses it.
        complaint = rng.choice(phrases.COMPLAINTS)
        why = complaint if sentiment == "negative" else phrases.WHY_CALLED[sentiment]
        style = rng.random()
        self.named_topic = not 0.5 <= style < 0.8
        if style < 0.5:
            return f'{caller} rang {why} about {theme_topic}. Said: "{text}"'
        if style < 0.8:
            return f"{caller} called {why}. {text}"
        return f"Call re {theme_topic}. {text}"

    def social_post(self, text: str, handle: str) -> str:
        rng = self.rng
        style = rng.random()
        if style < 0.3:
            text = f"@{handle} {text}"
        elif style < 0.5:
            text = f"{text} {rng.choice(phrases.HASHTAGS)}"
        if rng.random() < 0.2 and text[-1:] in ".!":
            text = text.rstrip(".!") + rng.choice(phrases.SHOUTS)
        return text

    def healthwatch_story(self, text: str, at_stall: bool) -> str:
        if at_stall and self.rng.random() < 0.4:
            return f"Told our volunteer at the stall: {text}"
        return text


# --- What an activity hears about ---------------------------------------------------------------

# (words in an activity's topic or title, the setting its comments are about, themes),
# from data/activity_plans.toml. The first rule that matches wins; an activity no rule
# matches (community safety, parks, the council's budget) gathers no health and care
# comments in the demo.
_PLANS = data_file("activity_plans")
SETTINGS: tuple[Setting, ...] = get_args(Setting)


def _setting(table: Table) -> Setting:
    setting = table.text("setting")
    for known in SETTINGS:
        if setting == known:
            return known
    raise DemoDataError(f"{table.path('setting')} must be one of {', '.join(SETTINGS)}, not {setting!r}.")


ACTIVITY_RULES: tuple[tuple[tuple[str, ...], Setting, tuple[str, ...]], ...] = tuple(
    (rule.texts("words"), _setting(rule), rule.texts("themes")) for rule in _PLANS.tables("rules")
)


def activity_plan(topic: str, title: str) -> tuple[Setting, tuple[str, ...]] | None:
    """The setting and themes of what people told an activity, or None where the demo
    gives it no comments."""
    text = f" {topic} {title} ".lower()
    for words, setting, themes in ACTIVITY_RULES:
        if any(word in text for word in words):
            return setting, themes
    return None


# Surveys whose topic is not a service ask in their own words: (experience, improve).
_OWN = _PLANS.table("questions")
OWN_QUESTIONS: dict[str, tuple[str, str]] = {
    topic: (_OWN.table(topic).text("experience"), _OWN.table(topic).text("improve")) for topic in _OWN.names()
}


def survey_questions(topic: str) -> tuple[str, str, str]:
    """The open questions of a survey on `topic`, as its lead wrote them."""
    if topic in OWN_QUESTIONS:
        return (*OWN_QUESTIONS[topic], ANYTHING_ELSE_QUESTION)
    subject = _lower_start(topic)
    return (
        f"What has your experience of {subject} been like?",
        f"What one thing would make {subject} better?",
        ANYTHING_ELSE_QUESTION,
    )
