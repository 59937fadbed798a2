"""The standing groups of the Castlebridge partnership, besides each practice's PPG.

A group's members are personal data of the organisation that runs it, so every group
here is run by an organisation that holds people (see organisations.py), and its
members are drawn from that organisation's people. The seldom-heard groups the source
documents ask partners to reach — young people, carers, faith communities, disabled
people, refugees — each have groups of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from engage.partners.models import GroupKind


@dataclass(frozen=True)
class GroupSpec:
    name: str
    kind: GroupKind
    runner: str  # the key of the organisation that runs it (organisations.py)
    area: str
    description: str
    members: tuple[int, int]  # the fewest and most members, drawn at random


STAKEHOLDER_COUNCIL = GroupSpec(
    "Castlebridge Stakeholder Council",
    GroupKind.STAKEHOLDER_COUNCIL,
    "icb",
    "Castlebridge borough",
    "Local people who advise the ICB on its plans and check that it acts on what it hears. "
    "Its members are the ICB's stakeholder council members.",
    members=(0, 0),  # everyone with the stakeholder council member role, not a random draw
)

GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        "Harrowmere Community Forum",
        GroupKind.COMMUNITY,
        "cvs",
        "Harrowmere",
        "Residents and local groups meeting monthly about life in Harrowmere.",
        (25, 45),
    ),
    GroupSpec(
        "Wyrebrook Neighbourhood Network",
        GroupKind.COMMUNITY,
        "cvs",
        "Wyrebrook",
        "Neighbours, tenants and small groups sharing news and concerns.",
        (20, 40),
    ),
    GroupSpec(
        "Stonehale Tenants' and Residents' Association",
        GroupKind.COMMUNITY,
        "cvs",
        "Stonehale",
        "Speaks for council tenants and residents on the Stonehale estates.",
        (15, 30),
    ),
    GroupSpec(
        "Castlebridge Interfaith Health Forum",
        GroupKind.FAITH,
        "cvs",
        "Castlebridge borough",
        "Faith leaders and members talking about health in their communities.",
        (15, 25),
    ),
    GroupSpec(
        "Healthwatch Castlebridge Readers' Panel",
        GroupKind.COMMUNITY,
        "healthwatch",
        "Castlebridge borough",
        "Checks that leaflets and letters from local services are clear.",
        (20, 35),
    ),
    GroupSpec(
        "Healthwatch Carers' Voice",
        GroupKind.CARERS,
        "healthwatch",
        "Castlebridge borough",
        "Unpaid carers telling Healthwatch what works and what does not.",
        (15, 30),
    ),
    GroupSpec(
        "Young Healthwatch Castlebridge",
        GroupKind.YOUNG_PEOPLE,
        "healthwatch",
        "Castlebridge borough",
        "Young people aged 14 to 25 reviewing local services.",
        (12, 24),
    ),
    GroupSpec(
        "Castlebridge Citizens' Panel",
        GroupKind.COMMUNITY,
        "council",
        "Castlebridge borough",
        "Residents who answer the council's surveys several times a year.",
        (60, 110),
    ),
    GroupSpec(
        "Castlebridge Youth Council",
        GroupKind.YOUNG_PEOPLE,
        "council",
        "Castlebridge borough",
        "Elected young people who speak for the borough's under-18s.",
        (15, 30),
    ),
    GroupSpec(
        "Young Carers' Club",
        GroupKind.CARERS,
        "carers",
        "Castlebridge borough",
        "A break and a say for carers aged 8 to 18.",
        (12, 25),
    ),
    GroupSpec(
        "Dementia Carers' Café",
        GroupKind.CARERS,
        "carers",
        "Lyefold",
        "A monthly café for people caring for someone with dementia.",
        (15, 30),
    ),
    GroupSpec(
        "Parent Carers' Coffee Morning",
        GroupKind.CARERS,
        "carers",
        "Ambley Cross",
        "Parents of disabled children meeting and sharing what helps.",
        (10, 25),
    ),
    GroupSpec(
        "Mental Health Service User Forum",
        GroupKind.COMMUNITY,
        "mind",
        "Castlebridge borough",
        "People who use mental health services shaping them.",
        (20, 35),
    ),
    GroupSpec(
        "Young Minds Matter Peer Group",
        GroupKind.YOUNG_PEOPLE,
        "mind",
        "Wyrebrook",
        "Peer support and a voice for young people with mental health problems.",
        (8, 18),
    ),
    GroupSpec(
        "Jamia Mosque Health Champions",
        GroupKind.FAITH,
        "mosque",
        "Ambley Cross",
        "Worshippers trained to share health messages and gather views.",
        (12, 25),
    ),
    GroupSpec(
        "Sisters in Faith Women's Circle",
        GroupKind.FAITH,
        "mosque",
        "Ambley Cross",
        "A women's circle meeting after Friday prayers.",
        (15, 30),
    ),
    GroupSpec(
        "Gurdwara Sewa Health Group",
        GroupKind.FAITH,
        "gurdwara",
        "Wyrebrook",
        "Volunteers running health days alongside the langar.",
        (15, 30),
    ),
    GroupSpec(
        "Youth Voice Panel",
        GroupKind.YOUNG_PEOPLE,
        "youth",
        "Castlebridge borough",
        "Young people aged 11 to 25 who advise services that affect them.",
        (15, 30),
    ),
    GroupSpec(
        "Access for All Group",
        GroupKind.COMMUNITY,
        "disability",
        "Castlebridge borough",
        "Disabled people checking buildings, websites and services for access.",
        (15, 30),
    ),
    GroupSpec(
        "Refugee Women's Conversation Club",
        GroupKind.COMMUNITY,
        "refugee",
        "Castlebridge",
        "English conversation and a say in local services for refugee women.",
        (12, 25),
    ),
    GroupSpec(
        "Over-60s Wellbeing Circle",
        GroupKind.COMMUNITY,
        "older_people",
        "Coldwell Heath",
        "Older people meeting monthly to talk about health, care and getting about.",
        (20, 40),
    ),
)
