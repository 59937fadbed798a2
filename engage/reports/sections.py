"""Each kind of report's sections, in order: the key kept on the report, the heading its
readers see, and whether its writers may leave it out.

A section's content is a list of blocks (figures.py makes them, document.py and the
renderers draw them): the same list becomes the page, the PDF, the Word document and
the Easy Read draft, which is what keeps a figure the same number in every format.
"""

from __future__ import annotations

from dataclasses import dataclass

from engage.reports.models import ReportKind


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    hint: str  # what its narrative is for, shown to its writers
    required: bool = False


SECTIONS: dict[str, list[SectionSpec]] = {
    ReportKind.LOCAL_ACCOUNT: [
        SectionSpec("summary", "Our year at a glance", "A few sentences on the year for anyone.", True),
        SectionSpec(
            "asked",
            "What we asked and who we heard",
            "Who we heard from, who we missed, and what we will do to hear them.",
        ),
        SectionSpec("heard", "What people told us", "The main things people said, in their own words."),
        SectionSpec("did", "What we did", "What changed because of what people told us."),
        SectionSpec(
            "how_well",
            "How well we did it",
            "Did we tell people what happened? What did people think of taking part?",
        ),
        SectionSpec(
            "next", "What happens next", "What we will do next year, and how people can join in.", True
        ),
    ],
    ReportKind.BOARD_PAPER: [
        SectionSpec("purpose", "Purpose", "Why this paper comes to the board.", True),
        SectionSpec("recommendation", "Recommendation", "What the board is asked to do.", True),
        SectionSpec("assurance", "Assurance level", "The level, and the reasons for it.", True),
        SectionSpec("evidence", "The evidence", "What the figures show, question by question."),
        SectionSpec("risks", "Risks", "What could go wrong, and what is being done about it."),
        SectionSpec("story", "A patient or public story", "One person's experience, in their own words."),
    ],
    ReportKind.ACTIVITY: [
        SectionSpec("about", "What we asked and why", "What the activity was for.", True),
        SectionSpec("heard", "What you told us", "The main things people said."),
        SectionSpec("did", "What we did", "What changed because of what people told us."),
        SectionSpec(
            "evaluation", "What you thought of taking part", "How the people who took part rated it."
        ),
        SectionSpec("next", "What happens next", "What will happen now, and when people will hear.", True),
    ],
}


def section_specs(kind: str) -> list[SectionSpec]:
    return SECTIONS[kind]


def section_spec(kind: str, key: str) -> SectionSpec | None:
    return next((spec for spec in SECTIONS[kind] if spec.key == key), None)


def chosen_sections(kind: str, keys: list[str]) -> list[SectionSpec]:
    """The sections a report shows: the ones chosen and the ones it must have, in the
    kind's order."""
    wanted = set(keys)
    return [spec for spec in SECTIONS[kind] if spec.required or spec.key in wanted]
