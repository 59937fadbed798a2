"""The form that uploads a reference file."""

from __future__ import annotations

from django import forms

from engage.places.models import ReferenceKind
from engage.places.services import UPLOADABLE

_HINTS = {
    ReferenceKind.WARDS: "The ONS Ward to Local Authority District Lookup, as CSV: the wards your partnership "
    "takes its areas from.",
    ReferenceKind.IMD: "File 7 of the English Indices of Deprivation (2025 or 2019), as a CSV or Excel file.",
    ReferenceKind.CENSUS: "A CSV from a Census 2021 bulk zip: TS009, TS021, TS022, TS038 or TS039.",
    ReferenceKind.POSTCODES: "The ONS Postcode Directory, the National Statistics Postcode Lookup or the ONS "
    "postcode to OA, LSOA, MSOA and LAD lookup, as a CSV (whole, or filtered with engage reach filter-postcodes).",
    ReferenceKind.BOUNDARIES: "Ward or LSOA boundaries as GeoJSON, from the ONS Open Geography Portal.",
}


class ReferenceUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which file is it?",
        choices=[(kind.value, kind.label) for kind in UPLOADABLE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which kind of file this is."},
    )
    file = forms.FileField(label="The file", error_messages={"required": "Choose the file to load."})

    hints = _HINTS
