"""What the demo's partners share with the partnership's picture (engage/partnership):
the ICB, both trusts and Healthwatch share their approved quotes; the council, public
health and the carers' centre counts only; the CVS and the rest nothing, so every level
shows."""

from __future__ import annotations

import datetime as dt

from engage.partners.models import Organisation
from engage.partnership.sharing.services import organisation_sharing_set

AGREEMENT = "Castlebridge health and care information sharing agreement"
LEVELS = {
    "NHS Castlebridge Integrated Care Board": "quotes",
    "Castlebridge Hospitals NHS Foundation Trust": "quotes",
    "Castlebridge Community and Mental Health NHS Trust": "quotes",
    "Healthwatch Castlebridge": "quotes",
    "Castlebridge Metropolitan Borough Council": "counts",
    "Castlebridge Public Health": "counts",
    "Castlebridge Carers' Centre": "counts",
    "Castlebridge Council for Voluntary Service": "nothing",
}


def build_sharing(today: dt.date) -> int:
    """Each organisation's level, under the agreement signed a year and a bit ago; the
    worker builds the picture from them (and again once the demo's analysis lands).
    Answers how many organisations share."""
    signed = today.replace(day=1) - dt.timedelta(days=400)
    sharing = 0
    for organisation in Organisation.objects.filter(name__in=LEVELS):
        level = LEVELS[organisation.name]
        organisation_sharing_set(
            actor=None,
            organisation=organisation,
            level=level,
            agreement_name=AGREEMENT if level != "nothing" else "",
            agreement_dated=signed if level != "nothing" else None,
            today=today,
        )
        sharing += level != "nothing"
    return sharing
