"""Keywords of a short text, for comparing topics: lower case, stop words removed,
simple English word endings folded (wait/waiting/waited -> wait).

Pure Python, no Django: `engage` stores the result and compares sets of keywords.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z][a-z0-9']+")
_WRITTEN = re.compile(r"[A-Za-z][A-Za-z0-9']+")

STOP_WORDS = frozenset(  # a word list reads best as words
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves new people local our we'll what's how's ask asking asked find views view
    go goes going get gets getting need needs help tell think say says want use using us
    make know like feel way let come
    """.split()  # noqa: SIM905
    # Words nearly every engagement activity's title or purpose uses, whatever its topic:
    # two activities sharing them share no topic ("even", "hear" and "icb" were shown as
    # what two unrelated activities were both about).
    + """
    engagement engage engaging event events session sessions meeting meetings hear heard
    hearing listen listening voice voices feedback survey surveys consultation consult
    workshop workshops forum icb nhs council healthwatch partnership partners
    partner residents community communities public service services
    """.split()  # noqa: SIM905
)

# Longest first, so "ings" is tried before "s".
_SUFFIXES = ("ations", "ation", "ingly", "ings", "ness", "ment", "ing", "ies", "ied", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    """A light stemmer: good enough to match word forms in titles, not a linguist.
    A plural is stemmed again once its "s" is gone: appointments -> appointment -> appoint."""
    stemmed = _stem_once(word)
    if word.endswith("s") and stemmed == word[:-1]:
        return _stem_once(stemmed)
    return stemmed


def _stem_once(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
                continue  # times -> time (by "s"), but boxes -> box
            if suffix == "s" and word.endswith("ss"):
                return word  # access, address
            if suffix in {"ies", "ied"}:
                return base + "y"
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                return base[:-1]  # waitting -> wait, planned -> plan
            return base
    return word


def _bare(word: str) -> str:
    """Without a possessive: people's -> people, carers' -> carers."""
    return word.removesuffix("'s").rstrip("'")


def keywords(text: str) -> frozenset[str]:
    words = (_bare(w) for w in _WORD.findall(text.lower()))
    return frozenset(stem(w) for w in words if w and w not in STOP_WORDS)


def written_words(text: str, stems: frozenset[str] | set[str]) -> list[str]:
    """The words of `text` whose keyword is one of `stems`, as the person wrote them
    (each once, in the order written): "waiting" rather than the keyword "wait"."""
    found: dict[str, str] = {}
    for match in _WRITTEN.finditer(text):
        written = _bare(match.group())
        key = stem(written.lower())
        if key in stems and key not in found:
            # Lower case, as in a sentence, but for a word written in capitals (GP, A&E).
            found[key] = written if written.isupper() else written.lower()
    return list(found.values())


def keyword_text(text: str) -> str:
    """Keywords as one space-separated, sorted string, for storing beside a record."""
    return " ".join(sorted(keywords(text)))


def jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)
