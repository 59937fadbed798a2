"""What a whole UK postcode looks like, written the one way the postcode lookup keeps it.
The conversation import and the lookup's loader both go by it, so a postcode typed in
any spacing or case finds its areas."""

from __future__ import annotations

import re

_WHOLE_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")


def full_postcode(text: str) -> str:
    """A whole UK postcode, upper case with no spaces ("dy1 1hf", " DY1  1HF " give
    "DY11HF"), to find its areas in the postcode lookup; "" if it is not one. It is used
    only while a row is imported and never stored (the bank keeps the district)."""
    compact = "".join(text.split()).upper()
    return compact if _WHOLE_POSTCODE.fullmatch(compact) else ""
