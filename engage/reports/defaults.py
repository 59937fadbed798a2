"""The jargon list a partnership starts with: words that health and care reports use and
the public find hard, with plainer ones (drawn from the Plain English Campaign's A to Z
of alternative words and the NHS digital service manual's content style guide). The
partnership edits it (Reports → Jargon)."""

from __future__ import annotations

from typing import Any

JARGON: tuple[tuple[str, str], ...] = (
    ("stakeholders", "people and groups with an interest"),
    ("stakeholder", "person or group with an interest"),
    ("co-production", "working together as equals"),
    ("co-produce", "work together as equals"),
    ("utilise", "use"),
    ("facilitate", "help"),
    ("commissioners", "the people who plan and pay for services"),
    ("commissioning", "planning and paying for services"),
    ("service users", "people who use services"),
    ("cohort", "group"),
    ("engagement", "talking with people"),
    ("integrated care system", "local health and care partnership"),
    ("ICS", "local health and care partnership"),
    ("ICB", "local NHS board"),
    ("health inequalities", "unfair differences in health"),
    ("seldom heard", "people we hear from less"),
    ("hard to reach", "people we hear from less"),
    ("going forward", "from now on"),
    ("in order to", "to"),
    ("prior to", "before"),
    ("in relation to", "about"),
    ("implement", "carry out"),
    ("leverage", "use"),
    ("holistic", "whole-person"),
    ("pathway", "route through care"),
    ("primary care", "GP practices, pharmacies, dentists and opticians"),
    ("secondary care", "hospital care"),
    ("domiciliary care", "care at home"),
    ("assurance", "confidence"),
    ("KPI", "measure"),
)


def jargon_seed(*, jargon_model: Any) -> None:
    """Store the starting list where the partnership has none (the model is passed in,
    so a migration stores it with the model as it migrated it)."""
    if not jargon_model.objects.exists():
        jargon_model.objects.bulk_create(jargon_model(term=term, plain=plain) for term, plain in JARGON)
