"""Realistic patient feedback for the benchmarks: questions and comments composed from
phrase banks (waiting, staff, parking, appointments, medicines, discharge and more),
with a short answer now and then and a long story sometimes. Used by bench/import.py
(its survey export) and bench/insight.py (the comments it analyses).
"""

from __future__ import annotations

import random

QUESTIONS = [
    "What was good about your visit?",
    "What could we have done better?",
    "Tell us about your experience of getting a GP appointment.",
    "How was your stay in hospital?",
    "What would make it easier to see a dentist?",
    "Is there anything else you would like to tell us?",
    "How did staff treat you?",
    "What do you think of the new online booking system?",
    "How easy was it to get to your appointment?",
    "What matters most to you about your care?",
    "How was the care your relative received?",
    "What support do you need as a carer?",
    "How long did you wait to be seen?",
    "What did you think of the pharmacy service?",
    "How could mental health services be improved?",
    "Overall, how was your experience of our service?",
]
SLOTS: dict[str, list[str]] = {
    "staff": [
        "nurse",
        "receptionist",
        "doctor",
        "GP",
        "midwife",
        "pharmacist",
        "consultant",
        "paramedic",
        "physio",
    ],
    "good": ["kind", "caring", "friendly", "helpful", "patient", "reassuring", "brilliant", "professional"],
    "bad": ["rude", "dismissive", "rushed", "unhelpful", "abrupt", "short with me", "impatient"],
    "place": [
        "A&E",
        "the urgent treatment centre",
        "the GP surgery",
        "Russells Hall",
        "outpatients",
        "the walk-in centre",
        "the maternity unit",
        "the pharmacy on the high street",
        "the dentist",
        "the memory clinic",
        "the eye clinic",
        "the children's ward",
    ],
    "time": [
        "two hours",
        "four hours",
        "six hours",
        "all day",
        "three weeks",
        "six months",
        "a year",
        "ten days",
    ],
    "who": [
        "my mum",
        "my dad",
        "my son",
        "my daughter",
        "my husband",
        "my wife",
        "my neighbour",
        "my grandad",
    ],
    "way": ["on the phone", "online", "at 8am", "through the app", "at the desk", "by email"],
}
SENTENCES = [
    "I waited {time} in {place} before anyone saw me.",
    "The waiting time at {place} was far too long.",
    "We had to wait {time} for a referral.",
    "The wait for an appointment is {time}, which is not acceptable.",
    "I was seen quickly and did not have to wait long.",
    "The {staff} was {good} and explained everything.",
    "The {staff} was {bad} and did not listen.",
    "All the staff were {good} to {who}.",
    "The {staff} made {who} feel safe.",
    "Staff were {good} but clearly overworked.",
    "Parking at {place} is expensive and there are never any spaces.",
    "The car park was full so I missed my appointment.",
    "I could not get a GP appointment {way}.",
    "Trying to book an appointment {way} is impossible.",
    "My appointment was cancelled twice at short notice.",
    "Booking {way} was quick and simple.",
    "Nobody told us what was happening with {who}.",
    "Communication between {place} and the GP was poor.",
    "The pharmacy had run out of my medication again.",
    "Getting a repeat prescription takes too long.",
    "I cannot find an NHS dentist anywhere near me.",
    "{who} was discharged from hospital without a care package.",
    "The discharge was delayed for {time} waiting for medication.",
    "There is no bus to {place} so I rely on taxis.",
    "The ward was clean and the food was good.",
    "The toilets were dirty and the food was cold.",
    "I needed an interpreter but none was booked.",
    "{who} waited {time} for a mental health assessment.",
    "As a carer I feel forgotten and exhausted.",
    "The {staff} at {place} went above and beyond.",
    "Thank you to everyone at {place}.",
    "It felt like nobody cared.",
    "The test results took {time} to come back.",
]
SHORT_ANSWERS = [
    "Very good",
    "Good",
    "All fine",
    "No",
    "Nothing to add",
    "Excellent service",
    "Poor",
    "N/A thanks",
]


# ---------------------------------------------------------------------------------------
# The file.


def comment(rng: random.Random) -> str:
    """A comment: a short answer now and then, mostly 1-4 sentences, sometimes a long story."""
    roll = rng.random()
    if roll < 0.06:
        return rng.choice(SHORT_ANSWERS)
    count = rng.choice((1, 1, 2, 2, 2, 3, 3, 4)) if roll < 0.95 else rng.randint(6, 14)
    values = {name: rng.choice(choices) for name, choices in SLOTS.items()}
    text = " ".join(rng.choice(SENTENCES).format(**values) for _ in range(count))
    if rng.random() < 0.1:  # exports keep the line breaks people typed
        text = text.replace(". ", ".\n", 1)
    return text[0].upper() + text[1:]
