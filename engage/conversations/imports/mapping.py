"""Which column of a file holds which field of a conversation, and the built-in templates.

A mapping is a dict from a conversation field to the heading of the column that holds
it, matched to a file's headings as every mapped import's are
(engage.core.tabular.columns: a list of headings means the first the file has).

`labels` maps to a list of headings of yes/no (1/0) columns: the categories people gave
each comment (the pxtextmining labelled format). Those the file has are read; each row
keeps the list of headings marked 1.

Defaults hold what the file does not say: `channel`, `question`, `occurred_on` (an ISO
date), and how to read ratings: `rating_scale` ([lowest, highest]), `rating_best`
("lowest" or "highest": which end of the scale is best; "lowest", the Friends and Family
Test's order, where a template does not say), `no_rating` (values that mean "no rating
given", such as "Don't know") and `rating_words` (words that stand for a number on the
file's own scale, such as "Very good" for 1). Ratings are converted to the bank's one
scale as they are imported (ratings.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from engage.conversations.imports.ratings import BEST_ENDS, LOWEST
from engage.conversations.models import Channel
from engage.core.tabular.columns import columns_find, normalise_heading
from engage.core.tabular.errors import ImportFileError

# The conversation fields a column can hold, with the words a person sees.
FIELDS: dict[str, str] = {
    "text": "What the person said",
    "question": "Question asked",
    "occurred_on": "Date",
    "rating": "Rating",
    "channel": "Channel",
    "respondent_reference": "Respondent reference",
    "postcode": "Postcode",
    "age_band": "Age band",
    "sex": "Sex",
    "ethnic_group": "Ethnic group",
    "disability": "Disability",
    "carer": "Carer",
    "consent_to_quote": "Consent to quote",
    "consent_to_contact": "Consent to contact",
    "consent_to_demographics": "Consent to hold demographics",
}
REQUIRED_FIELDS = ("text",)
LABELS = "labels"
DEFAULT_KEYS = (
    "channel",
    "question",
    "occurred_on",
    "rating_scale",
    "rating_best",
    "no_rating",
    "rating_words",
    # Every respondent in the file agreed to their demographics being held (where the
    # file has no column saying so row by row). Without either, they are dropped.
    "demographics_consented",
)
DEMOGRAPHIC_FIELDS = ("age_band", "sex", "ethnic_group", "disability", "carer")
DEFAULT_RATING_SCALE = (1, 5)

Heading = str | list[str]


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    mapping: dict[str, Any]
    defaults: dict[str, Any] = field(default_factory=dict)
    built_in: bool = True


_FFT_WORDS = {
    "very good": 1,
    "good": 2,
    "neither good nor poor": 3,
    "poor": 4,
    "very poor": 5,
}
_FFT_NO_RATING = ["6", "don't know", "dont know", "do not know"]

_DEMOGRAPHICS: dict[str, Any] = {
    "postcode": ["Postcode", "Post code", "Home postcode"],
    "age_band": ["Age band", "Age group", "Age"],
    "sex": ["Sex", "Gender"],
    "ethnic_group": ["Ethnic group", "Ethnicity"],
    "disability": ["Disability", "Disabled"],
    "carer": ["Carer", "Are you a carer?", "Unpaid carer"],
    "consent_to_quote": ["Consent to quote", "Can we quote you?"],
    "consent_to_contact": ["Consent to contact", "Can we contact you?"],
    "consent_to_demographics": [
        "Consent to hold demographics",
        "Consent to demographics",
        "Can we keep your details about you?",
    ],
}

PXTEXTMINING_LABELS = [
    "Not assigned",
    "Organisation & efficiency",
    "Funding & use of financial resources",
    "Staff manner & personal attributes",
    "Number & deployment of staff",
    "Staff responsiveness",
    "Staff continuity",
    "Competence & training",
    "Unspecified communication",
    "Staff listening, understanding & involving patients",
    "Information directly from staff during care",
    "Information provision & guidance",
    "Being kept informed, clarity & consistency of information",
    "Contacting services",
    "Appointment arrangements",
    "Appointment method",
    "Timeliness of care",
    "Pain management",
    "Diagnosis & triage",
    "Referals & continuity of care",
    "Discharge",
    "Care plans",
    "Patient records",
    "Cleanliness, tidiness & infection control",
    "Provision of medical equipment",
    "Service location",
    "Transport to/ from services",
    "Parking",
    "Electronic entertainment",
    "Feeling safe",
    "Patient appearance & grooming",
    "Mental Health Act",
    "Equality, Diversity & Inclusion",
    "Admission",
    "Safeguarding concerns?",
    "Labelling not possible",
    "Environment & Facilities",
    "Supplying & understanding medication",
    "Activities & access to fresh air",
    "Food & drink provision & facilities",
    "Sensory experience",
    "Impact of treatment/ care",
    "Psychological therapy arrangements",
    "Existence of services",
    "Choice of services",
    "Out of hours support (community services)",
    "Learning organisation",
    "Interaction with family/ carers",
    "Negative experience & dissatisfaction",
    "Positive experience & gratitude",
]

GENERIC = "Generic survey export"
FFT = "Friends and Family Test return"
PXTEXTMINING = "pxtextmining labelled format"

BUILT_IN_TEMPLATES: tuple[Template, ...] = (
    Template(
        name=GENERIC,
        description=(
            "A survey tool's export: a column of comments and any of the usual columns beside it. "
            "A rating is read from 1 (the best) to 5; if the best is 5, map the columns yourself."
        ),
        mapping={
            "text": ["Comment", "Comments", "Response", "Answer", "Feedback", "Free text", "Text"],
            "question": ["Question", "Question asked"],
            "occurred_on": ["Date", "Response date", "Date submitted", "Submitted", "Completed"],
            "rating": ["Rating", "Score"],
            "channel": ["Channel"],
            "respondent_reference": ["Respondent ID", "Respondent reference", "Response ID"],
            **_DEMOGRAPHICS,
        },
        defaults={"channel": Channel.SURVEY.value, "rating_best": LOWEST},
    ),
    Template(
        name=FFT,
        description=(
            "A Friends and Family Test return: the answer to 'Overall, how was your experience?' "
            "(1 very good to 5 very poor, or the words) and the comment that explains it."
        ),
        mapping={
            "text": [
                "Comment",
                "Comments",
                "FFT comment",
                "Free text comment",
                "Why did you give that answer?",
            ],
            "question": ["Question", "FFT question"],
            "occurred_on": ["Date", "Response date", "Date of response"],
            "rating": ["Rating", "FFT rating", "FFT response", "Response", "Score"],
            "respondent_reference": ["Respondent ID", "Response ID"],
            **_DEMOGRAPHICS,
        },
        defaults={
            "channel": Channel.FRIENDS_AND_FAMILY_TEST.value,
            "rating_scale": [1, 5],
            "rating_best": LOWEST,  # 1 is very good
            "no_rating": _FFT_NO_RATING,
            "rating_words": _FFT_WORDS,
        },
    ),
    Template(
        name=PXTEXTMINING,
        description=(
            "The labelled Friends and Family Test format of the pxtextmining project: each comment "
            "with the categories people gave it."
        ),
        mapping={
            "text": "FFT answer",
            "question": "FFT question",
            "occurred_on": "Date",
            "rating": "FFT categorical answer",
            "respondent_reference": "Respondent ID",
            LABELS: PXTEXTMINING_LABELS,
        },
        # 6 is "Don't know"; 7 appears in the published file with no rating meaning.
        defaults={
            "channel": Channel.FRIENDS_AND_FAMILY_TEST.value,
            "rating_scale": [1, 5],
            "rating_best": LOWEST,
            "no_rating": ["6", "7", *_FFT_NO_RATING[1:]],
        },
    ),
)


def built_in_template(name: str) -> Template | None:
    wanted = normalise_heading(name)
    return next((t for t in BUILT_IN_TEMPLATES if normalise_heading(t.name) == wanted), None)


@dataclass(frozen=True)
class ResolvedMapping:
    """A mapping checked against one file's headings."""

    columns: dict[str, str]  # field -> the file's own heading
    labels: list[str]  # label headings the file has


def resolve_mapping(mapping: dict[str, Any], headings: list[str], *, file_name: str) -> ResolvedMapping:
    """Match the mapping to the file's headings (engage.core.tabular.columns). Raises
    ImportFileError when the file lacks the comment column, or any column named on its
    own (not in a list)."""
    if "text" not in mapping or not mapping["text"]:
        raise ImportFileError(
            "The template does not say which column holds the comments.", file_name=file_name
        )
    columns = columns_find(mapping, headings, fields=FIELDS, required=REQUIRED_FIELDS, file_name=file_name)
    by_normal: dict[str, str] = {}
    for heading in headings:
        by_normal.setdefault(normalise_heading(heading), heading)
    labels = [by_normal[n] for h in mapping.get(LABELS) or [] if (n := normalise_heading(h)) in by_normal]
    return ResolvedMapping(columns=columns, labels=labels)


def mapping_problems(mapping: Any, defaults: Any) -> dict[str, str]:  # noqa: PLR0912 - a branch per rule
    """What is wrong with a mapping and its defaults, field by field (empty if nothing)."""
    problems: dict[str, str] = {}
    if not isinstance(mapping, dict):
        return {"mapping": "The mapping must name a column for each field."}
    if not isinstance(defaults, dict):
        return {"defaults": "The defaults must be a set of named values."}
    for name, wanted in mapping.items():
        if name == LABELS:
            if not isinstance(wanted, list) or not all(isinstance(h, str) for h in wanted):
                problems[name] = "The labels must be a list of column headings."
        elif name not in FIELDS:
            problems[name] = f"There is no conversation field called {name!r}."
        elif not (
            (isinstance(wanted, str) and wanted.strip())
            or (isinstance(wanted, list) and wanted and all(isinstance(h, str) and h.strip() for h in wanted))
        ):
            problems[name] = f"Choose the column that holds the {FIELDS[name].lower()}."
    if not mapping.get("text"):
        problems["text"] = "Choose the column that holds what people said."
    for key in defaults:
        if key not in DEFAULT_KEYS:
            problems[key] = f"There is no default called {key!r}."
    channel = defaults.get("channel", "")
    if channel and channel not in Channel.values:
        problems["channel"] = f"The channel must be one of: {', '.join(Channel.values)}."
    if defaults.get("occurred_on"):
        try:
            dt.date.fromisoformat(str(defaults["occurred_on"]))
        except ValueError:
            problems["occurred_on"] = "The default date must be written as 2025-03-15."
    if not isinstance(defaults.get("demographics_consented", False), bool):
        problems["demographics_consented"] = (
            "Say whether everyone agreed to their demographics being held: true or false."
        )
    scale = defaults.get("rating_scale")
    if scale is not None and not (
        isinstance(scale, list)
        and len(scale) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in scale)
        and 0 <= scale[0] < scale[1] <= 10
    ):
        problems["rating_scale"] = "The rating scale must be two whole numbers from 0 to 10, lowest first."
    best = defaults.get("rating_best")
    if best is not None and best not in BEST_ENDS:
        problems["rating_best"] = (
            "Say which end of the rating scale is best: the lowest number or the highest "
            "(rating_best: lowest or highest)."
        )
    words = defaults.get("rating_words")
    if words is not None and not (
        isinstance(words, dict)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in words.values())
    ):
        problems["rating_words"] = "Each rating word must stand for a whole number."
    no_rating = defaults.get("no_rating")
    if no_rating is not None and not (
        isinstance(no_rating, list) and all(isinstance(v, str) for v in no_rating)
    ):
        problems["no_rating"] = "The values meaning 'no rating' must be a list of words."
    return problems
