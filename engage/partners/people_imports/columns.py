"""The fields of a contact list an import can fill, the ready-made mapping, and the
checks on a mapping and what it says to use where the file is silent.

One row is one person; their groups and roles are listed in a cell, separated by
semicolons, and their consent is given per purpose in up to four columns each: the date
it was given, how, where, and the date it was withdrawn (if it was). A mapping names
the heading of the column that holds each field, or a list of headings of which the
first the file has is used (engage.core.tabular.columns).
"""

from __future__ import annotations

from typing import Any

from engage.partners.models import ConsentMethod, ConsentPurpose, GroupKind

CONSENT_PARTS = {
    "given_on": "given on",
    "method": "how given",
    "source": "where given",
    "withdrawn_on": "withdrawn on",
}
_PURPOSE_WORDS = {
    ConsentPurpose.CONTACT: "Consent to contact",
    ConsentPurpose.QUOTE: "Consent to quote",
    ConsentPurpose.DEMOGRAPHICS: "Consent to hold demographics",
}


def consent_field(purpose: str, part: str) -> str:
    return f"{purpose}_consent_{part}"


# The fields a column can hold, with the words a person sees, in the order of the page.
FIELDS: dict[str, str] = {
    "reference": "Your reference for the person",
    "given_name": "First name",
    "family_name": "Last name",
    "full_name": "Full name (if first and last are in one column)",
    "email": "Email",
    "phone": "Phone",
    "postcode": "Postcode",
    "notes": "Notes",
    "roles": "Roles",
    "groups": "Groups",
    "joined_on": "Date joined the groups",
    **{
        consent_field(purpose, part): f"{_PURPOSE_WORDS[ConsentPurpose(purpose)]}: {words}"
        for purpose in ConsentPurpose.values
        for part, words in CONSENT_PARTS.items()
    },
}
NAME_FIELDS = ("given_name", "full_name")
DEFAULT_KEYS = ("consent_method", "consent_source", "group_kind")
# Groups a file names that the organisation does not run yet are made, of this kind. A
# patient participation group must name its practice, so it is made by hand instead.
NEW_GROUP_KINDS = [kind for kind in GroupKind if kind != GroupKind.PATIENT_PARTICIPATION]
DEFAULT_GROUP_KIND = GroupKind.COMMUNITY.value

CONTACT_LIST = "Contact list"


def _consent_headings(purpose: str) -> dict[str, list[str]]:
    words = _PURPOSE_WORDS[ConsentPurpose(purpose)]
    short = {"contact": "Contact", "quote": "Quote", "demographics": "Demographics"}[purpose]
    return {
        consent_field(purpose, "given_on"): [
            f"{words} given on",
            f"{words} date",
            f"{short} consent date",
            words,
        ],
        consent_field(purpose, "method"): [
            f"{words} method",
            f"{words} how given",
            f"{short} consent method",
        ],
        consent_field(purpose, "source"): [
            f"{words} source",
            f"{words} where given",
            f"{short} consent source",
        ],
        consent_field(purpose, "withdrawn_on"): [
            f"{words} withdrawn on",
            f"{words} withdrawn",
            f"{short} consent withdrawn",
        ],
    }


# The ready-made mapping: the headings of the CSV template on the import page, and the
# usual names a CRM or spreadsheet gives the same columns.
CONTACT_LIST_MAPPING: dict[str, Any] = {
    "reference": ["Reference", "Your reference", "ID", "Contact ID", "Person ID"],
    "given_name": ["First name", "Given name", "Forename", "First names"],
    "family_name": ["Last name", "Family name", "Surname"],
    "full_name": ["Full name", "Name"],
    "email": ["Email", "Email address", "E-mail"],
    "phone": ["Phone", "Telephone", "Phone number", "Mobile"],
    "postcode": ["Postcode", "Post code"],
    "notes": ["Notes", "Note"],
    "roles": ["Roles", "Role"],
    "groups": ["Groups", "Group", "Group memberships"],
    "joined_on": ["Joined on", "Date joined", "Joined"],
    **{k: v for purpose in ConsentPurpose.values for k, v in _consent_headings(purpose).items()},
}

TEMPLATE_HEADINGS = [
    "Reference",
    "First name",
    "Last name",
    "Email",
    "Phone",
    "Postcode",
    "Notes",
    "Roles",
    "Groups",
    "Joined on",
    *(
        f"{_PURPOSE_WORDS[ConsentPurpose(purpose)]} {words}"
        for purpose in ConsentPurpose.values
        for words in ("given on", "method", "source", "withdrawn on")
    ),
]


def mapping_problems(mapping: Any, defaults: Any) -> dict[str, str]:
    """What is wrong with a mapping and its defaults, field by field (empty if nothing)."""
    problems: dict[str, str] = {}
    if not isinstance(mapping, dict):
        return {"mapping": "The mapping must name a column for each field."}
    if not isinstance(defaults, dict):
        return {"defaults": "The defaults must be a set of named values."}
    for name, wanted in mapping.items():
        if name not in FIELDS:
            problems[name] = f"There is no field of a person's record called {name!r}."
        elif not (
            (isinstance(wanted, str) and wanted.strip())
            or (isinstance(wanted, list) and wanted and all(isinstance(h, str) and h.strip() for h in wanted))
        ):
            problems[name] = f"Choose the column that holds the {FIELDS[name].lower()}."
    if not any(mapping.get(name) for name in NAME_FIELDS):
        problems["given_name"] = "Choose the column that holds people's first names, or their full names."
    for key in defaults:
        if key not in DEFAULT_KEYS:
            problems[key] = f"There is no default called {key!r}."
    method = defaults.get("consent_method", "")
    if method and method not in ConsentMethod.values:
        problems["consent_method"] = (
            f"The way consent was given must be one of: {', '.join(ConsentMethod.values)}."
        )
    source = defaults.get("consent_source", "")
    if not isinstance(source, str) or len(source) > 200:
        problems["consent_source"] = "Where consent was given must be words, 200 characters or fewer."
    kind = defaults.get("group_kind", DEFAULT_GROUP_KIND)
    if kind not in {k.value for k in NEW_GROUP_KINDS}:
        problems["group_kind"] = (
            "Choose what kind of group new groups are (not a patient participation group)."
        )
    return problems
