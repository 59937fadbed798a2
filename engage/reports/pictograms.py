"""The pictures shipped for Easy Read (static/reports/pictograms, OpenMoji, CC BY-SA 4.0:
the README beside them), what each shows (its alternative text), and the words that
choose it for a point when Easy Read is drafted."""

from __future__ import annotations

import re
from dataclasses import dataclass

ATTRIBUTION = "Pictures: OpenMoji (openmoji.org), CC BY-SA 4.0"


@dataclass(frozen=True)
class Pictogram:
    name: str
    shows: str
    words: tuple[str, ...]

    @property
    def static_path(self) -> str:
        return f"reports/pictograms/{self.name}.svg"


PICTOGRAMS: tuple[Pictogram, ...] = (
    Pictogram("listen", "An ear", ("heard", "hear", "listen", "listened", "asked")),
    Pictogram("talk", "A person speaking", ("told", "said", "say", "talk", "views", "voice")),
    Pictogram("speech", "A speech bubble", ("conversation", "conversations", "comment", "quote", "words")),
    Pictogram("people", "Two people", ("people", "groups", "everyone", "public", "community")),
    Pictogram("family", "A family", ("family", "families", "carers", "parents")),
    Pictogram("hospital", "A hospital", ("hospital", "ward", "nhs", "appointment", "appointments")),
    Pictogram("doctor", "A stethoscope", ("gp", "doctor", "doctors", "nurse", "health", "care")),
    Pictogram("medicine", "A pill", ("medicine", "medicines", "pharmacy", "prescription")),
    Pictogram("calendar", "A calendar", ("year", "month", "months", "date", "dates")),
    Pictogram("done", "A green tick", ("done", "did", "decision", "decisions", "changed", "made")),
    Pictogram("good", "A thumbs up", ("good", "well", "agree", "liked", "happy")),
    Pictogram("chart", "A chart going up", ("figures", "more", "rose", "trend", "score", "scores")),
    Pictogram("home", "A house", ("home", "housing", "live", "lives")),
    Pictogram("wheelchair", "A wheelchair", ("disabled", "disability", "access", "accessible")),
    Pictogram("money", "A bank note", ("money", "cost", "pay", "budget", "pounds")),
    Pictogram("time", "An alarm clock", ("time", "wait", "waiting", "late", "overdue")),
    Pictogram("phone", "A telephone", ("phone", "call", "ring")),
    Pictogram("letter", "An envelope", ("letter", "email", "write to", "contact")),
    Pictogram("idea", "A light bulb", ("idea", "ideas", "learn", "learned", "learnt")),
    Pictogram("together", "Two hands shaking", ("partnership", "partners", "together", "work with")),
    Pictogram("question", "A question mark", ("question", "questions", "asked us")),
    Pictogram("list", "A clipboard", ("report", "plan", "list", "check")),
    Pictogram("search", "A magnifying glass", ("look", "found", "find", "evaluation")),
    Pictogram("star", "A star", ("best", "goal", "goals", "aim")),
    Pictogram("warning", "A warning sign", ("risk", "risks", "problem", "less", "missed")),
    Pictogram("bus", "A bus", ("bus", "transport", "travel")),
    Pictogram("heart", "A heart", ("feel", "felt", "kind", "respect", "dignity")),
    Pictogram("learn", "A pile of books", ("training", "school", "read")),
    Pictogram("hand", "A raised hand", ("take part", "join", "involved", "part")),
    Pictogram("write", "A hand writing", ("form", "survey", "wrote", "written")),
    Pictogram("child", "A child", ("child", "children", "young")),
    Pictogram("older", "An older person", ("older", "elderly")),
    Pictogram("computer", "A laptop", ("website", "online", "internet")),
    Pictogram("next", "An arrow pointing right", ("next", "will", "future")),
    Pictogram("think", "A thinking face", ("think", "thought", "thoughts")),
    Pictogram("target", "A target", ("target", "priority", "priorities")),
    Pictogram("happy", "A smiling face", ("positive", "pleased")),
    Pictogram("sad", "A frowning face", ("negative", "hard", "difficult", "worried")),
    Pictogram("building", "A council building", ("council", "board", "committee")),
    Pictogram("map", "A map", ("area", "areas", "place", "places")),
    Pictogram("police", "A police officer", ("police", "safe", "safety")),
    Pictogram("ear_aid", "An ear with a hearing aid", ("deaf", "hearing loop", "interpreter")),
)
BY_NAME = {p.name: p for p in PICTOGRAMS}
SECTION_PICTURES = {
    "summary": "list",
    "asked": "listen",
    "heard": "talk",
    "did": "done",
    "how_well": "search",
    "next": "next",
    "about": "question",
    "evaluation": "think",
}
_WORD = re.compile(r"[a-z']+")


def picture_for(text: str, *, section_key: str = "") -> str:
    """The shipped picture whose words come first in `text`; the section's own where
    none does."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    best: tuple[int, str] | None = None
    for pictogram in PICTOGRAMS:
        for word in pictogram.words:
            if " " in word:
                at = lowered.find(word)
                position = len(_WORD.findall(lowered[:at])) if at >= 0 else -1
            else:
                position = words.index(word) if word in words else -1
            if position >= 0 and (best is None or position < best[0]):
                best = (position, pictogram.name)
    if best is not None:
        return best[1]
    return SECTION_PICTURES.get(section_key, "list")
