"""The organisations of the Castlebridge partnership.

Modelled on a metropolitan borough's health and care partnership as the source
documents describe it: the council and its public health team, the ICB, two NHS trusts,
Healthwatch, the council for voluntary service, the police, the voluntary and community
sector and 47 GP practices (as Birmingham South Central CCG had). Every name is invented.

`people` says how many people's details an organisation holds: most sit with the ICB,
Healthwatch, the CVS and the council, as in the source documents' contact lists, and a
few voluntary organisations hold those who belong to the groups they run. GP practices
hold their patient participation group members, sized when the people are built.

The partners are data, in data/organisations.toml; this module reads them once.
"""

from __future__ import annotations

from dataclasses import dataclass

from engage.demo.datafiles import Table, data_file
from engage.partners.models import OrganisationKind


@dataclass(frozen=True)
class OrganisationSpec:
    key: str  # how the generator refers to it; never shown
    name: str
    kind: OrganisationKind
    short_name: str = ""
    description: str = ""
    people: int = 0


@dataclass(frozen=True)
class GPPracticeSpec:
    name: str
    town: str


def _organisation(table: Table) -> OrganisationSpec:
    table.refuse_others(("key", "name", "kind", "short_name", "description", "people"), "organisation")
    return OrganisationSpec(
        table.text("key"),
        table.text("name"),
        table.choice("kind", OrganisationKind),
        short_name=table.text("short_name") if table.has("short_name") else "",
        description=table.text("description") if table.has("description") else "",
        people=table.integer("people") if table.has("people") else 0,
    )


_FILE = data_file("organisations")

STATUTORY: tuple[OrganisationSpec, ...] = tuple(_organisation(table) for table in _FILE.tables("statutory"))

VCSE: tuple[OrganisationSpec, ...] = tuple(_organisation(table) for table in _FILE.tables("vcse"))

GP_PRACTICES: tuple[GPPracticeSpec, ...] = tuple(
    GPPracticeSpec(table.text("name"), table.text("town")) for table in _FILE.tables("gp_practices")
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
