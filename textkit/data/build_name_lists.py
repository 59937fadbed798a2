"""Write first_names.txt and surnames.txt beside this file from the name lists of the
Faker package (MIT licence) and the commonest first names of the US Census Bureau's 1990
lists (in the public domain, as shipped by the `names` package, MIT licence), leaving out
names that are everyday English words.

Run by hand when the lists should change, never by the product:

    apt-get install wbritish   # Debian's British English word list, for the words to leave out
    .venv/bin/pip install names==0.3.0   # the census lists; not a dependency of the product
    .venv/bin/python textkit/data/build_name_lists.py

README.md beside this file says where the names come from and what is left out, and why.
"""

from __future__ import annotations

import importlib
import importlib.resources
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORDS = Path("/usr/share/dict/british-english")

# The Faker locales whose names people in England are given: British, Irish, South Asian,
# West and East African, Eastern and Southern European, and American names (many of them
# given here too). Faker's en_GB first names are the Office for National Statistics' most
# given names.
FIRST_NAME_LOCALES = [
    "en_GB",
    "en_IE",
    "en_IN",
    "en_PK",
    "en_NG",
    "yo_NG",
    "ig_NG",
    "ha_NG",
    "tw_GH",
    "en_KE",
    "pl_PL",
    "ro_RO",
    "lt_LT",
    "pt_PT",
    "es_ES",
    "it_IT",
    "en_US",
    "en_NZ",
]
# The census lists, commonest first, and how many of each to take. Faker's en_GB list
# holds the names given to babies lately; older people's names ("Marjorie", "Maxine",
# "Doreen", "Mavis"), which feedback about their care often holds, are in the census
# lists of names held by people of every age. Below these ranks the lists hold more
# misspellings ("Barbar") and rare forms than names met here.
CENSUS_FIRST_NAMES = {"dist.female.first": 1000, "dist.male.first": 500}
SURNAME_LOCALES = ["en_GB", "en_IE", "en_IN", "en_PK", "en_NG", "yo_NG", "ig_NG", "ha_NG", "tw_GH", "en_US"]

# Names that are also words in the dictionary but are far more often names in feedback:
# kept, although the dictionary would leave them out.
NAMES_DESPITE_THE_DICTIONARY = {
    "Billy",
    "Bob",
    "Bobby",
    "Brogan",
    "Carol",
    "Colleen",
    "Dean",
    "Derrick",
    "Glen",
    "Harry",
    "Hector",
    "Jimmy",
    "John",
    "Josh",
    "Lee",
    "Maria",
    "Martin",
    "Mike",
    "Peter",
    "Phoebe",
    "Rick",
    "Roger",
    "Sally",
    "Terry",
    "Tom",
    "Tony",
    "Victor",
}
# Places, in the Black Country and beyond, and other capitalised words of feedback that
# are also in Faker's lists of names: left out, because in feedback they are places.
NOT_NAMES_HERE = {
    "Dudley",
    "Florence",
    "Victoria",
    "Stanley",
    "Russell",
    "Chester",
    "Lincoln",
    "Preston",
    "Kent",
    "Devon",
    "Clifton",
    "Bradley",
    "Hampton",
    "Camden",
    "Kingsley",
    "Wellington",
    "Warwick",
    "Stafford",
    "Lichfield",
    "Tamworth",
    "Walsall",
    "Sandwell",
    "Wolverhampton",
    "Halesowen",
    "Stourbridge",
    "Tipton",
    "Oldbury",
    "Sedgley",
    "Gornal",
    "Netherton",
    "Coseley",
    "Wordsley",
    "Amblecote",
    "Kingswinford",
    "Brierley",
    "Telford",
    "Redditch",
    "Worcester",
    "Hereford",
    "Shrewsbury",
    "Coventry",
    "Birmingham",
    "Solihull",
    "Bromsgrove",
    "Kidderminster",
    "London",
    "Manchester",
    "Leeds",
    "Bristol",
    "Jersey",
    "Chelsea",
    "Paris",
    "Sydney",
    "Adelaide",
    "Austin",
    "Dallas",
    "Orlando",
    "Phoenix",
    "Savannah",
    "India",
    "Kenya",
    "China",
    "Africa",
    "Asia",
    "America",
    "Boston",
    "Denver",
    "Houston",
    "Raleigh",
    "Hanley",
    "Crewe",
    "Derby",
    "Carlisle",
    "Corbett",
    "Russells",
    "Priory",
    "Mary's",
    "Macmillan",
    "Marie",
    "Curie",
    "Nightingale",
    "Seacole",
    "Radcliffe",
    "Eliot",
    "Ryder",
    "Stopes",
    "Peel",
    "Christian",
    "Muslim",
    "Sikh",
    "Hindu",
    "Jewish",
    "Catholic",
    "Islam",
    "Royal",
    "Sunday",
    "Tuesday",
    "Covid",
    "Corona",
    "Trust",
    "Council",
    "Ward",
    "Bay",
    "Unit",
    "Clinic",
    "Surgery",
    "Centre",
    "Doctor",
    "Nurse",
    "Sister",
    "Jan",
    "April",
    "June",
    "May",
    "August",
    "Summer",
    "Autumn",
    "Winter",
    "Spring",
    "Christmas",
    "Easter",
    "Rich",
    "Sky",
    "Ivy",
    "Iris",
    # In the census lists: places here, or a word more often than a person in feedback.
    "Bradford",
    "Carlton",
    "Alton",
    "Sheldon",
    "Byron",
    "Lamar",
    "Roosevelt",
}
# Surnames that are also words, kept because they are among the most common surnames here
# and are rarely written with a capital as the word.
SURNAMES_DESPITE_THE_DICTIONARY = {"Smith", "Khan", "Shah", "Begum", "Singh", "Kaur", "Patel", "Ahmed"}
# Surnames that are also common first names are kept as first names and not as surnames,
# and surnames shorter than this are left out: they are more often initials or words.
SHORTEST = 3


def _census_names() -> set[str]:
    """The commonest first names of the census lists, written as names ("MARJORIE" as
    "Marjorie")."""
    found: set[str] = set()
    for file_name, how_many in CENSUS_FIRST_NAMES.items():
        lines = (importlib.resources.files("names") / file_name).read_text(encoding="utf-8").splitlines()
        found.update(line.split()[0].title() for line in lines[:how_many])
    return found


def _names(locales: list[str], attributes: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in attributes:
            found.update(getattr(provider, attribute, ()) or ())
    return found


_NAME = re.compile(r"[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+(?:['\u2019-][A-Z][a-z]+)?")


def _keep(name: str, everyday_words: set[str]) -> bool:
    if not _NAME.fullmatch(name) or len(name) < SHORTEST or name in NOT_NAMES_HERE:
        return False
    return name in NAMES_DESPITE_THE_DICTIONARY or name.lower() not in everyday_words


def main() -> None:
    everyday_words = {word for word in WORDS.read_text(encoding="utf-8").split() if word.islower()}
    first = {
        name
        for name in _names(FIRST_NAME_LOCALES, ("first_names", "first_names_male", "first_names_female"))
        | _census_names()
        if _keep(name, everyday_words)
    }
    surnames = {name for name in _names(SURNAME_LOCALES, ("last_names",)) if _keep(name, everyday_words)}
    surnames |= SURNAMES_DESPITE_THE_DICTIONARY
    surnames -= first
    for path, names in (("first_names.txt", first), ("surnames.txt", surnames)):
        (HERE / path).write_text("\n".join(sorted(names)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
