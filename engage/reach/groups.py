"""The groups reach is reported in, and how survey answers and census categories fall
into them. No Django here: plain data and functions, so the rules can be read and tested
on their own.

Survey wordings and census wordings rarely line up one to one. The census counts ages
in its own bands ("Aged 35 to 49 years"), while a survey may ask "35-44"; so a group is
the coarsest band both can be put in (35 to 64 here), and an answer falls into the group
whose range holds it. A person can change where any answer goes (`AnswerMapping`, the
answers page); those choices are passed in as `overrides` and win over the rules here.

Each answer ends in one of three places:

- a group, counted against the population's share of it;
- **unknown**: not given, or "prefer not to say", shown beside the groups and never
  spread over them;
- **outside** the census categories (a sex of "non-binary", an age of "under 16" where
  the population is residents aged 16 and over, a "75+" that holds two census bands):
  counted and listed, with the wordings, so a person can map them. They are reported
  as "N answers did not fit a census age band", never as a group of their own, and an
  answer is put in a group only where its meaning is clear: "75+" could be 75 to 84 or
  85 and over, and guessing would move people between groups.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

UNKNOWN = "unknown"
OUTSIDE = "outside"

_UNKNOWN_ANSWERS = frozenset(
    {
        "",
        "prefer not to say",
        "prefer not to answer",
        "rather not say",
        "not stated",
        "not known",
        "unknown",
        "don't know",
        "do not know",
        "n/a",
        "na",
        "none given",
        "not given",
        "refused",
    }
)


def normalised_answer(answer: str) -> str:
    """An answer as it is matched: case-folded, spaces collapsed, dashes made hyphens."""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", answer or "")
    return " ".join(text.replace("\u2019", "'").split()).casefold()


@dataclass(frozen=True)
class Group:
    name: str  # as a table shows it: "16 to 24"
    people: str  # as a sentence names them: "People aged 16 to 24"
    census_categories: tuple[str, ...]  # the census's wording of what it adds up
    answers: tuple[str, ...] = ()  # normalised survey wordings that mean this group


@dataclass(frozen=True)
class Dimension:
    key: str  # "age"; also the URL's and the export's name for it
    title: str  # "Age"
    field: str  # the conversation's field
    census_dimension: str  # CensusDimension value; "" for deprivation, from File 7
    groups: tuple[Group, ...]
    # A rule for answers not listed in any group's `answers` (age ranges, say).
    rule: Callable[[str], str | None] | None = None
    note: str = ""
    # What an answer that fits no group did not fit: "2 answers did not fit ...".
    unmapped_words: str = "the census's categories"

    def group(self, name: str) -> Group | None:
        return next((group for group in self.groups if group.name == name), None)


def place_answer(dimension: Dimension, answer: str, overrides: Mapping[str, str] | None = None) -> str:
    """Where an answer goes: a group's name, UNKNOWN or OUTSIDE. `overrides` are a
    person's choices, normalised answer to one of those three."""
    normal = normalised_answer(answer)
    if overrides and normal in overrides:
        return overrides[normal]
    if normal in _UNKNOWN_ANSWERS:
        return UNKNOWN
    for group in dimension.groups:
        if normal == group.name.casefold() or normal in group.answers:
            return group.name
    if dimension.rule is not None:
        found = dimension.rule(normal)
        if found is not None:
            return found
    return OUTSIDE


# --- Age ------------------------------------------------------------------------------------

_OLDEST = 120  # an age above this is a slip, not an age

# (group, lowest age, highest age): the census bands of TS009 put together so that the
# usual survey bands (16-24, 25-34, 35-44 ...) each fall inside one.
_AGE_RANGES: tuple[tuple[str, int, int], ...] = (
    ("16 to 24", 16, 24),
    ("25 to 34", 25, 34),
    ("35 to 64", 35, 64),
    ("65 to 74", 65, 74),
    ("75 to 84", 75, 84),
    ("85 and over", 85, _OLDEST),
)
_YEARS = re.compile(r"\b(?:years?|yrs?)(?: old)?\b|^(?:aged?) ")
_RANGE = re.compile(r"(\d{1,3}) ?(?:-|to) ?(\d{1,3})")
_AND_OVER = re.compile(r"(\d{1,3}) ?(?:\+|(?:and|or) (?:over|above|older)|plus)")
_OVER = re.compile(r"(?:over|above|older than|more than) (\d{1,3})")
_UNDER = re.compile(r"(?:under|less than|below|younger than) (\d{1,3})")
_SINGLE = re.compile(r"(\d{1,3})")


def _age_group(answer: str) -> str | None:
    """The group whose range holds an answer such as "18-24", "85+", "over 85" or "42"
    (with or without "aged" and "years old"); OUTSIDE for one that crosses groups ("75+"
    holds both 75 to 84 and 85 and over, so it cannot be put in either), lies below 16,
    or is no age at all; None for an answer that is not an age."""
    text = " ".join(_YEARS.sub(" ", answer).split())
    low = high = None
    if match := _RANGE.fullmatch(text):
        low, high = int(match[1]), int(match[2])
    elif match := _AND_OVER.fullmatch(text):
        low, high = int(match[1]), _OLDEST
    elif match := _OVER.fullmatch(text):
        low, high = int(match[1]) + 1, _OLDEST
    elif match := _UNDER.fullmatch(text):
        low, high = 0, int(match[1]) - 1
    elif match := _SINGLE.fullmatch(text):
        low = high = int(match[1])
    if low is None or high is None:
        return None
    if low > high or high > _OLDEST:
        return OUTSIDE
    for name, first, last in _AGE_RANGES:
        if first <= low and high <= last:
            return name
    return OUTSIDE


AGE = Dimension(
    key="age",
    title="Age",
    field="age_band",
    census_dimension="age",
    groups=(
        Group("16 to 24", "People aged 16 to 24", ("Aged 16 to 19 years", "Aged 20 to 24 years")),
        Group("25 to 34", "People aged 25 to 34", ("Aged 25 to 34 years",)),
        Group("35 to 64", "People aged 35 to 64", ("Aged 35 to 49 years", "Aged 50 to 64 years")),
        Group("65 to 74", "People aged 65 to 74", ("Aged 65 to 74 years",)),
        Group("75 to 84", "People aged 75 to 84", ("Aged 75 to 84 years",)),
        Group("85 and over", "People aged 85 and over", ("Aged 85 years and over",)),
    ),
    rule=_age_group,
    note="Residents aged 16 and over. The census's age bands decide the groups: 35 to 64 is one group "
    "because the census counts 35 to 49 and 50 to 64.",
    unmapped_words="a census age band",
)

SEX = Dimension(
    key="sex",
    title="Sex",
    field="sex",
    census_dimension="sex",
    groups=(
        Group("Female", "Women", ("Female",), ("female", "woman", "women", "f", "girl")),
        Group("Male", "Men", ("Male",), ("male", "man", "men", "m", "boy")),
    ),
    note="The census asked sex with two answers; other answers are counted beneath the table.",
)

# The census's five high-level ethnic groups (TS021), and the start of each detailed
# category in them ("Asian, Asian British or Asian Welsh: Indian").
_ETHNIC_GROUPS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "Asian",
        "People from Asian backgrounds",
        "Asian, Asian British or Asian Welsh",
        ("asian", "indian", "pakistani", "bangladeshi", "chinese"),
    ),
    (
        "Black",
        "People from Black backgrounds",
        "Black, Black British, Black Welsh, Caribbean or African",
        ("black", "caribbean", "african"),
    ),
    ("Mixed", "People from mixed or multiple ethnic groups", "Mixed or Multiple ethnic groups", ("mixed",)),
    ("White", "People from White backgrounds", "White", ("white", "gypsy", "roma", "irish", "traveller")),
    ("Other", "People from other ethnic groups", "Other ethnic group", ("other", "arab")),
)


def _ethnic_group(answer: str) -> str | None:
    """The high-level group an answer's first word names: "White: Irish", "Asian -
    Indian", "Black British", "Arab", "Gypsy or Irish Traveller" (White in the census)."""
    words = re.split(r"[\s:,/()-]+", answer, maxsplit=1)
    for name, _, _, starts in _ETHNIC_GROUPS:
        if words[0] in starts:
            return name
    return None


ETHNIC_GROUP = Dimension(
    key="ethnic_group",
    title="Ethnic group",
    field="ethnic_group",
    census_dimension="ethnic_group",
    groups=tuple(
        Group(name, people, (census,), (census.casefold(),)) for name, people, census, _ in _ETHNIC_GROUPS
    ),
    rule=_ethnic_group,
    note="The census's five high-level ethnic groups; a detailed answer counts in its group.",
)

DISABILITY = Dimension(
    key="disability",
    title="Disability",
    field="disability",
    census_dimension="disability",
    groups=(
        Group(
            "Disabled",
            "Disabled people",
            ("Disabled under the Equality Act",),
            ("yes", "y", "disabled", "yes, limited a lot", "yes, limited a little", "yes - limited a lot"),
        ),
        Group(
            "Not disabled",
            "People who are not disabled",
            ("Not disabled under the Equality Act",),
            ("no", "n"),
        ),
    ),
    note="Disabled under the Equality Act, as the census asked it.",
)

CARERS = Dimension(
    key="carer",
    title="Unpaid carers",
    field="carer",
    census_dimension="unpaid_care",
    groups=(
        Group(
            "Carers",
            "Unpaid carers",
            (
                "Provides 19 hours or less unpaid care a week",
                "Provides 20 to 49 hours unpaid care a week",
                "Provides 50 or more hours unpaid care a week",
            ),
            ("yes", "y", "carer", "i am a carer", "unpaid carer"),
        ),
        Group(
            "Not carers",
            "People who are not carers",
            ("Provides no unpaid care",),
            ("no", "n", "not a carer"),
        ),
    ),
    note="Residents aged 5 and over who look after someone unpaid.",
)

# Deprivation comes from where people live (the postcode's LSOA and its national
# decile), not from an answer; its groups are named by decile.
QUINTILE_NAMES = {
    1: "1 (most deprived)",
    2: "2",
    3: "3",
    4: "4",
    5: "5 (least deprived)",
}
_QUINTILE_PEOPLE = {
    1: "People in the most deprived 20% of neighbourhoods in England",
    2: "People in England's second most deprived fifth of neighbourhoods",
    3: "People in the middle fifth of neighbourhoods for deprivation",
    4: "People in England's second least deprived fifth of neighbourhoods",
    5: "People in the least deprived 20% of neighbourhoods in England",
}
DEPRIVATION = Dimension(
    key="deprivation",
    title="Deprivation quintile",
    field="imd_decile",
    census_dimension="",
    groups=tuple(
        Group(name, _QUINTILE_PEOPLE[q], (str(2 * q - 1), str(2 * q))) for q, name in QUINTILE_NAMES.items()
    ),
    note="National quintiles of the Index of Multiple Deprivation, from the LSOA of each postcode; "
    "quintile 1 is the most deprived 20% of neighbourhoods in England.",
)
CORE20 = Dimension(
    key="core20",
    title="Core20",
    field="imd_decile",
    census_dimension="",
    groups=(
        Group(
            "Core20",
            "People in the most deprived 20% of neighbourhoods nationally (Core20)",
            ("1", "2"),
        ),
        Group(
            "Deciles 3 to 10",
            "People outside the most deprived 20% of neighbourhoods",
            tuple(str(d) for d in range(3, 11)),
        ),
    ),
    note="Core20: the most deprived 20% of neighbourhoods in England, national deciles 1 and 2, "
    "weighted by population and never re-ranked locally.",
)

ANSWER_DIMENSIONS: tuple[Dimension, ...] = (AGE, SEX, ETHNIC_GROUP, DISABILITY, CARERS)
PLACE_DIMENSIONS: tuple[Dimension, ...] = (DEPRIVATION, CORE20)
DIMENSIONS: tuple[Dimension, ...] = (*ANSWER_DIMENSIONS, *PLACE_DIMENSIONS)
DIMENSION_BY_KEY: dict[str, Dimension] = {dimension.key: dimension for dimension in DIMENSIONS}


def place_decile(dimension: Dimension, decile: int | None) -> str:
    """The group of a national deprivation decile; UNKNOWN where the place is not known."""
    if decile is None:
        return UNKNOWN
    for group in dimension.groups:
        if str(decile) in group.census_categories:
            return group.name
    return UNKNOWN
