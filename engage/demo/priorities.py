"""The priorities of Castlebridge's Joint Health and Wellbeing Strategy.

Modelled on a metropolitan borough's strategy (Dudley's, for one): a few priorities
across the life course, one on inequalities and one on joined-up care. Activities name
the priorities they serve by key (activities.py). One priority has no engagement at all,
so the coverage matrix has a gap to show: the wider causes of ill health, which health
partnerships often plan for without asking anyone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrioritySpec:
    key: str  # how activities.py refers to it; never shown
    title: str
    description: str


PRIORITIES: tuple[PrioritySpec, ...] = (
    PrioritySpec(
        "start_well",
        "Giving every child the best start in life",
        "Healthy pregnancies, confident parents, and children ready for school, whatever "
        "street they are born on.",
    ),
    PrioritySpec(
        "mental_health",
        "Good mental health and wellbeing for all",
        "Help early, close to home and without a long wait, for people of every age, and "
        "communities where it is fine to talk about how you feel.",
    ),
    PrioritySpec(
        "long_term",
        "Living well with long-term conditions",
        "Preventing diabetes, heart and lung disease where we can, and helping people who "
        "live with them to manage well and stay out of hospital.",
    ),
    PrioritySpec(
        "ageing_carers",
        "Ageing well and supporting carers",
        "Older people living independently for longer, people with dementia and their "
        "families well supported, and unpaid carers recognised and given a break.",
    ),
    PrioritySpec(
        "inequalities",
        "Tackling health inequalities in our most deprived neighbourhoods",
        "Closing the gap of ten years in life expectancy between our richest and poorest "
        "wards, working with the communities that live there.",
    ),
    PrioritySpec(
        "communities",
        "Healthy, safe and connected communities",
        "Neighbourhoods where people feel safe, know their neighbours, and can be active, "
        "eat well and find help from local groups.",
    ),
    PrioritySpec(
        "urgent_care",
        "Joined-up urgent and emergency care",
        "The right care first time, whether from the GP, the pharmacy, the walk-in centre "
        "or the emergency department, with services that talk to each other.",
    ),
    PrioritySpec(
        "work_money",
        "Good work, fair incomes and decent homes",
        "Tackling the wider causes of ill health: jobs and skills, money worries, and warm, secure housing.",
    ),
)

# The priority no demo activity serves: the gap the coverage matrix must find.
UNCOVERED_PRIORITY = "work_money"

PRIORITY_TITLES: dict[str, str] = {spec.key: spec.title for spec in PRIORITIES}


def demo_priority_titles() -> tuple[str, ...]:
    """Every priority the demo creates, so that a reset removes exactly those."""
    return tuple(spec.title for spec in PRIORITIES)
