"""What people told the Castlebridge partners: the demo's bank of conversations.

Texts are composed from curated phrase banks, one bank a theme, written the way people
write on a Friends and Family Test card, a survey or a web form, or the way a volunteer
jots down what was said at a stall: British spelling, from a few words to a few
sentences, kind and angry and both at once ("The nurse was lovely but I waited four
hours"), with the odd typo, no capitals or no full stop, and the "Nothing", "n/a" and
"Did not answer" that fill a real export.

The themes follow the NHS patient experience framework (staff manner, waiting,
appointments and the phone, communication, information, environment, parking and
transport, food, medication, discharge, continuity, mental health, access for disabled
people, carers) and the relational side of care (compassion, empathy, respect,
dignity), plus what people say would make the biggest difference to their health at
the Big Conversation (housing, buses, the cost of living).

A small share of texts hold people's details as they turn up in real feedback: a member
of staff's name, a phone number from Ofcom's drama ranges, an example.org email
address, a full postcode, a date of birth or an NHS number from the 999 test range
whose check digit is valid, so the redaction of later steps has something to find.
None belongs to anyone real.

Who answered is skewed the way feedback is: few people aged 16 to 24, fewer people from
the most deprived districts and from minority ethnic groups than live in the borough.

Everything here is pure Python and draws only from the random.Random it is given, so
one seed always writes the same texts. The writer also says what each comment was
written from (`Writer.write`: its themes, or what a comment on no theme amounts to), so
the demo can label some as a person reviewing them would, without drawing any more.
The Friends and Family Test rating is coded as the national return codes it: 1 very
good, 2 good, 3 neither good nor poor, 4 poor, 5 very poor (none for "don't know").
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

from engage.demo import names, places

Sentiment = Literal["positive", "mixed", "negative", "neutral"]
Setting = Literal["hospital", "community", "gp"]
QuestionKind = Literal["experience", "improve", "anything_else"]
# What a comment on no theme amounts to: a non-answer ("n/a", "Did not answer"), praise
# with nothing in particular in it ("Excellent", "Nothing to improve"), or something else
# as general ("It was ok", "Terrible"); "" for a comment on themes.
Gist = Literal["", "non_answer", "praise", "other"]
GISTS: tuple[Gist, ...] = ("non_answer", "praise", "other")

# --- Questions ---------------------------------------------------------------------------

FFT_EXPERIENCE_QUESTION = "Thinking about your recent visit, how was your experience of our service?"
FFT_IMPROVE_QUESTION = "What could we do better?"
HEALTHWATCH_QUESTION = "Tell us about your experience of local health and care services."
BIG_CONVERSATION_QUESTION = "What would make the biggest difference to your health?"
WEB_FORM_QUESTION = "Tell us about your experience of our services."
ANYTHING_ELSE_QUESTION = "Is there anything else you would like to tell us?"

# --- Themes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    # How a call note or an event note names the subject.
    topic: str
    # Words every comment on the theme is likely to hold; the tests look for them.
    words: tuple[str, ...]
    good: tuple[str, ...]
    bad: tuple[str, ...]
    better: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme(
        "staff_manner",
        "Staff manner and kindness",
        "the attitude of staff",
        ("staff", "friendly", "kind", "helpful", "polite", "rude", "lovely", "attitude"),
        good=(
            "The {staff} was {very} {good} and {good2}",
            "All the staff were {very} {good}",
            "Staff were {good} and {good2} from start to finish",
            "Everyone I dealt with was {very} {good}",
            "Lovely {staffs}, nothing was too much trouble",
            "The {staff} made me feel at ease straight away",
            "Friendly, helpful staff who clearly care about what they do",
            "The {staff} was brilliant with {relative}",
            "Staff went above and beyond for {relative}",
            "The lady on reception was {very} {good} and sorted everything out",
            "Every member of staff was {good}, from the receptionist to the {staff}",
            "Staff were {very} {good} even though they were obviously rushed off their feet",
        ),
        bad=(
            "The {staff} was rude and dismissive",
            "Some of the staff were {very} rude",
            "The receptionist was abrupt and made me feel like a nuisance",
            "Staff were more interested in chatting to each other than helping patients",
            "The {staff} rolled their eyes when I asked a question",
            "Nobody introduced themselves",
            "Staff seemed stressed and short tempered",
            "The attitude of the {staff} was appalling",
            "I was spoken to like a child by the {staff}",
            "Unfriendly staff, not one smile the whole time",
            "The receptionists act like gatekeepers and are quite rude",
        ),
        better=(
            "Staff could be a bit more friendly",
            "Train the reception staff in customer service",
            "Smile and introduce yourselves",
            "Be kinder to people who are anxious",
            "Treat patients as people, not a number",
            "Reception staff need to be more polite",
            "The {staff} could be a bit more {good}",
            "Make sure every {staff} introduces themselves",
            "Remind the {staffs} that patients are often scared",
        ),
    ),
    Theme(
        "waiting",
        "Waiting times",
        "waiting times",
        ("wait", "waited", "waiting", "delay", "quickly", "hours"),
        good=(
            "I was seen {very} quickly",
            "Hardly any wait, in and out in {short_wait}",
            "Seen on time for once",
            "Only waited {short_wait} to be seen",
            "Didn't have to wait long at all",
            "The wait was shorter than I expected",
            "Seen within {short_wait} of arriving",
            "No waiting around, straight in",
        ),
        bad=(
            "I waited {wait} to be seen",
            "We waited {wait} in {place} with nobody telling us anything",
            "h:Waited {wait} for a bed",
            "Far too long a wait, {wait}",
            "Had to wait {wait} with {elder} who is 89",
            "The waiting time was ridiculous, {wait}",
            "hc:I have been on the waiting list for {weeks} and still heard nothing",
            "hc:Waited {weeks} for a scan",
            "My appointment was at 10 and I wasn't seen until gone 12",
            "The delay was never explained",
            "Sat in the waiting room for {wait}",
            "h:{elder} waited {wait} on a trolley in the corridor",
        ),
        better=(
            "Cut the waiting times",
            "Less waiting around",
            "Tell people how long the wait is likely to be",
            "More staff so people don't wait {wait}",
            "Keep people updated when clinics are running late",
            "Shorter waiting lists",
            "A screen in {place} showing how long the wait is",
            "Update people every hour if they have been waiting {wait}",
        ),
    ),
    Theme(
        "appointments",
        "Appointments and getting through on the phone",
        "getting an appointment",
        ("appointment", "appointments", "phone", "rang", "booking", "book"),
        good=(
            "g:Got an appointment the same day",
            "Easy to book an appointment online",
            "Got through on the phone straight away",
            "The call back system works {very} well",
            "Booking was simple and I got a text reminder",
            "g:Managed to get an appointment for {relative} within a couple of days",
            "g:Rang at 8 and had an appointment that morning",
            "g:The new phone system is much better, you get told where you are in the queue",
        ),
        bad=(
            "g:Impossible to get through on the phone at 8am",
            "g:I rang {calls} times and was number {queue} in the queue",
            "g:By the time I got through all the appointments had gone",
            "g:Told to ring back tomorrow at 8 and start all over again",
            "I can never get an appointment when I need one",
            "{weeks} for a routine appointment is not acceptable",
            "My appointment was cancelled twice with no explanation",
            "The phone just rings out",
            "g:Had to use the online form but it was closed by half eight",
            "gc:No face to face appointments, only phone calls",
            "hc:The appointment letter came after the date of the appointment",
            "Spent {wait} on hold and then got cut off",
        ),
        better=(
            "More appointments",
            "g:More staff on the phones at 8am",
            "g:Let people book ahead instead of ringing at 8",
            "gc:Bring back face to face appointments",
            "A call back option instead of holding for an hour",
            "Sort the phone system out",
            "Evening and weekend appointments for people who work",
            "g:Let {relative} book online instead of ringing at 8",
            "Answer the phone before {calls} minutes have gone by",
        ),
    ),
    Theme(
        "communication",
        "Communication and being listened to",
        "not being listened to",
        ("listened", "listen", "explained", "communication", "told"),
        good=(
            "The {doctor} listened to me and explained everything clearly",
            "I felt listened to for the first time in years",
            "Everything was explained in a way I could understand",
            "They took time to listen and answer all my questions",
            "Kept us informed all the way through",
            "The {staff} explained what was happening at every step",
            "The {doctor} actually listened and didn't rush me",
        ),
        bad=(
            "Nobody listened to me",
            "I felt like I wasn't being listened to",
            "Communication between departments is non existent",
            "The {doctor} didn't listen and kept looking at the computer",
            "Nobody explained what was going on",
            "I was told one thing by one {staff} and something completely different by another",
            "We had to chase for every bit of news",
            "h:No one told us {elder} had been moved to another ward",
            "I was talked over as if I wasn't there",
            "The {doctor} didn't listen when I said the pain was getting worse",
        ),
        better=(
            "Listen to patients",
            "Better communication between the hospital and the GP",
            "Explain things in plain English",
            "Keep families updated",
            "Actually listen to what patients are telling you",
            "The {doctor} should look at the patient, not the screen",
            "Ring {relative} back when you say you will",
        ),
    ),
    Theme(
        "information",
        "Information",
        "information and letters",
        ("information", "leaflet", "letter", "letters", "results", "website"),
        good=(
            "Really useful information leaflet to take home",
            "Got my results quickly with a clear letter",
            "The website had all the information I needed",
            "I was given plenty of information about what to expect",
            "Clear information about my treatment and follow up",
            "The text message with my results was really handy",
        ),
        bad=(
            "No information about what happens next",
            "Still waiting for my results after {weeks}",
            "The letter was full of jargon",
            "Information on the website is out of date",
            "I couldn't read the leaflet, I need large print",
            "No information in my own language",
            "Letters keep going to my old address",
            "Nobody gave us any information about what support was out there",
        ),
        better=(
            "Give people written information to take away",
            "Easy read and large print leaflets",
            "Update the website",
            "Information in other languages",
            "Send results by text so we are not left waiting",
            "Don't leave people waiting {weeks} for results",
            "Have leaflets in {place} about what happens next",
        ),
    ),
    Theme(
        "environment",
        "Environment and cleanliness",
        "cleanliness and the building",
        ("clean", "dirty", "toilets", "filthy", "noisy", "building", "cleanliness"),
        good=(
            "hc:The ward was spotlessly clean",
            "Clean and tidy",
            "Very clean, modern building",
            "The waiting area was clean and comfortable",
            "Everywhere was clean and well kept",
            "Cleanliness was excellent",
        ),
        bad=(
            "The toilets were filthy",
            "The waiting room was dirty and there was nowhere to sit",
            "hc:The ward was so noisy I couldn't sleep",
            "Bins overflowing and the floor sticky",
            "It was freezing cold in {place}",
            "The building is tired and needs a lick of paint",
            "The cubicle was dirty, I had to ask for it to be cleaned",
            "No water machine in the waiting area and it was boiling",
        ),
        better=(
            "Clean the toilets more often",
            "Comfier chairs in the waiting room",
            "hc:Quieter wards at night",
            "Somewhere for children to play while they wait",
            "A water fountain in the waiting room",
            "Clean {place} more often",
            "Fix the heating in {place}",
        ),
    ),
    Theme(
        "parking_transport",
        "Parking and transport",
        "parking and getting there",
        ("parking", "park", "bus", "transport", "taxi", "car park"),
        good=(
            "Easy to park",
            "Plenty of parking",
            "hc:The hospital transport picked me up on time",
            "Good bus links, the bus stops right outside",
            "The volunteer driver was brilliant",
            "Free parking which makes a difference",
        ),
        bad=(
            "Parking is a nightmare, I drove round for half an hour",
            "Parking charges are extortionate",
            "Had to pay for parking and then got a fine because the clinic overran",
            "No bus from {town} that gets you there in time",
            "hc:Patient transport didn't turn up so I missed my appointment",
            "The taxi cost me £{fare} each way",
            "Not enough disabled bays in the car park",
            "Two buses from {town} and the second one only runs every hour",
        ),
        better=(
            "More parking",
            "Free parking for patients and visitors",
            "h:A bus that actually goes to the hospital from {town}",
            "Better patient transport",
            "More blue badge spaces near the entrance",
            "Free parking for anyone who has to wait {wait}",
            "hc:Patient transport that turns up on time for {elder}",
        ),
    ),
    Theme(
        "food",
        "Food and drink",
        "the food",
        ("food", "meal", "meals", "drink", "hungry", "menu"),
        good=(
            "The food was surprisingly good",
            "Lovely hot meals and plenty of choice",
            "h:The lady bringing the drinks round was a star",
            "Good choice of food for my diet",
            "Staff made sure I always had a drink",
        ),
        bad=(
            "The food was cold and inedible",
            "Nothing on the menu for people who eat halal",
            "Nobody helped {elder} to eat so the meals went back untouched",
            "h:Missed meals because I was off the ward for tests and nobody saved me any food",
            "No vegetarian option",
            "I was left hungry and thirsty",
            "The only food after 8pm was a vending machine",
        ),
        better=(
            "Better food",
            "Healthier food in the café",
            "Halal and vegetarian options on the menu",
            "Help people who can't feed themselves at meal times",
            "Keep a meal back for patients who are off the ward",
            "Help {elder} and others who need it at meal times",
        ),
    ),
    Theme(
        "medication",
        "Medication",
        "medication and prescriptions",
        ("medication", "medicine", "prescription", "pharmacy", "tablets", "pain relief"),
        good=(
            "gc:Prescription was ready the next day",
            "The pharmacist explained my new tablets",
            "h:Pain relief was given quickly when I needed it",
            "g:Repeat prescriptions are easy through the app",
            "The medication review was {very} helpful",
        ),
        bad=(
            "My prescription was wrong again",
            "h:Waited {wait} for my medication to take home",
            "h:Had to wait {wait} for pain relief",
            "The pharmacy never has my tablets in stock",
            "No one explained the side effects of my new medication",
            "g:Repeat prescription lost for the third time",
            "They stopped my medicine without telling me why",
        ),
        better=(
            "g:Sort out repeat prescriptions",
            "h:Have the take home medicines ready the night before",
            "Explain the side effects of medication",
            "Better links between the surgery and the pharmacy",
            "h:Don't make people wait {wait} for medication to go home with",
        ),
    ),
    Theme(
        "discharge",
        "Discharge",
        "being discharged",
        ("discharge", "discharged", "sent home", "going home", "care package"),
        good=(
            "hc:Discharge was well organised and everything was in place at home",
            "The discharge team sorted out care at home for {elder}",
            "hc:Everything was ready when I was discharged",
            "Good follow up call after I was discharged",
        ),
        bad=(
            "Discharge took all day",
            "Sent home at midnight with no way of getting there",
            "Discharged with no care package in place",
            "We were told {elder} was going home and then waited {wait} for the paperwork",
            "Discharged without my medication",
            "Nobody told the GP I had been discharged",
            "Sent home too early and was back in A&E two days later",
        ),
        better=(
            "Plan discharge earlier",
            "Make sure care is in place before people are sent home",
            "Don't discharge elderly people late at night",
            "Tell families when someone is being discharged",
            "Don't keep {elder} waiting {wait} for the discharge letter",
        ),
    ),
    Theme(
        "continuity",
        "Continuity of care",
        "seeing the same person",
        ("same doctor", "same nurse", "different", "follow up", "continuity", "joined up"),
        good=(
            "g:I see the same GP every time which makes a real difference",
            "gc:Same nurse every visit, she knows me now",
            "Follow up was arranged before I left",
            "hc:Good joined up care between the hospital and the district nurses",
        ),
        bad=(
            "I see a different doctor every time and have to tell my story again",
            "Nobody follows anything up",
            "My follow up appointment never came",
            "Passed from pillar to post between different services",
            "Every time I ring I speak to someone different",
            "The hospital and GP don't talk to each other, nothing is joined up",
        ),
        better=(
            "gc:Let me see the same doctor",
            "Follow things up without me having to chase",
            "One named person to contact",
            "Share records so care is joined up",
            "Let {relative} see the same {staff} each time",
        ),
    ),
    Theme(
        "mental_health",
        "Mental health services",
        "mental health support",
        ("mental health", "anxiety", "depression", "crisis", "therapy", "counselling"),
        good=(
            "The crisis team were there when I needed them",
            "Talking therapy really helped my anxiety",
            "My care coordinator has been amazing with my mental health",
            "The counselling has changed my life",
            "For the first time my mental health was taken seriously",
        ),
        bad=(
            "I've been waiting {weeks} for counselling",
            "Rang the crisis line and nobody answered",
            "Told I wasn't ill enough for mental health services",
            "Six sessions of therapy is nowhere near enough",
            "Went to A&E in crisis and waited {wait} to see anyone",
            "There's nothing for my son between children's and adult mental health services",
            "My depression was dismissed as just stress",
        ),
        better=(
            "More mental health support",
            "Shorter waits for talking therapy",
            "Somewhere to go in a crisis that isn't A&E",
            "Mental health support for young people",
            "Nobody should wait {weeks} for counselling",
        ),
    ),
    Theme(
        "access",
        "Access for disabled people",
        "access for disabled people",
        ("wheelchair", "disabled", "BSL", "interpreter", "deaf", "large print", "autistic", "access"),
        good=(
            "Really good access for my wheelchair",
            "They booked a BSL interpreter without me having to ask",
            "Staff were patient with my hearing and faced me when they spoke",
            "The hospital sent my letters in large print",
            "Step free access and a hearing loop that worked",
            "They gave my autistic son a quiet room to wait in",
        ),
        bad=(
            "No BSL interpreter was booked again",
            "The lift was out of order and I use a wheelchair",
            "The doors are too heavy for a wheelchair user",
            "Nobody could sign and I had to lip read through a mask",
            "My letters still don't come in large print even though I've asked",
            "The disabled toilet was being used as a store room",
            "They called my name out and I didn't hear it, I'm deaf",
            "My son is autistic and there was nowhere quiet to wait",
        ),
        better=(
            "Book interpreters",
            "Make the building accessible for wheelchairs",
            "A quiet room for autistic people",
            "Use a screen to call patients, for people who are deaf",
            "Easy read letters and large print",
            "Check the lift in {place} works before clinics start",
        ),
    ),
    Theme(
        "carers",
        "Carers' involvement",
        "support for carers",
        ("carer", "carers", "caring for"),
        good=(
            "As a carer I was included in every decision",
            "hc:They let me stay with {elder} who has dementia, as I'm the carer",
            "The carers' support worker was brilliant",
            "Staff asked me as his carer what he likes and needs",
        ),
        bad=(
            "As his carer I was not involved in any of the decisions",
            "Nobody asked me, his carer, what he needs",
            "I'm caring for {elder} full time and nobody thinks about the carer",
            "hc:Not allowed to stay with {elder} even though I'm the carer",
            "No support at all for carers",
            "Carers are expected to pick up the pieces",
        ),
        better=(
            "Involve carers",
            "Ask the carer, we know the person best",
            "hc:A carers' passport so we can stay on the ward",
            "Respite for carers",
            "Ask me about {elder}, I'm the carer",
        ),
    ),
    Theme(
        "compassion",
        "Compassion",
        "how we were treated",
        ("compassion", "compassionate", "kindness", "care"),
        good=(
            "The compassion shown to us when {elder} died is something I will never forget",
            "Such compassionate care",
            "The {staff} held my hand when I was scared, such kindness",
            "Genuine kindness and care from everyone",
        ),
        bad=(
            "There was no compassion at all",
            "Nobody seemed to care",
            "I was crying and not one person asked if I was alright, no compassion",
            "Treated like a number, no kindness whatsoever",
        ),
        better=(
            "A bit more compassion",
            "Show some compassion to people who are frightened",
            "The {staffs} need to show more compassion",
        ),
    ),
    Theme(
        "empathy",
        "Empathy",
        "not being understood",
        ("empathy", "understood", "understanding", "fuss"),
        good=(
            "The {staff} really understood what I was going through",
            "Showed real empathy",
            "They understood how scared I was",
        ),
        bad=(
            "Absolutely no empathy",
            "The {doctor} had no understanding of what it's like to live with pain every day",
            "Made to feel like I was making a fuss",
            "Zero empathy from reception",
        ),
        better=(
            "More empathy from reception staff",
            "Try to understand what it's like for patients",
            "Imagine waiting {wait} in pain and then being told off",
        ),
    ),
    Theme(
        "respect",
        "Respect",
        "being treated with respect",
        ("respect", "respected", "respectful", "patronising", "disrespectful"),
        good=(
            "I was treated with respect throughout",
            "Respectful of my faith and my wishes",
            "They respected my decision",
        ),
        bad=(
            "I was not treated with respect",
            "Patronising and disrespectful",
            "They spoke about me in front of me as if I wasn't there, no respect",
            "Made to feel stupid for asking, very patronising",
        ),
        better=(
            "Treat people with respect",
            "Respect people's culture and faith",
            "Treat {elder} with respect, a person not a bed number",
        ),
    ),
    Theme(
        "dignity",
        "Dignity",
        "dignity and privacy",
        ("dignity", "privacy", "curtain", "gown", "undignified"),
        good=(
            "My dignity was protected at all times",
            "hc:Curtains were always drawn and staff knocked before coming in",
            "hc:{elder} was kept clean and comfortable and treated with dignity",
        ),
        bad=(
            "hc:{elder} was left in a soiled bed for hours, no dignity",
            "h:No dignity, left in a gown that didn't close",
            "Examined with the curtain open",
            "No privacy at the reception desk, everyone could hear",
            "Undignified, I had to ask three times to go to the toilet",
        ),
        better=(
            "Respect people's privacy and dignity",
            "Somewhere private to talk at reception",
            "More privacy in {place}",
        ),
    ),
)

# What people say at the Big Conversation: their health is made mostly outside services.
WIDER = Theme(
    "wider",
    "What makes us healthy",
    "what makes people healthy",
    ("housing", "damp", "gym", "bus", "lonely", "cost of living", "park", "food"),
    good=(
        "The lunch club at the community centre keeps me going",
        "The park run in {town} has changed my life",
        "The food bank volunteers are amazing",
        "Walking group every Tuesday, best thing I've done for my health",
        "The free swimming for over 60s is brilliant",
    ),
    bad=(
        "The damp in our flat makes the kids poorly all winter",
        "I can't afford to heat the house and eat properly",
        "There's nothing for young people to do in {town}",
        "The park is full of needles and the lights don't work",
        "I'm lonely since my wife died and don't know where to go",
        "No buses in the evening from {town}",
        "Fast food shops on every corner and no decent greengrocer",
        "Fly tipping everywhere, it gets you down",
    ),
    better=(
        "Cheaper gyms and swimming",
        "Sort out the damp in council houses",
        "Somewhere for young people to go in the evening",
        "Safer parks with proper lighting",
        "Help with the cost of living",
        "More buses in the evening from {town}",
        "Healthy food that doesn't cost a fortune",
        "Things to do for lonely older people",
        "Better paid jobs",
        "Stop smoking support in the community",
    ),
)

ALL_THEMES: tuple[Theme, ...] = (*THEMES, WIDER)
THEMES_BY_KEY: dict[str, Theme] = {theme.key: theme for theme in ALL_THEMES}

# How likely each theme is in each setting (the others weigh 1).
SETTING_THEME_WEIGHTS: dict[str, dict[str, int]] = {
    "hospital": {
        "staff_manner": 10,
        "waiting": 9,
        "communication": 6,
        "environment": 4,
        "parking_transport": 4,
        "food": 3,
        "discharge": 3,
        "information": 3,
        "medication": 2,
        "compassion": 3,
        "dignity": 2,
        "mental_health": 1,
    },
    "community": {
        "staff_manner": 9,
        "mental_health": 7,
        "continuity": 5,
        "communication": 6,
        "waiting": 5,
        "carers": 3,
        "information": 3,
        "access": 2,
        "empathy": 2,
        "respect": 2,
    },
    "gp": {
        "appointments": 12,
        "food": 0,
        "discharge": 0,
        "staff_manner": 9,
        "waiting": 5,
        "communication": 5,
        "continuity": 4,
        "medication": 3,
        "information": 2,
        "empathy": 2,
        "respect": 2,
    },
}

# --- Slot fillers ------------------------------------------------------------------------

STAFF: dict[str, tuple[str, ...]] = {
    "hospital": (
        "nurse",
        "nurse",
        "doctor",
        "consultant",
        "healthcare assistant",
        "paramedic",
        "radiographer",
        "porter",
        "midwife",
        "receptionist",
        "physio",
    ),
    "community": (
        "district nurse",
        "care coordinator",
        "psychiatrist",
        "therapist",
        "support worker",
        "physio",
        "occupational therapist",
        "health visitor",
        "podiatrist",
        "nurse",
    ),
    "gp": (
        "GP",
        "doctor",
        "nurse",
        "practice nurse",
        "receptionist",
        "pharmacist",
        "nurse practitioner",
        "healthcare assistant",
    ),
}
DOCTORS: dict[str, tuple[str, ...]] = {
    "hospital": ("doctor", "consultant", "registrar", "A&E doctor"),
    "community": ("psychiatrist", "doctor", "consultant"),
    "gp": ("GP", "doctor", "locum"),
}
PLACES: dict[str, tuple[str, ...]] = {
    "hospital": (
        "A&E",
        "the emergency department",
        "outpatients",
        "ward 12",
        "the fracture clinic",
        "the eye clinic",
        "maternity",
        "the day surgery unit",
        "the children's ward",
        "x-ray",
        "the urgent treatment centre",
    ),
    "community": (
        "the clinic",
        "the health centre",
        "the memory clinic",
        "the Oakwood Unit",
        "the podiatry clinic",
        "the walk-in centre",
    ),
    "gp": ("the surgery", "the practice", "the health centre", "the waiting room"),
}
LONG_WAITS = (
    "four hours",
    "five hours",
    "six hours",
    "nearly seven hours",
    "over 8 hours",
    "3 hours",
    "two and a half hours",
    "all night",
    "11 hours",
    "an hour and a half",
    "45 minutes",
    "over an hour",
)
SHORT_WAITS = ("ten minutes", "5 mins", "15 minutes", "no time at all", "half an hour", "20 mins")
LONG_PERIODS = (
    "three weeks",
    "six weeks",
    "2 months",
    "four months",
    "over a year",
    "18 months",
    "nine weeks",
    "three months",
)
ELDERS = (
    "my mum",
    "my dad",
    "my husband",
    "my wife",
    "my nan",
    "my grandad",
    "my mother",
    "my father in law",
)
CHILDREN = ("my son", "my daughter", "my little boy", "my little girl", "my baby", "my grandson")
RELATIVES = (
    "my mum",
    "my dad",
    "my husband",
    "my wife",
    "my son",
    "my daughter",
    "my nan",
    "my grandad",
    "my partner",
    "my mother",
    "my father in law",
    "my little boy",
    "my baby",
)
VERY = ("very", "really", "so", "extremely", "incredibly", "very very", "super", "ever so")
GOOD_WORDS = (
    "friendly",
    "kind",
    "helpful",
    "lovely",
    "caring",
    "professional",
    "polite",
    "attentive",
    "reassuring",
    "patient",
    "efficient",
    "welcoming",
)

VISITS: dict[str, tuple[str, ...]] = {
    "hospital": (
        "Came in with chest pains",
        "Brought {relative} into A&E after a fall",
        "Had a scan in outpatients",
        "I was admitted for {days} days with pneumonia",
        "Came in for a knee replacement",
        "Attended the fracture clinic with a broken wrist",
        "Had my baby here in {month}",
        "Came in for a cataract operation",
        "Brought {child} in with a high temperature",
    ),
    "community": (
        "The district nurses come to dress my leg",
        "I was referred to the memory clinic",
        "I am under the community mental health team",
        "Seeing the physio for my back",
        "The health visitor came for my baby's check",
        "Went to podiatry for my diabetic foot check",
    ),
    "gp": (
        "Went for a blood test",
        "Saw the nurse for my asthma review",
        "Rang for an appointment for {relative}",
        "Had my smear test",
        "Went for my diabetes review",
        "Needed a repeat prescription",
        "Went in with a chest infection",
        "Took {child} for their jabs",
    ),
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

OPENERS_GOOD = ("Overall", "On the whole", "I have to say", "Honestly", "From start to finish")
OPENERS_BAD = ("To be honest", "Sadly", "I'm sorry to say", "Once again", "Honestly")
CLOSERS_GOOD = (
    "Thank you",
    "Thank you so much",
    "Keep up the good work",
    "Thanks to all the team",
    "Would recommend",
    "10/10",
    "Can't thank you enough",
    "Couldn't have asked for more",
    "Very happy",
)
CLOSERS_BAD = (
    "Not good enough",
    "Please sort it out",
    "I will be making a complaint",
    "Very disappointed",
    "Something needs to change",
    "Never again",
    "Shocking",
    "It's not the staff's fault, there just aren't enough of them",
)
CLOSERS_MIXED = ("Overall ok", "Not bad overall", "Could be better", "Mostly fine", "Good and bad really")
SHORT_GOOD = (
    "Very good",
    "Excellent",
    "Excellent service",
    "Good",
    "All good",
    "Brilliant",
    "Very good service",
    "Fantastic",
    "Very happy",
    "Great",
    "No complaints",
    "Couldn't fault it",
    "Very good thank you",
    "Spot on",
)
SHORT_BAD = ("Poor", "Very poor", "Terrible", "Awful", "Not good", "Shocking service", "Disgraceful")
NON_ANSWERS = (
    "Nothing",
    "nothing",
    "Nothing.",
    "n/a",
    "N/A",
    "Did not answer",
    "None",
    "No",
    "-",
    "Nothing really",
    "Not sure",
    "No comment",
)
NEUTRAL = (
    "It was ok",
    "Average",
    "Fine I suppose",
    "Just a routine visit",
    "Same as usual",
    "Nothing to say really",
    "It was alright",
    "Neither good nor bad",
)
NOTHING_TO_IMPROVE = (
    "Nothing",
    "Nothing, keep it up",
    "Can't think of anything",
    "Nothing really, all good",
    "N/A",
    "Nothing to improve",
    "Not a thing",
    "Nothing, it was all fine",
    "Keep doing what you're doing",
    "nothing",
)

SMALL_THINGS = (
    "Only small things",
    "Not much",
    "Very little",
    "Not a lot",
    "Hard to say, it was good",
    "Only one thing",
    "Nothing major",
)
BECAUSE = ("Last time", "When I came", "Because", "Reason being", "At the moment")
SUGGESTION_FORMS = (
    "{} please",
    "Maybe {}",
    "Only thing I'd say is {}",
    "{}, that's all",
    "Just {}",
    "{} would be nice",
    "If anything, {}",
)

MIXED_JOINS = (
    "{a} but {b}",
    "{a}, however {b}",
    "{a}. However, {b}",
    "{a}. Shame that {b}",
    "{a} although {b}",
    "{a}, but {b}",
)

# Common slips, each replacing the first word it finds.
TYPOS: tuple[tuple[str, str], ...] = (
    ("received", "recieved"),
    ("definitely", "definately"),
    ("appointment", "appointmnet"),
    ("appointments", "apointments"),
    ("really", "realy"),
    ("because", "becuase"),
    ("waiting", "wating"),
    ("friendly", "freindly"),
    ("excellent", "excelent"),
    ("their", "there"),
    ("nurse", "nures"),
    ("doctor", "docter"),
    ("professional", "proffesional"),
    ("explained", "explaned"),
    ("and", "&"),
)

# Words left capitalised when a sentence is joined onto another.
_KEEP_CAPITAL = frozenset({"I", "I'm", "I've", "I'd", "I'll", "Dr", "Mr", "Mrs", "Ms", "Miss"})

# --- People's details, as they turn up in feedback ------------------------------------------

DETAIL_SHARE = 0.03
DETAIL_KINDS: tuple[tuple[str, int], ...] = (
    ("staff_name", 34),
    ("nhs_number", 14),
    ("phone", 14),
    ("email", 12),
    ("postcode", 13),
    ("date_of_birth", 13),
)


def nhs_number(rng: random.Random) -> str:
    """Ten digits starting 999, a range never issued to a patient, with a valid
    modulus 11 check digit."""
    while True:
        digits = [9, 9, 9, *(rng.randrange(10) for _ in range(6))]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 10:
            continue
        digits.append(0 if check == 11 else check)
        return "".join(map(str, digits))


def nhs_number_is_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) != 10:
        return False
    check = 11 - sum(d * (10 - i) for i, d in enumerate(digits[:9])) % 11
    if check == 10:
        return False
    return (0 if check == 11 else check) == digits[9]


def _format_nhs(rng: random.Random) -> str:
    number = nhs_number(rng)
    style = rng.random()
    if style < 0.5:
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    if style < 0.85:
        return number
    return f"{number[:3]}-{number[3:6]}-{number[6:]}"


def _date_of_birth(rng: random.Random) -> str:
    year = rng.randint(1932, 2006)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    style = rng.random()
    if style < 0.5:
        return f"{day:02d}/{month:02d}/{year}"
    if style < 0.7:
        return f"{day}/{month}/{year % 100:02d}"
    if style < 0.85:
        return f"{day} {MONTHS[month - 1]} {year}"
    return f"{day:02d}.{month:02d}.{year}"


def _email(rng: random.Random) -> str:
    given, family = names.pick_name(rng)
    local = re.sub(r"[^a-z]", "", given.lower())
    family_part = re.sub(r"[^a-z]", "", family.lower())
    style = rng.random()
    if style < 0.4:
        local = f"{local}.{family_part}"
    elif style < 0.7:
        local = f"{local}{family_part}{rng.randint(1, 99)}"
    else:
        local = f"{local[:1]}{family_part}{rng.randint(50, 99)}"
    return f"{local}@example.org"


def _detail_sentence(rng: random.Random, kind: str, sentiment: Sentiment, setting: Setting) -> str:
    if kind == "staff_name":
        given, family = names.pick_name(rng)
        role = rng.choice(STAFF[setting])
        if sentiment == "negative":
            return rng.choice(
                (
                    f"Dr {family} didn't even look at me",
                    f"The receptionist, {given}, was very rude to me",
                    f"A {role} called {given} told me to stop wasting their time",
                    f"I want to complain about Dr {family}",
                    f"{given} on the front desk needs some training",
                )
            )
        return rng.choice(
            (
                f"Dr {family} was brilliant",
                f"A {role} called {given} looked after me and was so kind",
                f"Please pass my thanks to {given} on reception",
                f"Special thanks to {given} the {role}",
                f"{given} was amazing, please tell her",
                f"Dr {family} is the best doctor I've ever had",
            )
        )
    if kind == "phone":
        number = places.phone_number(rng)
        return rng.choice(
            (
                f"Please ring me on {number}",
                f"You can call me on {number} if you want to know more",
                f"my number is {number}",
                f"Happy to talk, {number}",
            )
        )
    if kind == "email":
        address = _email(rng)
        return rng.choice(
            (
                f"Email me at {address}",
                f"contact me on {address} please",
                f"My email is {address} if you want to get in touch",
                address,
            )
        )
    if kind == "postcode":
        town = places.pick_town(rng)
        postcode = places.postcode_in(town, rng)
        if rng.random() < 0.2:
            postcode = postcode.replace(" ", "")
        return rng.choice(
            (
                f"I live in {postcode} and there is no bus",
                f"I'm at {postcode}",
                f"(postcode {postcode})",
                f"We live at {postcode}, nowhere near the hospital",
            )
        )
    if kind == "date_of_birth":
        born = _date_of_birth(rng)
        return rng.choice(
            (f"My DOB is {born}", f"Date of birth {born}", f"born {born}", f"my mums dob is {born}")
        )
    number = _format_nhs(rng)
    return rng.choice(
        (
            f"My NHS number is {number}",
            f"NHS no {number}",
            f"my NHS number is {number} if you need to look me up",
            f"NHS number: {number}",
        )
    )


# --- Who answered ------------------------------------------------------------------------------

AGE_BANDS: tuple[str, ...] = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+")
# Who fills in feedback, not who lives here: young people much less often than their
# share of the borough's adults (about 13%), older people more.
AGE_BAND_WEIGHTS: tuple[int, ...] = (4, 10, 13, 15, 18, 19, 15, 6)
SEXES: tuple[tuple[str, int], ...] = (("Female", 58), ("Male", 40), ("Prefer not to say", 2))
# Census 2021 ethnic groups (England and Wales); minority groups answer less often than
# they live in Castlebridge (names.py puts about four in ten of its people in them).
ETHNIC_GROUPS: tuple[tuple[str, float], ...] = (
    ("White: English, Welsh, Scottish, Northern Irish or British", 70),
    ("White: Irish", 1.2),
    ("White: Gypsy or Irish Traveller", 0.3),
    ("White: Roma", 0.3),
    ("White: Other White", 4),
    ("Asian, Asian British or Asian Welsh: Pakistani", 6),
    ("Asian, Asian British or Asian Welsh: Indian", 5),
    ("Asian, Asian British or Asian Welsh: Bangladeshi", 1.5),
    ("Asian, Asian British or Asian Welsh: Chinese", 0.5),
    ("Asian, Asian British or Asian Welsh: Other Asian", 1),
    ("Black, Black British, Black Welsh, Caribbean or African: Caribbean", 2.5),
    ("Black, Black British, Black Welsh, Caribbean or African: African", 1.5),
    ("Black, Black British, Black Welsh, Caribbean or African: Other Black", 0.4),
    ("Mixed or Multiple ethnic groups: White and Black Caribbean", 1),
    ("Mixed or Multiple ethnic groups: White and Asian", 0.6),
    ("Mixed or Multiple ethnic groups: White and Black African", 0.3),
    ("Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups", 0.3),
    ("Other ethnic group: Arab", 0.4),
    ("Other ethnic group: Any other ethnic group", 0.5),
    ("Prefer not to say", 2.5),
)
DISABILITY: tuple[tuple[str, int], ...] = (("Yes", 24), ("No", 70), ("Prefer not to say", 6))
CARER: tuple[tuple[str, int], ...] = (("Yes", 14), ("No", 86))

WITH_DEMOGRAPHICS = 0.7
WITH_DISTRICT = 0.8
CONSENT_TO_QUOTE = 0.6
CONSENT_TO_CONTACT = 0.25

# The districts of the towns with the largest share of the most deprived wards (Ambley
# Cross and Castlebridge Central, areas.py). People there answer about half as often.
MOST_DEPRIVED_DISTRICTS: tuple[str, ...] = ("DY2", "DY4")
DEPRIVED_RESPONSE_RATE = 0.45


def district_population_shares() -> dict[str, float]:
    """Each postcode district's share of the borough's people: the towns' weights,
    split evenly between a town's districts."""
    weights: dict[str, float] = {}
    for town in places.TOWNS:
        for district in town.postcode_districts:
            weights[district] = weights.get(district, 0) + town.weight / len(town.postcode_districts)
    total = sum(weights.values())
    return {district: weight / total for district, weight in sorted(weights.items())}


_POPULATION = district_population_shares()
_DISTRICTS = tuple(_POPULATION)
_DISTRICT_RESPONSE_WEIGHTS = tuple(
    share * (DEPRIVED_RESPONSE_RATE if district in MOST_DEPRIVED_DISTRICTS else 1)
    for district, share in _POPULATION.items()
)


@dataclass(frozen=True)
class Respondent:
    postcode_district: str = ""
    age_band: str = ""
    sex: str = ""
    ethnic_group: str = ""
    disability: str = ""
    carer: str = ""
    consent_to_quote: bool = False
    consent_to_contact: bool = False


class _Choice:
    """A weighted choice, its cumulative weights worked out once."""

    def __init__(self, pairs: tuple[tuple[str, float], ...]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def __call__(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


_AGE_BAND = _Choice(tuple(zip(AGE_BANDS, AGE_BAND_WEIGHTS, strict=True)))
_SEX = _Choice(SEXES)
_ETHNIC_GROUP = _Choice(ETHNIC_GROUPS)
_DISABILITY = _Choice(DISABILITY)
_CARER = _Choice(CARER)
_DISTRICT = _Choice(tuple(zip(_DISTRICTS, _DISTRICT_RESPONSE_WEIGHTS, strict=True)))


def respondent(rng: random.Random, town: places.Town | None = None) -> Respondent:
    """Someone who gave feedback; near `town` where the service is local."""
    district = ""
    if rng.random() < WITH_DISTRICT:
        if town is not None and rng.random() < 0.8:
            district = rng.choice(town.postcode_districts)
            if district in MOST_DEPRIVED_DISTRICTS and rng.random() > DEPRIVED_RESPONSE_RATE:
                district = _DISTRICT(rng)
        else:
            district = _DISTRICT(rng)
    quote = rng.random() < CONSENT_TO_QUOTE
    contact = rng.random() < CONSENT_TO_CONTACT
    if rng.random() >= WITH_DEMOGRAPHICS:
        return Respondent(postcode_district=district, consent_to_quote=quote, consent_to_contact=contact)
    return Respondent(
        postcode_district=district,
        age_band=_AGE_BAND(rng),
        sex=_SEX(rng),
        ethnic_group=_ETHNIC_GROUP(rng),
        disability=_DISABILITY(rng),
        carer=_CARER(rng),
        consent_to_quote=quote,
        consent_to_contact=contact,
    )


# --- Writing a comment ----------------------------------------------------------------------


# A template may begin with the settings it belongs to ("h:" hospital, "g:" general
# practice, "c:" community services, or several, as in "hc:"); untagged ones fit any.
SETTING_CODES: dict[str, str] = {"hospital": "h", "gp": "g", "community": "c"}
_TAG = re.compile(r"^([hgc]+):")


def template_text(template: str) -> str:
    """A template without its settings tag."""
    return _TAG.sub("", template)


def _bank_for(templates: tuple[str, ...], setting: str) -> tuple[str, ...]:
    code = SETTING_CODES[setting]
    fitting = tuple(template_text(t) for t in templates if not (tag := _TAG.match(t)) or code in tag.group(1))
    return fitting or tuple(template_text(t) for t in templates)


def _lower_start(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first in _KEEP_CAPITAL or first[1:] != first[1:].lower():
        return text
    return text[:1].lower() + text[1:]


def _sentence(text: str, end: str = ".") -> str:
    text = text[:1].upper() + text[1:]
    return text if text[-1] in ".!?)" else text + end


_DRAW: dict[str, Callable[[random.Random, Setting], str]] = {
    "doctor": lambda rng, setting: rng.choice(DOCTORS[setting]),
    "place": lambda rng, setting: rng.choice(PLACES[setting]),
    "wait": lambda rng, _: rng.choice(LONG_WAITS),
    "short_wait": lambda rng, _: rng.choice(SHORT_WAITS),
    "weeks": lambda rng, _: rng.choice(LONG_PERIODS),
    "relative": lambda rng, _: rng.choice(RELATIVES),
    "elder": lambda rng, _: rng.choice(ELDERS),
    "child": lambda rng, _: rng.choice(CHILDREN),
    "very": lambda rng, _: rng.choice(VERY),
    "town": lambda rng, _: rng.choice(places.TOWN_NAMES),
    "calls": lambda rng, _: str(rng.randint(12, 60)),
    "queue": lambda rng, _: str(rng.randint(9, 31)),
    "fare": lambda rng, _: str(rng.randint(12, 35)),
    "days": lambda rng, _: str(rng.randint(2, 12)),
    "month": lambda rng, _: rng.choice(MONTHS),
}


class _Slots(dict[str, str]):
    """The words a comment's templates leave open, drawn when first asked for, so that
    one comment's templates share them ("the nurse ... the nurse")."""

    def __init__(self, rng: random.Random, setting: Setting) -> None:
        super().__init__()
        self.rng = rng
        self.setting = setting

    def __missing__(self, key: str) -> str:
        rng, setting = self.rng, self.setting
        if key in ("staff", "staffs"):
            staff = rng.choice(STAFF[setting])
            self["staff"], self["staffs"] = staff, staff + "s"
            return self[key]
        if key in ("good", "good2"):
            self["good"], self["good2"] = rng.sample(GOOD_WORDS, 2)
            return self[key]
        drawn = _DRAW[key](rng, setting)
        self[key] = drawn
        return drawn


@dataclass(frozen=True)
class Written:
    """A comment and what it was written from."""

    text: str
    sentiment: Sentiment
    # The keys of the themes whose phrases the text holds, in the order first written.
    themes: tuple[str, ...]
    # For a comment on no theme, what it amounts to; "" where `themes` has some.
    gist: Gist


class Writer:
    """Writes comments for one setting (hospital, community services, general practice).

    `themes`, where given, narrows what the comments are about (a survey on GP access
    hears about appointments, not hospital food). `write` gives what a comment was
    written from with its text; keeping track draws nothing, so the texts are the same
    whichever is called."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._written: list[str] = []
        self._gist: Gist = ""
        # Whether the last event or call note named its topic ("Call re waiting times.").
        self.named_topic = False
        self._banks: dict[tuple[str, str, str], tuple[str, ...]] = {
            (theme.key, polarity, setting): _bank_for(templates, setting)
            for theme in ALL_THEMES
            for polarity, templates in (("good", theme.good), ("bad", theme.bad), ("better", theme.better))
            for setting in SETTING_CODES
        }
        self._theme_weights: dict[str, list[float]] = {
            setting: [weights.get(theme.key, 1) for theme in THEMES]
            for setting, weights in SETTING_THEME_WEIGHTS.items()
        }

    # Slots

    def _slots(self, setting: Setting) -> _Slots:
        return _Slots(self.rng, setting)

    def pick_themes(self, setting: Setting, allowed: tuple[str, ...] = (), most: int = 3) -> list[Theme]:
        rng = self.rng
        count = min(rng.choices((1, 2, 3), cum_weights=(50, 85, 100))[0], most)
        if allowed:
            pool = [THEMES_BY_KEY[key] for key in allowed]
            return rng.sample(pool, min(count, len(pool)))
        chosen: list[Theme] = []
        weights = self._theme_weights[setting]
        while len(chosen) < count:
            theme = rng.choices(THEMES, weights=weights)[0]
            if theme not in chosen:
                chosen.append(theme)
        return chosen

    # Comments

    def comment(
        self,
        sentiment: Sentiment,
        setting: Setting,
        *,
        kind: QuestionKind = "experience",
        themes: tuple[str, ...] = (),
    ) -> str:
        """One comment, with the odd slip, and now and then someone's details."""
        return self.write(sentiment, setting, kind=kind, themes=themes).text

    def write(
        self,
        sentiment: Sentiment,
        setting: Setting,
        *,
        kind: QuestionKind = "experience",
        themes: tuple[str, ...] = (),
    ) -> Written:
        """One comment, as `comment` writes it, with the themes (or gist) it was written from."""
        self._written, self._gist = [], ""
        text = self._text(sentiment, setting, kind, themes)
        written = tuple(self._written)
        return Written(text=text, sentiment=sentiment, themes=written, gist="" if written else self._gist)

    def _text(
        self, sentiment: Sentiment, setting: Setting, kind: QuestionKind, themes: tuple[str, ...]
    ) -> str:
        rng = self.rng
        slots = self._slots(setting)
        if kind == "anything_else":
            text = self._anything_else(sentiment, setting, themes, slots)
        elif kind == "improve":
            text = self._improve(sentiment, setting, themes, slots)
        else:
            text = self._experience(sentiment, setting, themes, slots)
        if rng.random() < DETAIL_SHARE and text not in NON_ANSWERS:
            text = self._with_detail(text, sentiment, setting)
        return self._roughen(text)

    def _clause(self, theme: Theme, polarity: str, slots: _Slots) -> str:
        if theme.key not in self._written:
            self._written.append(theme.key)
        bank = self._banks[theme.key, polarity, slots.setting]
        return self.rng.choice(bank).format_map(slots)

    def _experience(
        self, sentiment: Sentiment, setting: Setting, allowed: tuple[str, ...], slots: _Slots
    ) -> str:
        rng = self.rng
        short = self._short(sentiment, setting, slots)
        if short:
            return short
        themes = self.pick_themes(setting, allowed)
        sentences: list[str] = []
        if rng.random() < (0.3 if sentiment == "negative" else 0.2):
            sentences.append(_sentence(rng.choice(VISITS[setting]).format_map(slots)))
        elif sentiment != "mixed" and rng.random() < 0.25:
            # A verdict first: "Excellent. The nurse was lovely."
            sentences.append(_sentence(rng.choice(SHORT_GOOD if sentiment == "positive" else SHORT_BAD)))
        if sentiment == "mixed":
            return " ".join([*sentences, *self._mixed(themes, slots)])
        polarity = "good" if sentiment == "positive" else "bad"
        # Often more than one thing to say about a theme.
        wanted = len(themes) + rng.choices((0, 1, 2), cum_weights=(22, 72, 100))[0]
        clauses: list[str] = []
        for index in range(wanted):
            clause = self._clause(themes[index % len(themes)], polarity, slots)
            if clause not in clauses:
                clauses.append(clause)
        if len(clauses) > 1 and rng.random() < 0.3:
            # Two clauses in one breath: "Friendly staff and seen quickly."
            first, second = clauses[0], clauses[1]
            clauses[:2] = [f"{first} and {_lower_start(second)}"]
        openers = OPENERS_GOOD if polarity == "good" else OPENERS_BAD
        if rng.random() < 0.15:
            clauses[0] = f"{rng.choice(openers)}, {_lower_start(clauses[0])}"
        end = "!" if rng.random() < 0.08 else "."
        sentences.extend(_sentence(clause, end) for clause in clauses)
        if rng.random() < (0.75 if len(sentences) == 1 else 0.3):
            closers = CLOSERS_GOOD if polarity == "good" else CLOSERS_BAD
            sentences.append(_sentence(rng.choice(closers), end))
        return " ".join(sentences)

    def _short(self, sentiment: Sentiment, setting: Setting, slots: _Slots) -> str:
        """A few words, or nothing: "n/a", "It was ok", "Excellent"; empty for most."""
        rng = self.rng
        if sentiment == "neutral":
            roll = rng.random()
            if roll < 0.35:
                self._gist = "non_answer"
                return rng.choice(NON_ANSWERS)
            self._gist = "other"
            if roll < 0.55:
                return rng.choice(NEUTRAL)
            visit = rng.choice(VISITS[setting]).format_map(slots)
            return f"{_sentence(visit)} {_sentence(rng.choice(NEUTRAL))}"
        if sentiment == "positive" and rng.random() < 0.03:
            self._gist = "praise"
            return rng.choice(SHORT_GOOD)
        if sentiment == "negative" and rng.random() < 0.02:
            self._gist = "other"
            return rng.choice(SHORT_BAD)
        return ""

    def _other_theme(self, theme: Theme, setting: Setting) -> Theme:
        while True:
            other = self.rng.choices(THEMES, weights=self._theme_weights[setting])[0]
            if other is not theme:
                return other

    def _mixed(self, themes: list[Theme], slots: _Slots) -> list[str]:
        """ "The nurse was lovely but I waited four hours." """
        rng = self.rng
        good_theme = themes[0]
        bad_theme = themes[1] if len(themes) > 1 else self._other_theme(good_theme, slots.setting)
        a, b = self._clause(good_theme, "good", slots), self._clause(bad_theme, "bad", slots)
        if rng.random() < 0.35:
            a, b = b, a
        sentences = [_sentence(rng.choice(MIXED_JOINS).format(a=a, b=_lower_start(b)))]
        sentences.extend(_sentence(self._clause(theme, "bad", slots)) for theme in themes[2:])
        if rng.random() < 0.25:
            sentences.append(_sentence(rng.choice(CLOSERS_MIXED)))
        return sentences

    def _improve(
        self, sentiment: Sentiment, setting: Setting, allowed: tuple[str, ...], slots: _Slots
    ) -> str:
        rng = self.rng
        if sentiment == "neutral" or (sentiment == "positive" and rng.random() < 0.06):
            # The framework counts "nothing to improve" as praise.
            nothing_to_improve = rng.random() < 0.7
            self._gist = "praise" if nothing_to_improve else "non_answer"
            return rng.choice(NOTHING_TO_IMPROVE if nothing_to_improve else NON_ANSWERS)
        themes = self.pick_themes(setting, allowed, most=2)
        if sentiment == "positive" and rng.random() < 0.4:
            # "Nothing, the staff were lovely."
            praise = [self._clause(theme, "good", slots) for theme in themes]
            if len(praise) == 1 and rng.random() < 0.6:
                praise.append(rng.choice(CLOSERS_GOOD))
            opening = rng.choice(("Nothing", "Nothing really", "Not much", "Can't think of anything"))
            return " ".join(
                [_sentence(f"{opening}, {_lower_start(praise[0])}"), *(_sentence(p) for p in praise[1:])]
            )
        sentences = [_sentence(self._suggestion(theme, slots)) for theme in themes]
        # Most say why, or what was good besides.
        if sentiment == "negative" and rng.random() < 0.92:
            reason = self._clause(themes[0], "bad", slots)
            if rng.random() < 0.4:
                reason = f"{rng.choice(BECAUSE)} {_lower_start(reason)}"
            sentences.append(_sentence(reason))
        elif sentiment == "mixed" and rng.random() < 0.92:
            good = _lower_start(self._clause(themes[-1], "good", slots))
            sentences.append(
                _sentence(f"{rng.choice(('Otherwise', 'Apart from that', 'Other than that'))} {good}")
            )
        elif sentiment == "positive" and rng.random() < 0.9:
            if rng.random() < 0.5:
                sentences.insert(0, _sentence(rng.choice(SMALL_THINGS)))
            else:
                sentences.append(_sentence(self._clause(rng.choice(themes), "good", slots)))
        return " ".join(sentences)

    def _suggestion(self, theme: Theme, slots: _Slots) -> str:
        rng = self.rng
        text = self._clause(theme, "better", slots)
        if rng.random() < 0.5:
            text = rng.choice(SUGGESTION_FORMS).format(_lower_start(text))
        return text

    def _anything_else(
        self, sentiment: Sentiment, setting: Setting, allowed: tuple[str, ...], slots: _Slots
    ) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            self._gist = "non_answer"
            return rng.choice(("No", "No thank you", "Nothing else", "No, that's all", "n/a", "Not really"))
        return self._experience(sentiment, setting, allowed, slots)

    def _with_detail(self, text: str, sentiment: Sentiment, setting: Setting) -> str:
        rng = self.rng
        kind = rng.choices([k for k, _ in DETAIL_KINDS], weights=[w for _, w in DETAIL_KINDS])[0]
        detail = _sentence(_detail_sentence(rng, kind, sentiment, setting))
        if kind == "staff_name" and rng.random() < 0.4:
            return f"{detail} {text}"
        return f"{_sentence(text)} {detail}"

    def _roughen(self, text: str) -> str:
        """The slips of people writing quickly on a phone or a card."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:
            for right, wrong in rng.sample(TYPOS, len(TYPOS)):
                found = re.search(rf"\b{right}\b", text)
                if found:
                    text = text[: found.start()] + wrong + text[found.end() :]
                    break
        elif roll < 0.06:
            text = text.replace(". ", ".  ", 1)
        roll = rng.random()
        if roll < 0.09:
            text = text.lower()
        elif roll < 0.14 and text[-1:] == ".":
            text = text[:-1]
        return text

    # Channels: how a comment reaches the bank.

    def event_note(self, text: str, theme_topic: str) -> str:
        rng = self.rng
        speaker = rng.choice(EVENT_SPEAKERS)
        quoted = text if text[-1:] in ".!?" else text + "."
        style = rng.random()
        self.named_topic = 0.65 <= style < 0.85
        if style < 0.45:
            return f'{speaker} said: "{quoted}"'
        if style < 0.65:
            return f"Post-it note: {text}"
        if style < 0.85:
            return f'Table {rng.randint(1, 8)} talked about {theme_topic}. {speaker} said: "{quoted}"'
        return f"{speaker}: {text}"

    def phone_note(self, text: str, theme_topic: str, sentiment: Sentiment) -> str:
        rng = self.rng
        caller = rng.choice(CALLERS)
        why = {
            "positive": "to say thank you",
            "negative": rng.choice(("to complain", "to raise a concern", "upset")),
            "mixed": "to give feedback",
            "neutral": "for advice",
        }[sentiment]
        style = rng.random()
        self.named_topic = not 0.5 <= style < 0.8
        if style < 0.5:
            return f'{caller} rang {why} about {theme_topic}. Said: "{text}"'
        if style < 0.8:
            return f"{caller} called {why}. {text}"
        return f"Call re {theme_topic}. {text}"

    def social_post(self, text: str, handle: str) -> str:
        rng = self.rng
        style = rng.random()
        if style < 0.3:
            text = f"@{handle} {text}"
        elif style < 0.5:
            text = f"{text} {rng.choice(HASHTAGS)}"
        if rng.random() < 0.2 and text[-1:] in ".!":
            text = text.rstrip(".!") + rng.choice(("!!", "!!!", " 😡", " 👏", "..."))
        return text

    def healthwatch_story(self, text: str, at_stall: bool) -> str:
        if at_stall and self.rng.random() < 0.4:
            return f"Told our volunteer at the stall: {text}"
        return text


EVENT_SPEAKERS = (
    "Woman in her 70s",
    "Man in his 50s",
    "Young mum with a baby",
    "Older gentleman",
    "Lady who cares for her husband",
    "Student from Castlebridge College",
    "Man who uses a wheelchair",
    "Woman in her 40s",
    "Grandmother",
    "Retired nurse",
    "Dad of two",
    "Woman who had recently moved to the area",
    "Volunteer from the food bank",
    "Deaf attendee, through the interpreter",
    "Couple in their 80s",
    "Young man",
    "Shop worker",
    "Taxi driver",
)
CALLERS = (
    "Patient",
    "Caller",
    "Daughter of patient",
    "Husband of patient",
    "Son of patient",
    "Carer",
    "Mother of a young patient",
    "Neighbour of patient",
)
HASHTAGS = ("#NHS", "#Castlebridge", "#NHSheroes", "#thankyou", "#NHScrisis", "#notgoodenough")


# --- What an activity hears about ---------------------------------------------------------------

# (words in an activity's topic or title, the setting its comments are about, themes).
# The first rule that matches wins; an activity no rule matches (community safety, parks,
# the council's budget) gathers no health and care comments in the demo.
ACTIVITY_RULES: tuple[tuple[tuple[str, ...], Setting, tuple[str, ...]], ...] = (
    (
        ("mental health", "talking therap", "crisis", "peer support", "counselling", "suicide"),
        "community",
        ("mental_health", "communication", "empathy", "continuity", "waiting", "staff_manner"),
    ),
    (
        ("carer",),
        "community",
        ("carers", "communication", "information", "respect", "continuity"),
    ),
    (
        ("dementia", "memory"),
        "community",
        ("carers", "information", "compassion", "communication", "dignity"),
    ),
    (
        ("phone", "appointment", "gp ", "gp,", "general practice", "opening hours", "practice merger"),
        "gp",
        ("appointments", "waiting", "staff_manner", "continuity", "communication", "empathy"),
    ),
    (
        ("digital", "nhs app", "online"),
        "gp",
        ("appointments", "information", "access", "communication"),
    ),
    (
        ("urgent care", "walk-in", "emergency", "winter"),
        "hospital",
        ("waiting", "staff_manner", "communication", "environment", "compassion", "dignity"),
    ),
    (
        ("maternity", "birth", "infant feeding", "perinatal"),
        "hospital",
        ("staff_manner", "communication", "compassion", "dignity", "respect", "information"),
    ),
    (
        ("transport", "parking", "travel"),
        "hospital",
        ("parking_transport", "access", "waiting"),
    ),
    (
        ("discharge", "leaving hospital"),
        "hospital",
        ("discharge", "communication", "carers", "medication", "continuity"),
    ),
    (
        ("end of life", "bereave"),
        "hospital",
        ("compassion", "dignity", "communication", "respect", "carers"),
    ),
    (
        ("food",),
        "hospital",
        ("food", "dignity", "staff_manner"),
    ),
    (
        ("learning disabilit", "accessible", "disab", "send", "deaf", "bsl", "wheelchair", "autism"),
        "community",
        ("access", "information", "communication", "respect", "carers"),
    ),
    (
        ("care home", "home care", "social care", "extra care", "continuing healthcare"),
        "community",
        ("dignity", "respect", "staff_manner", "food", "continuity", "carers"),
    ),
    (
        ("pharmacy", "medicine"),
        "gp",
        ("medication", "waiting", "staff_manner", "information"),
    ),
    (
        ("dentist",),
        "gp",
        ("appointments", "waiting", "information"),
    ),
    (
        ("community nursing", "foot care", "pulmonary", "singing", "stroke", "rehabilitation"),
        "community",
        ("continuity", "staff_manner", "information", "communication", "compassion"),
    ),
    (
        ("experience", "using nhs", "using the nhs", "hospital", "ward", "outpatient"),
        "hospital",
        (),
    ),
    (
        ("sexual health", "smoking", "oral health", "screening", "vaccination", "health check"),
        "gp",
        ("information", "appointments", "staff_manner", "respect"),
    ),
    (
        ("biggest difference", "keeps you well", "needs assessment", "over 60", "older people"),
        "gp",
        ("wider",),
    ),
)


def activity_plan(topic: str, title: str) -> tuple[Setting, tuple[str, ...]] | None:
    """The setting and themes of what people told an activity, or None where the demo
    gives it no comments."""
    text = f" {topic} {title} ".lower()
    for words, setting, themes in ACTIVITY_RULES:
        if any(word in text for word in words):
            return setting, themes
    return None


# Surveys whose topic is not a service ask in their own words.
OWN_QUESTIONS: dict[str, tuple[str, str]] = {
    "Annual experience survey": (
        "Tell us about a recent experience of health or care services.",
        "What one thing would most improve health and care services where you live?",
    ),
    "Joint strategic needs assessment": (
        "What helps you to stay well?",
        "What makes it harder to stay well where you live?",
    ),
    "Priorities of people over 60": (
        "What matters most to you about staying well as you get older?",
        "What would make the biggest difference to people over 60 in Castlebridge?",
    ),
    "Emergency department experience": (
        "How was your visit to our emergency department?",
        "What one thing would have made your visit better?",
    ),
    "Practice merger": (
        "What do you think about the two practices joining together?",
        "What would you want to stay the same after the merger?",
    ),
    "Home care recommissioning": (
        "What has your experience of home care been like?",
        "What matters most to you in a home care service?",
    ),
    "Dementia-friendly communities": (
        "What is it like living with dementia, or caring for someone who has it, here?",
        "What would make Castlebridge more dementia-friendly?",
    ),
    "The Accessible Information Standard": (
        "Have you been given information in a way you can understand and use?",
        "What would help you get information in the way you need it?",
    ),
    "Special educational needs and disabilities": (
        "What has your experience of support for your child's special educational needs been like?",
        "What one thing would make support for children with SEND better?",
    ),
    "Children's oral health": (
        "How easy is it for your child to see a dentist?",
        "What would help children in Castlebridge look after their teeth?",
    ),
    "Help to stop smoking": (
        "What has your experience of getting help to stop smoking been like?",
        "What would help you, or someone you know, to stop smoking?",
    ),
    "Quality in care homes": (
        "What is life like in the care home, for you or your relative?",
        "What one thing would make the care home better?",
    ),
    "The future of general practice": (
        "What works well at your GP practice?",
        "What should GP practices do differently in future?",
    ),
    "Using NHS services": (
        "What has it been like to use NHS services here?",
        "What would make NHS services easier to use?",
    ),
}


def survey_questions(topic: str) -> tuple[str, str, str]:
    """The open questions of a survey on `topic`, as its lead wrote them."""
    if topic in OWN_QUESTIONS:
        return (*OWN_QUESTIONS[topic], ANYTHING_ELSE_QUESTION)
    subject = _lower_start(topic)
    return (
        f"What has your experience of {subject} been like?",
        f"What one thing would make {subject} better?",
        ANYTHING_ELSE_QUESTION,
    )
