"""A planted test set for `textkit.redact`.

Realistic patient feedback with personal details put in at known places (every planted
detail is recorded with its kind, the exact text planted and where it starts), and clean
feedback with no personal details but plenty that looks like them: times, durations, money,
ward and bay numbers, years, recent dates, postcode districts, doses, "NHS 111", staff roles
and local places.

Everything is made from the lists below by a seeded `random.Random`, so the same seed gives
the same texts on every machine; nothing is read from files or downloaded. The names,
numbers and addresses are invented: phone numbers are random digits in the right layouts,
NHS numbers are random digits with a correct check digit.

The first names here are chosen independently of the list in `textkit.redact`, and a few
are names that list does not hold, so the name recall measured over this set is honest
about names the redactor has never heard of.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

TODAY = datetime.date(2025, 6, 1)
KINDS = ("nhs_number", "phone", "email", "postcode", "date_of_birth", "web_address", "name")
STRUCTURED_KINDS = KINDS[:-1]

PLANTED_SEED = 20250601
CLEAN_SEED = 20250602


@dataclass(frozen=True)
class Planted:
    """One planted personal detail: its kind, the exact text planted and where it starts."""

    kind: str
    value: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.value)


@dataclass(frozen=True)
class Case:
    text: str
    planted: tuple[Planted, ...] = ()

    def clean_parts(self) -> str:
        """The text with every planted detail cut out, leaving the words that must survive."""
        pieces = []
        position = 0
        for detail in sorted(self.planted, key=lambda planted: planted.start):
            pieces.append(self.text[position : detail.start])
            position = detail.end
        pieces.append(self.text[position:])
        return " ".join(pieces)


# --- Invented people and places -----------------------------------------------------------
def _split(words: str) -> tuple[str, ...]:
    """A list of words written as one string, which reads better than a list of quoted words."""
    return tuple(words.split())


FIRST_NAMES = _split(
    "Sarah Tom Priya Margaret Peter Chloe James Emma David Helen Mohammed Aisha Lucy Gary Karen "
    "Susan Daniel Olivia Harry Jo Paul Ruth Imran Fatima Megan Liam Sophie Kevin Sandra Brian "
    "Doreen Nigel Jessica Ryan Hannah Mandy Yusuf Zainab Piotr Agnieszka Amy Colin Gemma Dave "
    "Julie Neil Rachel Stuart Tracey Wayne Eileen Arthur Mary Joan George Ellie Oscar Isla "
    "Rajesh Sanjay Leanne Kirsty Declan Siobhan Rhys Bogdan Chidi Aoife Kasia Gurpreet"
)
SURNAMES = _split(
    "Smith Jones Patel Khan Hughes Brown Taylor Williams Evans Davies Wilson Roberts Walker "
    "Wright Robinson Thompson Edwards Green Lewis Clarke Jackson Turner Cooper Ward Morris Hall "
    "Baker Harris Begum Ahmed Hussain Singh Kaur Nowak Okafor Mensah O'Brien McDonald Murphy "
    "Shah Sharma Rahman Mistry Bennett Price Griffiths Parry Bailey Mitchell Carter Hadley"
)
TITLES = ("Dr", "Dr.", "Doctor", "Nurse", "Sister", "Mr", "Mrs", "Miss", "Ms", "Prof", "Professor")
PLACES = _split(
    "Dudley Stourbridge Halesowen Netherton Sedgley Kingswinford Wordsley Lye Coseley Gornal "
    "Tipton Oldbury Amblecote"
)
HOSPITALS = (
    "Russells Hall Hospital",
    "Russells Hall",
    "the Corbett Outpatient Centre",
    "New Cross Hospital",
    "Sandwell General",
    "the Queen Elizabeth Hospital",
    "Birmingham Children's Hospital",
    "the Alexandra Hospital",
)
OUTWARD_CODES = _split(
    "DY1 DY2 DY3 DY5 DY6 DY8 DY9 B63 B62 B64 B15 B1 B69 WV1 WV10 WV14 WS1 SW1A EC1A W1A M1 LS1 "
    "NG7 CV1 WR5 ST4"
)
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
EMAIL_DOMAINS = _split(
    "gmail.com hotmail.co.uk yahoo.co.uk outlook.com btinternet.com nhs.net icloud.com sky.com"
)
WEB_ADDRESSES = (
    "https://www.facebook.com/groups/dudleycarers",
    "https://www.gofundme.com/f/help-for-our-mum",
    "http://bit.ly/3xYzA1q",
    "www.dudleycarersgroup.co.uk",
    "www.youtube.com/watch?v=dQw4w9WgXcQ",
    "nhs.uk/conditions/asthma",
    "nhs.uk/mental-health",
    "blackcountryhealthcare.nhs.uk/our-services",
    "healthwatchdudley.co.uk/contact",
    "https://www.justgiving.com/page/walk-for-the-hospice",
    "https://www.change.org/p/save-our-walk-in-centre",
    "instagram.com/dudleymumsmatter",
    "https://patient.info/forums/discuss/long-covid",
    "www.mumsnet.com/talk/health",
)
MONTHS = _split("January February March April May June July August September October November December")


# --- Generators for each planted kind -------------------------------------------------------
def nhs_check_digit(nine_digits: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None where no check digit works."""
    total = sum(int(digit) * weight for digit, weight in zip(nine_digits, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def valid_nhs_number(rng: random.Random) -> str:
    """Ten digits that pass the check, starting as English NHS numbers do (4, 6 or 7)."""
    while True:
        nine = str(rng.choice((4, 6, 7))) + "".join(str(rng.randrange(10)) for _ in range(8))
        check = nhs_check_digit(nine)
        if check is not None:
            return nine + str(check)


def invalid_nhs_number(rng: random.Random) -> str:
    """Ten digits, not starting with 0, that fail the check: a look-alike to leave alone."""
    nine = str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(8))
    check = nhs_check_digit(nine)
    wrong = rng.randrange(10) if check is None else (check + rng.randrange(1, 10)) % 10
    return nine + str(wrong)


def _nhs_number(rng: random.Random) -> str:
    digits = valid_nhs_number(rng)
    separator = rng.choice(("", " ", " ", "-"))
    return separator.join((digits[:3], digits[3:6], digits[6:]))


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def _phone(rng: random.Random) -> str:
    mobile = "7" + _digits(rng, 3)
    rest = _digits(rng, 6)
    area5 = rng.choice(("1384", "1902", "1922", "1562", "1543"))
    area4 = rng.choice(("121", "161", "113", "300", "800", "345"))
    line7 = _digits(rng, 7)
    layouts = (
        f"0{mobile} {rest}",
        f"0{mobile}{rest}",
        f"0{mobile} {rest[:3]} {rest[3:]}",
        f"0{mobile}-{rest}",
        f"+44 {mobile} {rest}",
        f"+44{mobile}{rest}",
        f"+44 (0){mobile} {rest}",
        f"(0{area5}) {rest}",
        f"0{area5} {rest}",
        f"0{area5}-{rest}",
        f"+44 {area5} {rest}",
        f"0{area4} {line7[:3]} {line7[3:]}",
        f"0{area4}-{line7[:3]}-{line7[3:]}",
        f"(0{area4}) {line7[:3]} {line7[3:]}",
        f"+44 (0){area4} {line7[:3]} {line7[3:]}",
        f"+44 {area4} {line7[:3]} {line7[3:]}",
        f"020 {_digits(rng, 4)} {_digits(rng, 4)}",
        f"(020) {_digits(rng, 4)} {_digits(rng, 4)}",
    )
    return rng.choice(layouts)


def _email(rng: random.Random) -> str:
    first = rng.choice(FIRST_NAMES).lower()
    surname = rng.choice(SURNAMES).lower()
    local = rng.choice(
        (
            f"{first}.{surname}",
            f"{first}{rng.randrange(1, 99)}",
            f"{first[0]}.{surname}",
            f"{first}_{surname}{rng.randrange(50, 99)}",
            f"{surname}.family",
            f"{first}.{surname}+nhs",
        )
    )
    return f"{local}@{rng.choice(EMAIL_DOMAINS)}"


def _postcode(rng: random.Random) -> str:
    inward = str(rng.randrange(10)) + rng.choice(INWARD_LETTERS) + rng.choice(INWARD_LETTERS)
    code = f"{rng.choice(OUTWARD_CODES)} {inward}"
    style = rng.random()
    if style < 0.6:
        return code
    if style < 0.8:
        return code.replace(" ", "")
    if style < 0.9:
        return code.replace(" ", "").lower()
    return code.lower()


def _ordinal(day: int) -> str:
    if day in {11, 12, 13}:
        return f"{day}th"
    return f"{day}" + {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _written_date(rng: random.Random, day: datetime.date) -> str:
    month = MONTHS[day.month - 1]
    return rng.choice(
        (
            f"{day.day:02d}/{day.month:02d}/{day.year}",
            f"{day.day}/{day.month}/{day.year}",
            f"{day.day:02d}-{day.month:02d}-{day.year}",
            f"{day.day:02d}.{day.month:02d}.{day.year}",
            f"{day.day} {month} {day.year}",
            f"{_ordinal(day.day)} {month[:3]} {day.year}",
            f"{_ordinal(day.day)} of {month} {day.year}",
            f"{month} {day.day} {day.year}",
            f"{month} {_ordinal(day.day)}, {day.year}",
            f"{day.day}/{day.month}/{day.year % 100:02d}",
        )
    )


def _date_in(rng: random.Random, first_year: int, last_year: int) -> datetime.date:
    start = datetime.date(first_year, 1, 1).toordinal()
    end = datetime.date(last_year, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(start, end))


def _cued_birth_date(rng: random.Random) -> str:
    """A date after a cue such as "born": any year, children's included."""
    return _written_date(rng, _date_in(rng, 1928, 2022))


def _old_date(rng: random.Random) -> str:
    """A full date with no cue, old enough to be taken as a date of birth."""
    day = _date_in(rng, 1928, 2005)
    written = _written_date(rng, day)
    # A two-digit year alone is too ambiguous without a cue; write it in full.
    return written if not re.search(r"/[0-9]{2}$", written) else f"{day.day}/{day.month}/{day.year}"


def _web(rng: random.Random) -> str:
    return rng.choice(WEB_ADDRESSES)


def _first(rng: random.Random) -> str:
    return rng.choice(FIRST_NAMES)


def _full(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def _staff(rng: random.Random) -> str:
    title = rng.choice(TITLES)
    style = rng.random()
    if style < 0.6:
        return f"{title} {rng.choice(SURNAMES)}"
    if style < 0.85:
        return f"{title} {rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    return f"{title} {rng.choice('ABCDEGHJKMPRST')}. {rng.choice(SURNAMES)}"


PLANTED_SLOTS: dict[str, tuple[str, Callable[[random.Random], str]]] = {
    "nhs": ("nhs_number", _nhs_number),
    "phone": ("phone", _phone),
    "email": ("email", _email),
    "postcode": ("postcode", _postcode),
    "dob": ("date_of_birth", _cued_birth_date),
    "olddate": ("date_of_birth", _old_date),
    "web": ("web_address", _web),
    "first": ("name", _first),
    "full": ("name", _full),
    "staff": ("name", _staff),
}


# --- Generators for the look-alikes in clean text -------------------------------------------
def _recent_date(rng: random.Random) -> str:
    day = _date_in(rng, 2023, 2025)
    day = min(day, TODAY)
    month = MONTHS[day.month - 1]
    return rng.choice(
        (
            f"{day.day:02d}/{day.month:02d}/{day.year}",
            f"{day.day}/{day.month}/{day.year % 100:02d}",
            f"{day.day:02d}.{day.month:02d}.{day.year}",
            f"{day.day} {month} {day.year}",
            f"{_ordinal(day.day)} {month[:3]} {day.year}",
            f"{day.isoformat()}",
        )
    )


CLEAN_SLOTS: dict[str, Callable[[random.Random], str]] = {
    "time": lambda rng: rng.choice(("10:30", "8am", "9.15", "14:45", "half past two", "11:45pm", "08:00")),
    "duration": lambda rng: rng.choice(
        ("4 hours", "six hours", "45 minutes", "2 weeks", "three months", "18 months", "90 minutes")
    ),
    "money": lambda rng: rng.choice(("£20", "£4.50", "£12", "£150", "£1,200", "£3")),
    "ward": lambda rng: f"Ward {rng.choice(('7', '12', '3', 'C5', '20', '2A'))}",
    "bay": lambda rng: f"bay {rng.randrange(1, 9)}",
    "year": lambda rng: str(rng.randrange(2009, 2025)),
    "recent": _recent_date,
    "district": lambda rng: rng.choice(("DY1", "DY8", "B63", "WV14", "DY5", "the DY2 area")),
    "percent": lambda rng: rng.choice(("40%", "12 per cent", "75%", "half")),
    "dose": lambda rng: rng.choice(("500mg", "20 mg", "5ml", "2 x 500mg", "10mg")),
    "place": lambda rng: rng.choice(PLACES),
    "hospital": lambda rng: rng.choice(HOSPITALS),
    "short": lambda rng: rng.choice(("NHS 111", "111", "999", "the 111 line")),
    "weekday": lambda rng: rng.choice(("Monday", "Tuesday", "Friday", "Saturday", "Sunday")),
    "month": lambda rng: rng.choice(MONTHS),
    "count": lambda rng: rng.choice(("number 23", "27th", "number 9", "41st")),
    "ref": invalid_nhs_number,
}

# --- Sentences ------------------------------------------------------------------------------
PLANTED_SENTENCES = (
    # NHS numbers
    "My NHS number is {nhs} if you need to look me up.",
    "I gave my NHS number ({nhs}) three times at the front desk and was still asked again.",
    "NHS no. {nhs} - please pass this to PALS.",
    "Patient is my mum, NHS number {nhs}, who waited {duration} on a trolley.",
    "They could not find me on the system even with {nhs} so I had to register again.",
    "{nhs} is my husband's number, he has been waiting for a hearing aid since {year}.",
    "Please ring about my complaint, NHS number: {nhs}.",
    "The letter had the wrong NHS number on it, mine is {nhs}.",
    # Phone numbers
    "Please ring me on {phone} if you want to hear more.",
    "You can call me on {phone} after 5pm.",
    "My daughter's mobile is {phone}, she does most of the talking for me.",
    "Contact me: {phone}.",
    "Text me on {phone} rather than sending letters as I can't read small print.",
    "The number they gave me ({phone}) just rings out.",
    "Happy to talk, my landline is {phone} and I'm in most mornings.",
    "If the carers group wants volunteers my number is {phone}",
    # Email addresses
    "My email is {email} if you want me to join the patient group.",
    "Please send the minutes to {email}.",
    "You can email me at {email}.",
    "I sent three emails to {email} and got no reply.",
    "Contact: {email}",
    "My son set up {email} for me so I could get my appointment letters.",
    # Postcodes
    "I live in {postcode} and the nearest pharmacy has closed.",
    "Our address is 14 Priory Road, {postcode}, and the ambulance went to the wrong street.",
    "Postcode {postcode} - there is no bus to the hospital from here.",
    "We moved to {postcode} in {year} and still can't get registered with a GP.",
    "The district nurse could not find us at {postcode} because the satnav sends people the wrong way.",
    "As a carer in {postcode}, I feel completely forgotten.",
    # Dates of birth, after a cue
    "I was born {dob} and have never had to wait this long.",
    "My DOB is {dob}.",
    "Mum's date of birth is {dob} and she has dementia.",
    "DOB: {dob}, I'm registered at the surgery in {place}.",
    "D.O.B. {dob} - still waiting for my hip operation.",
    "My son (born {dob}) has been on the CAMHS waiting list for a year.",
    "Date of birth {dob}. I have COPD and struggle with the stairs at the clinic.",
    "My husband's birthday is {dob} and he is now housebound.",
    "He was born on {dob} so he should have been offered the shingles jab.",
    # Dates of birth, old enough to need no cue
    "My father ({olddate}) was left in a corridor for {duration}.",
    "Patient details: {olddate}, type 2 diabetes, lives alone.",
    "I am writing about my aunt, {olddate}, who lives alone in {place}.",
    # Web addresses
    "There is more about my story at {web}.",
    "I found the information on {web} more helpful than the leaflet.",
    "Our carers group has a page at {web} if anyone wants to join.",
    "The link in the letter ({web}) doesn't work.",
    "I wrote about it here: {web}",
    "Please look at {web}, it explains the problem better than I can.",
    # Names
    "{staff} was brilliant with my mum and explained everything.",
    "I want to thank {staff} on the children's ward.",
    "The nurse who looked after me, {first}, was so kind.",
    "My name is {full} and I care for my husband who has Parkinson's.",
    "My name's {first} and I have been a carer for 12 years.",
    "A paramedic called {first} kept my daughter calm all the way to A&E.",
    "We saw a support worker named {first} who really listened.",
    "My husband {first} has dementia and the memory clinic was excellent.",
    "{full} on reception sorted it all out in five minutes.",
    "Please pass my thanks to {first} and {first} in the discharge lounge.",
    "{first} was lovely and made me a cup of tea.",
    "I spoke to {first} on the phone and she booked me straight in.",
    "My son {first} (aged 7) was seen quickly.",
    "Thank you {first}!",
    "The GP, {staff}, referred me to the falls clinic.",
    "{staff} and {staff} did my operation and I can't fault them.",
    "Ask for {first} in the discharge lounge, she knows what she is doing.",
    "Our neighbour {full} drove us to {hospital} because the ambulance was delayed.",
    "Me and my wife {first} are both carers for our grandson.",
    "I saw {staff} at {time} and was home by lunchtime.",
)

CLEAN_SENTENCES = (
    "I waited {duration} in A&E at {hospital} on {weekday}.",
    "The appointment was at {time} but I wasn't seen until much later.",
    "Parking cost me {money} for a {duration} visit, which is too much.",
    "My mum was moved from {ward} to {ward} without anyone telling us.",
    "She was in {bay} on the stroke unit for a fortnight.",
    "We called {short} and were told to go to the urgent treatment centre.",
    "Since {year} the GP surgery in {place} has got much worse.",
    "My appointment on {recent} was cancelled by text the night before.",
    "I live in {district} and the buses to {hospital} are hopeless.",
    "About {percent} of the people in our group said the same.",
    "I was prescribed {dose} of amoxicillin three times a day.",
    "The Nurse Practitioner at my surgery is excellent.",
    "The Doctor was kind but clearly rushed off her feet.",
    "The Sister on {ward} ran a tight ship and it showed.",
    "Matron came round and apologised, which meant a lot.",
    "The paramedics arrived after {duration} and were fantastic.",
    "My son was born at {hospital} in {year} and the midwives were amazing.",
    "It was my birthday last {weekday} and I spent it in the discharge lounge.",
    "Our carers group meets at {place} library every {weekday} at {time}.",
    "The mental health crisis team rang back within {duration}.",
    "I was {count} in the queue when the phone lines opened at 8am.",
    "The complaint reference they gave me was {ref} but nobody could find it.",
    "My blood test on {recent} came back fine.",
    "I have been on the waiting list since {month} {year}.",
    "The Queen Elizabeth Hospital in Birmingham were brilliant with my transplant.",
    "St Mary's Hospice looked after my dad at the end and we are so grateful.",
    "The Mary Stevens Hospice shop is where I heard about this survey.",
    "Age UK Dudley helped me fill in the forms.",
    "Healthwatch Dudley told us about this consultation.",
    "A&E was packed on {weekday} night and there were only two doctors.",
    "GP receptionists are doing their best but the 8am rush is awful.",
    "I had to wait {duration} for an ambulance after my fall.",
    "The 111 service told me to go to A&E but A&E told me to see my GP.",
    "I take {dose} of metformin and the pharmacy keeps running out.",
    "It cost {money} in taxis to get to my appointments in {month}.",
    "The Corbett Outpatient Centre is easy to get to from {place}.",
    "Russells Hall Hospital car park is always full by {time}.",
    "We were on {ward} at Russells Hall for {duration}.",
    "Waiting times have gone up by {percent} since {year}, according to the papers.",
    "The chemist on {place} High Street is brilliant.",
    "Community nurses visit twice a week, usually in the morning.",
    "Please can the surgery answer the phone before 8:30.",
    "I rang at 08:00 and was number 23 in the queue.",
    "The 297 bus from {place} doesn't go near the hospital.",
    "The eye clinic on Level 2 needs better signs.",
    "I was given {dose} tablets and told to come back in 7 days.",
    "Carers Week in June was a great event at the Council House.",
    "Our group of 15 carers would like a say in the new plans.",
    "My appointment is on {recent} at {time}.",
    "Test results from {recent} still haven't been sent.",
    "Things improved after the review in 2021-22.",
    "I scored 24/30 on the memory test and nobody explained what that meant.",
    "Prescription number 40213 was lost twice.",
    "My CAMHS referral took {duration}.",
    "Room 101 in the Corbett is freezing.",
    "The Consultant was rude and didn't look at me once.",
    "Our Practice Manager was helpful when I complained.",
    "Nurse led clinics are a great idea.",
    "The Doctor I saw at {hospital} listened properly.",
    "The Ward Sister was lovely.",
    "The out of hours GP rang at 11:45pm.",
    "We went to Stourbridge, Halesowen and Brierley Hill before we found a dentist.",
    "I was told to ring back on {weekday} between 2 and 4.",
    "The clinic in {place} runs 9-5, Mon to Fri.",
    "NHS 111 was quick but the call back took {duration}.",
    "Mental health services for young people in {place} need more money.",
    "The ambulance took {duration} and my dad is {count} on the list for a bed.",
    "The new Health and Wellbeing Hub in {place} is a good idea.",
    "Dudley Group NHS Foundation Trust should listen to carers more.",
    "I went in on Boxing Day with chest pains and was seen within the hour.",
    "The pharmacy in {place} gave me 28 tablets instead of 56.",
    "Sister was firm but fair, and the ward was spotless.",
    "My GP practice has a 3 week wait for a routine appointment.",
    "I paid {money} for a private scan because the NHS wait was {duration}.",
    "My 92 year old neighbour can't use the online booking.",
    "The Doctor on call at night was excellent.",
    "On {weekday} there were 40 people in the waiting room and one receptionist.",
    "The diabetes nurse at {place} Health Centre is excellent.",
    "I went to the walk-in centre in {place} at {time} and it was closed.",
    "Long Covid clinic letters take {duration} to arrive.",
    "Covid jabs at the Civic Hall were well organised.",
    "The Samaritans and Mind were more help than my GP.",
    "We need a Macmillan nurse in {place}.",
    "My husband was in ICU for {duration} and the care was outstanding.",
    "Everyone at the Black Country Healthcare crisis team was kind.",
    "I was seen by the Physio at {hospital} after {duration}.",
    "Can the Council House café take card payments?",
    "I am a carer for my mum who is 86.",
    "The surgery's text reminders at {time} the day before are helpful.",
    "My GP referred me to a service called Talking Therapies and it helped.",
    "There is an app called Patches that reminds me to take my tablets.",
    "My grandson watched Doctor Who on his tablet while we waited.",
    "Will someone please ring me back?",
    "My blood pressure rose while I waited, e.g. it was 160 by the end.",
    "Hope this helps, i.e. someone reads these.",
    "The Dr's receptionist told me to try again at 8am.",
    "My sister-in-law had the same problem, etc.",
    "The 24/7 helpline is a lifeline, and 1 in 4 people will need it.",
    "About 2/3 of the staff were agency on {weekday}.",
    "I was given an A4 leaflet and a COVID-19 test, then the X10 bus home.",
    "My dad was born in 1948 and has never used a computer.",
    "Case reference 20250312-0042 was closed without a reply.",
    "I had my B12 injection at {time} and then waited {duration} for the nurse.",
    "We are on version 2.1 of the booking app and it still crashes.",
    "The M6 was shut so the ambulance took {duration}.",
    "The Advanced Nurse Practitioner sorted my antibiotics.",
    "I was seen at 5.30pm by a locum, which was fine.",
)


_SLOT = re.compile(r"\{(\w+)\}")


def _fill(template: str, rng: random.Random, used: set[str]) -> tuple[str, list[Planted]]:
    """Fill a template's slots, recording where each planted detail lands."""
    text_parts: list[str] = []
    planted: list[Planted] = []
    length = 0
    position = 0
    for slot in _SLOT.finditer(template):
        literal = template[position : slot.start()]
        text_parts.append(literal)
        length += len(literal)
        name = slot.group(1)
        if name in PLANTED_SLOTS:
            kind, make = PLANTED_SLOTS[name]
            value = make(rng)
            while value in used or any(word in used for word in value.split()):
                value = make(rng)  # the same detail twice in one text would blur the count
            used.add(value)
            used.update(value.split())
            planted.append(Planted(kind=kind, value=value, start=length))
        else:
            value = CLEAN_SLOTS[name](rng)
        text_parts.append(value)
        length += len(value)
        position = slot.end()
    text_parts.append(template[position:])
    return "".join(text_parts), planted


def _join(sentences: list[tuple[str, list[Planted]]], rng: random.Random) -> Case:
    text = ""
    planted: list[Planted] = []
    for index, (sentence, details) in enumerate(sentences):
        if index:
            text += rng.choice((" ", " ", " ", "\n", "  "))
        planted.extend(
            Planted(kind=detail.kind, value=detail.value, start=detail.start + len(text))
            for detail in details
        )
        text += sentence
    return Case(text=text, planted=tuple(planted))


def _sentences_with(kind: str) -> list[str]:
    return [
        sentence
        for sentence in PLANTED_SENTENCES
        if any(PLANTED_SLOTS[slot][0] == kind for slot in _SLOT.findall(sentence) if slot in PLANTED_SLOTS)
    ]


def planted_cases(seed: int = PLANTED_SEED, count: int = 280) -> list[Case]:
    """Texts with planted personal details: every kind in turn, sometimes two in a text,
    with clean sentences around them."""
    rng = random.Random(seed)
    by_kind = {kind: _sentences_with(kind) for kind in KINDS}
    cases = []
    for index in range(count):
        used: set[str] = set()
        kind = KINDS[index % len(KINDS)]
        sentences = [_fill(rng.choice(by_kind[kind]), rng, used)]
        if rng.random() < 0.3:
            sentences.append(_fill(rng.choice(PLANTED_SENTENCES), rng, used))
        sentences.extend(_fill(rng.choice(CLEAN_SENTENCES), rng, used) for _ in range(rng.randrange(3)))
        rng.shuffle(sentences)
        cases.append(_join(sentences, rng))
    return cases


def clean_cases(seed: int = CLEAN_SEED, count: int = 140) -> list[Case]:
    """Texts with no personal details, but full of look-alikes."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        sentences = [_fill(rng.choice(CLEAN_SENTENCES), rng, set()) for _ in range(rng.randrange(1, 4))]
        cases.append(_join(sentences, rng))
    return cases
