"""One module per official file. What they share: the shape of a GSS area code (an
LSOA E01000001, a ward E05001234, a local authority E08000027)."""

import re

AREA_CODE = re.compile(r"[EW]\d{8}")
