"""The organisations of the Castlebridge partnership.

Modelled on a metropolitan borough's health and care partnership as the source
documents describe it: the council and its public health team, the ICB, two NHS trusts,
Healthwatch, the council for voluntary service, the police, the voluntary and community
sector and 47 GP practices (as Birmingham South Central CCG had). Every name is invented.

`people` says how many people's details an organisation holds: most sit with the ICB,
Healthwatch, the CVS and the council, as in the source documents' contact lists, and a
few voluntary organisations hold those who belong to the groups they run. GP practices
hold their patient participation group members, sized when the people are built.
"""

from __future__ import annotations

from dataclasses import dataclass

from engage.partners.models import OrganisationKind


@dataclass(frozen=True)
class OrganisationSpec:
    key: str  # how the generator refers to it; never shown
    name: str
    kind: OrganisationKind
    short_name: str = ""
    description: str = ""
    people: int = 0


STATUTORY: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        "icb",
        "NHS Castlebridge Integrated Care Board",
        OrganisationKind.ICB,
        short_name="Castlebridge ICB",
        description=(
            "Plans and buys most NHS services for Castlebridge. Runs the stakeholder "
            "council and the patient ambassadors, and leads the Big Conversation."
        ),
        people=900,
    ),
    OrganisationSpec(
        "council",
        "Castlebridge Metropolitan Borough Council",
        OrganisationKind.COUNCIL,
        short_name="Castlebridge Council",
        description=(
            "The borough council: adult social care, children's services, housing and "
            "the Health and Wellbeing Board."
        ),
        people=340,
    ),
    OrganisationSpec(
        "public_health",
        "Castlebridge Public Health",
        OrganisationKind.PUBLIC_HEALTH,
        short_name="Public Health",
        description=(
            "The council's public health team. Writes the joint strategic needs "
            "assessment and uses what people tell the partnership to shape it."
        ),
    ),
    OrganisationSpec(
        "acute_trust",
        "Castlebridge Hospitals NHS Foundation Trust",
        OrganisationKind.NHS_TRUST,
        short_name="Castlebridge Hospitals",
        description="Runs Castlebridge General Hospital, its emergency department and clinics.",
        people=60,
    ),
    OrganisationSpec(
        "community_trust",
        "Castlebridge Community and Mental Health NHS Trust",
        OrganisationKind.NHS_TRUST,
        short_name="Community and Mental Health Trust",
        description="Community nursing, therapies and mental health services across the borough.",
        people=40,
    ),
    OrganisationSpec(
        "healthwatch",
        "Healthwatch Castlebridge",
        OrganisationKind.HEALTHWATCH,
        description=("The independent champion for people who use health and care services in Castlebridge."),
        people=520,
    ),
    OrganisationSpec(
        "cvs",
        "Castlebridge Council for Voluntary Service",
        OrganisationKind.VCSE,
        short_name="Castlebridge CVS",
        description=(
            "Supports and speaks for the borough's voluntary and community sector, keeps "
            "the directory of its services and runs the volunteer centre."
        ),
        people=300,
    ),
    OrganisationSpec(
        "police",
        "West Midshire Police",
        OrganisationKind.POLICE,
        description="The police force for Castlebridge and the neighbouring boroughs.",
    ),
)

VCSE: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        "carers",
        "Castlebridge Carers' Centre",
        OrganisationKind.VCSE,
        description="Advice, breaks and peer support for unpaid carers of every age.",
        people=160,
    ),
    OrganisationSpec(
        "mind",
        "Castlebridge and District Mind",
        OrganisationKind.VCSE,
        description="Mental health support, talking therapies and a user forum.",
        people=90,
    ),
    OrganisationSpec(
        "mosque",
        "Ambley Cross Jamia Mosque Community Trust",
        OrganisationKind.VCSE,
        description="Health champions, a women's circle and a food pantry, run from the mosque.",
        people=70,
    ),
    OrganisationSpec(
        "gurdwara",
        "Guru Nanak Gurdwara Wyrebrook Community Trust",
        OrganisationKind.VCSE,
        description="Langar, health days and sewa volunteering from the Wyrebrook gurdwara.",
        people=60,
    ),
    OrganisationSpec(
        "youth",
        "Brighter Futures Youth Project",
        OrganisationKind.VCSE,
        description="Youth clubs, detached youth work and a youth voice panel for 11 to 25s.",
        people=80,
    ),
    OrganisationSpec(
        "disability",
        "Castlebridge Disability Forum",
        OrganisationKind.VCSE,
        description="Run by and for disabled people; checks services for access.",
        people=50,
    ),
    OrganisationSpec(
        "refugee",
        "Harbour Refugee and Asylum Support",
        OrganisationKind.VCSE,
        description="Welcome, English conversation, advice and help to register with a GP.",
        people=55,
    ),
    OrganisationSpec(
        "older_people",
        "Castlebridge Older People's Forum",
        OrganisationKind.VCSE,
        description="Brings the views of people over 60 to the council and the NHS.",
        people=70,
    ),
    OrganisationSpec(
        "food_bank",
        "Castlebridge Food Bank",
        OrganisationKind.VCSE,
        description="Emergency food parcels from five centres across the borough.",
    ),
    OrganisationSpec(
        "lgbt",
        "Castlebridge Pride Network",
        OrganisationKind.VCSE,
        description="Social groups and support for LGBT+ people and their families.",
    ),
    OrganisationSpec(
        "age_well",
        "Age Well Castlebridge",
        OrganisationKind.VCSE,
        description="Befriending, information and advice and day opportunities for older people.",
    ),
    OrganisationSpec(
        "stonehale_ca",
        "Stonehale Community Association",
        OrganisationKind.VCSE,
        description="Runs Stonehale Community Centre and its groups.",
    ),
    OrganisationSpec(
        "mens_shed",
        "Harrowmere Men's Shed",
        OrganisationKind.VCSE,
        description="A workshop where men meet, make things and look out for each other.",
    ),
    OrganisationSpec(
        "saheli",
        "Castlebridge Saheli Women's Group",
        OrganisationKind.VCSE,
        description="A wellbeing group for South Asian women, in English, Punjabi and Urdu.",
    ),
    OrganisationSpec(
        "windrush",
        "Windrush Elders Association Castlebridge",
        OrganisationKind.VCSE,
        description="Lunch club and advocacy for African Caribbean elders.",
    ),
    OrganisationSpec(
        "deaf",
        "Castlebridge Deaf Association",
        OrganisationKind.VCSE,
        description="BSL interpreting, a deaf club and deaf awareness training.",
    ),
    OrganisationSpec(
        "sight",
        "Sight Matters Castlebridge",
        OrganisationKind.VCSE,
        description="Support for blind and partially sighted people.",
    ),
    OrganisationSpec(
        "autism",
        "Castlebridge Autism Support Network",
        OrganisationKind.VCSE,
        description="Peer support for autistic adults and families.",
    ),
    OrganisationSpec(
        "parents",
        "Parents in Partnership Castlebridge",
        OrganisationKind.VCSE,
        description="The parent carer forum for children with special educational needs.",
    ),
    OrganisationSpec(
        "dementia",
        "Forget-Me-Not Dementia Support",
        OrganisationKind.VCSE,
        description="Memory cafés and support for people living with dementia.",
    ),
    OrganisationSpec(
        "advice",
        "Castlebridge Advice Centre",
        OrganisationKind.VCSE,
        description="Free advice on benefits, debt, housing and employment.",
    ),
    OrganisationSpec(
        "homeless",
        "Open Door Homeless Project",
        OrganisationKind.VCSE,
        description="A day centre, outreach and health drop-ins for people sleeping rough.",
    ),
    OrganisationSpec(
        "recovery",
        "New Leaf Recovery Community",
        OrganisationKind.VCSE,
        description="Peer-led recovery from drug and alcohol use.",
    ),
    OrganisationSpec(
        "polish",
        "Castlebridge Polish Community Association",
        OrganisationKind.VCSE,
        description="Saturday school, advice and social events for Polish families.",
    ),
    OrganisationSpec(
        "bangladeshi",
        "Ambley Cross Bangladeshi Welfare Association",
        OrganisationKind.VCSE,
        description="Advice, interpreting and a community health programme.",
    ),
    OrganisationSpec(
        "st_thomas",
        "St Thomas's Church Community Project, Pennock",
        OrganisationKind.VCSE,
        description="A lunch club, toddler group and warm space in Pennock.",
    ),
    OrganisationSpec(
        "interfaith",
        "Castlebridge Interfaith Network",
        OrganisationKind.VCSE,
        description="Brings the borough's faith communities together.",
    ),
    OrganisationSpec(
        "talk_it_out",
        "Talk It Out Youth Counselling",
        OrganisationKind.VCSE,
        description="Free counselling for young people aged 11 to 25.",
    ),
    OrganisationSpec(
        "sports",
        "Stonehale Sports and Wellbeing Club",
        OrganisationKind.VCSE,
        description="Walking football, chair-based exercise and junior sport.",
    ),
    OrganisationSpec(
        "growers",
        "Pennock Community Growers",
        OrganisationKind.VCSE,
        description="A community garden and growing project for all ages.",
    ),
    OrganisationSpec(
        "stroke",
        "Castlebridge Stroke Club",
        OrganisationKind.VCSE,
        description="Weekly club for stroke survivors and their carers.",
    ),
    OrganisationSpec(
        "breathing",
        "Better Breathing Group Castlebridge",
        OrganisationKind.VCSE,
        description="Singing and exercise for people with lung conditions.",
    ),
    OrganisationSpec(
        "family_support",
        "Wyrebrook Family Support Trust",
        OrganisationKind.VCSE,
        description="Family support workers and parenting courses.",
    ),
    OrganisationSpec(
        "safe_haven",
        "Safe Haven Castlebridge",
        OrganisationKind.VCSE,
        description="Refuge, outreach and advice for people facing domestic abuse.",
    ),
    OrganisationSpec(
        "kurdish",
        "Castlebridge Kurdish Community Association",
        OrganisationKind.VCSE,
        description="Language classes, advice and cultural events.",
    ),
    OrganisationSpec(
        "roma",
        "Castlebridge Roma Inclusion Project",
        OrganisationKind.VCSE,
        description="Helps Roma families reach health, schools and work.",
    ),
    OrganisationSpec(
        "brindley",
        "Brindley Vale Residents' Trust",
        OrganisationKind.VCSE,
        description="Runs the estate's community flat and residents' events.",
    ),
    OrganisationSpec(
        "speak_up",
        "Speak Up Castlebridge",
        OrganisationKind.VCSE,
        description="Self-advocacy by and for people with learning disabilities.",
    ),
    OrganisationSpec(
        "transport",
        "Harrowmere Community Transport",
        OrganisationKind.VCSE,
        description="Door-to-door minibuses for people who cannot use buses.",
    ),
    OrganisationSpec(
        "mandir",
        "Shree Krishna Mandir Castlebridge",
        OrganisationKind.VCSE,
        description="The Hindu temple's community and health programme.",
    ),
)


@dataclass(frozen=True)
class GPPracticeSpec:
    name: str
    town: str


GP_PRACTICES: tuple[GPPracticeSpec, ...] = (
    GPPracticeSpec("Castlebridge Health Centre", "Castlebridge"),
    GPPracticeSpec("Castle Street Surgery", "Castlebridge"),
    GPPracticeSpec("Market Place Medical Practice", "Castlebridge"),
    GPPracticeSpec("The Limes Surgery", "Castlebridge"),
    GPPracticeSpec("Foundry Lane Medical Centre", "Castlebridge"),
    GPPracticeSpec("Bridge Street Surgery", "Castlebridge"),
    GPPracticeSpec("St Luke's Surgery", "Castlebridge"),
    GPPracticeSpec("Victoria Road Medical Centre", "Castlebridge"),
    GPPracticeSpec("Chainmakers Medical Centre", "Castlebridge"),
    GPPracticeSpec("Dr S K Sandhu and Partners", "Castlebridge"),
    GPPracticeSpec("Harrowmere Medical Practice", "Harrowmere"),
    GPPracticeSpec("Harrowmere Green Surgery", "Harrowmere"),
    GPPracticeSpec("The Cedars Medical Practice", "Harrowmere"),
    GPPracticeSpec("Kingsmead Medical Practice", "Harrowmere"),
    GPPracticeSpec("Beechwood Surgery", "Harrowmere"),
    GPPracticeSpec("Ambley Cross Medical Centre", "Ambley Cross"),
    GPPracticeSpec("Canal Side Surgery", "Ambley Cross"),
    GPPracticeSpec("Hawthorn Medical Practice", "Ambley Cross"),
    GPPracticeSpec("Malthouse Medical Centre", "Ambley Cross"),
    GPPracticeSpec("Dr Okafor's Surgery", "Ambley Cross"),
    GPPracticeSpec("Wyrebrook Family Practice", "Wyrebrook"),
    GPPracticeSpec("High Oak Surgery", "Wyrebrook"),
    GPPracticeSpec("Netherwood Health Centre", "Wyrebrook"),
    GPPracticeSpec("Riverside Family Practice", "Wyrebrook"),
    GPPracticeSpec("Glassworks Road Surgery", "Wyrebrook"),
    GPPracticeSpec("Stonehale Road Surgery", "Stonehale"),
    GPPracticeSpec("Greenacres Surgery", "Stonehale"),
    GPPracticeSpec("The Park Surgery", "Stonehale"),
    GPPracticeSpec("Lime Kiln Surgery", "Stonehale"),
    GPPracticeSpec("Coldwell Heath Medical Centre", "Coldwell Heath"),
    GPPracticeSpec("Church View Surgery", "Coldwell Heath"),
    GPPracticeSpec("Moorfields Medical Centre", "Coldwell Heath"),
    GPPracticeSpec("Old Forge Medical Practice", "Coldwell Heath"),
    GPPracticeSpec("Pennock Village Surgery", "Pennock"),
    GPPracticeSpec("Oakham Road Surgery", "Pennock"),
    GPPracticeSpec("Chapel Row Medical Practice", "Pennock"),
    GPPracticeSpec("Three Counties Medical Practice", "Pennock"),
    GPPracticeSpec("Lyefold Health Centre", "Lyefold"),
    GPPracticeSpec("Holly Bank Medical Centre", "Lyefold"),
    GPPracticeSpec("The Ridge Surgery", "Lyefold"),
    GPPracticeSpec("Quarry Lane Surgery", "Lyefold"),
    GPPracticeSpec("Brindley Vale Surgery", "Brindley Vale"),
    GPPracticeSpec("Woodside Medical Centre", "Brindley Vale"),
    GPPracticeSpec("Elm Tree Surgery", "Brindley Vale"),
    GPPracticeSpec("North Lane Surgery", "Brindley Vale"),
    GPPracticeSpec("Abbey Fields Medical Practice", "Brindley Vale"),
    GPPracticeSpec("Ashdale Family Practice", "Castlebridge"),
)

# How many patients sit on one practice's patient participation group.
PPG_SIZE = (6, 18)

# The organisation whose presence means the demo is loaded.
MARKER_ORGANISATION = STATUTORY[0].name


def demo_organisation_names() -> tuple[str, ...]:
    """Every organisation the demo creates, so that a reset removes exactly those."""
    return (
        *(spec.name for spec in STATUTORY),
        *(spec.name for spec in VCSE),
        *(practice.name for practice in GP_PRACTICES),
    )
