"""Reading a boundaries file as the ONS Open Geography Portal publishes it in GeoJSON, so
that reach can draw its wards or LSOAs on a map.

The file is a FeatureCollection. Each feature's properties name the area: wards by
`WD24CD` and `WD24NM` (the year changes with each edition: `WD23CD`, `WD22CD`), LSOAs by
`LSOA21CD` and `LSOA21NM` (or the 2011 `LSOA11CD` and `LSOA11NM`). Property names are
matched ignoring case, since some downloads spell them `wd24cd`. Where a file names more
than one edition, the latest is read.

Each geometry is a Polygon or a MultiPolygon, in longitude and latitude (WGS84, as the
portal's GeoJSON downloads are) or in British National Grid eastings and northings
(EPSG:27700, as a file converted from the shapefile may be). The two are told apart by
the first point's magnitude: longitude and latitude are never more than 180 and 90,
while eastings run 0 to 700,000 and northings 0 to 1,300,000, and the corner of the grid
where both would be small is open sea off the Isles of Scilly. Every later point must
be in the same system.

The portal's full-resolution boundaries are far more detailed than a map on a page can
show, so every ring (outer boundaries and holes alike, in the order the file gives
them) is simplified with the Douglas-Peucker method, to within about 20 metres by
default, and its coordinates rounded (to 6 decimal places of a degree, or a tenth of a
metre). A borough's wards then fit comfortably in a JSON field. Simplification never
leaves a ring with fewer than four points, the least a closed ring can have: the
original is kept instead.

The whole file is checked before anything is returned; the first problem raises
ImportFileError with a sentence saying what is wrong. A file that is not JSON names the
line and column where it breaks; a problem in one feature names the feature by its
position (feature 1 is the first) and its code, since GeoJSON has no lines to point at.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engage.core.tabular.errors import ImportFileError
from engage.places.loaders import AREA_CODE

Point = tuple[float, float]
Ring = list[Point]

SIZE_LIMIT = 500_000_000  # bytes; json.load holds all of it, several times over, in memory
DEFAULT_TOLERANCE = 20.0  # metres
_METRES_PER_DEGREE = 100_000  # near enough for simplifying: 20 metres is 0.0002 degrees
_PLACES = {False: 6, True: 1}  # decimal places kept, by projected
_EASTINGS = (0.0, 700_000.0)
_NORTHINGS = (0.0, 1_300_000.0)
_LONGITUDES = (-180.0, 180.0)
_LATITUDES = (-90.0, 90.0)

_DEMO_CODE = re.compile(r"DEMO-[A-Z0-9]{1,4}")
# kind -> the pattern of its code property, the year captured; the name's is the same with NM.
_CODE_PROPERTIES = {
    "ward": re.compile(r"wd(\d\d)cd"),
    "lsoa": re.compile(r"lsoa(\d\d)cd"),
}
_EXAMPLE_CODE = {"ward": "E05001234", "lsoa": "E01000001"}
_GEOMETRIES = ("Polygon", "MultiPolygon")
_LISTED_PROPERTIES = 20


@dataclass(frozen=True)
class BoundaryFeature:
    code: str
    name: str
    # Each ring a list of (x, y) points, simplified and closed (the last point is the
    # first again): outer boundaries and holes alike, in the file's order.
    rings: list[list[tuple[float, float]]]


@dataclass(frozen=True)
class BoundaryFile:
    kind: str  # "ward" or "lsoa"
    code_property: str  # as the file spells it, such as "WD24CD"
    name_property: str
    features: list[BoundaryFeature]
    projected: bool  # True for British National Grid eastings and northings


def _parse(path: Path, *, file_name: str, size_limit: int) -> Any:
    """The file's JSON, once it is known to be small enough and to be text."""
    size = path.stat().st_size
    if size > size_limit:
        raise ImportFileError(
            f"This file is {_size(size)}, more than the {_size(size_limit)} that can be read at once. "
            "Download the boundaries of your own area only: the Open Geography Portal can filter a "
            "layer to one local authority before you download it.",
            file_name=file_name,
        )
    with path.open("rb") as raw:
        if raw.read(4) == b"PK\x03\x04":
            raise ImportFileError(
                "This is a zip file, not GeoJSON (shapefiles are downloaded zipped). On the Open "
                "Geography Portal, download the layer as GeoJSON instead.",
                file_name=file_name,
            )
    try:
        with path.open(encoding="utf-8-sig") as text:
            return json.load(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"This is not valid JSON ({error.msg}), so it cannot be a GeoJSON boundaries file.",
            file_name=file_name,
            line=error.lineno,
            column=str(error.colno),
        ) from None
    except UnicodeDecodeError:
        raise ImportFileError(
            "This file is not UTF-8 text, as GeoJSON always is: it may be a shapefile or a "
            "spreadsheet. Download the boundaries as GeoJSON.",
            file_name=file_name,
        ) from None
    except RecursionError:
        raise ImportFileError(
            "This file's JSON is nested far too deeply to be a GeoJSON boundaries file.",
            file_name=file_name,
        ) from None


def _name_properties(names: list[str]) -> tuple[str, str, str] | None:
    """(kind, code property, name property), as the file spells them, from a feature's
    property names: the latest edition's where there are two; None if none names an area."""
    by_key = {name.casefold(): name for name in names}
    found: list[tuple[int, str, str, str]] = []
    for kind, pattern in _CODE_PROPERTIES.items():
        for key, name in by_key.items():
            match = pattern.fullmatch(key)
            name_key = key[:-2] + "nm"
            if match and name_key in by_key:
                found.append((int(match[1]), kind, name, by_key[name_key]))
    if not found:
        return None
    # Wards before LSOAs where a file somehow names both; then the latest year.
    _, kind, code_property, name_property = max(found, key=lambda f: (f[1] == "ward", f[0]))
    return kind, code_property, name_property


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:_LISTED_PROPERTIES])
    more = len(names) - _LISTED_PROPERTIES
    return f"{shown} and {more} more" if more > 0 else shown


def _in(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _is_lon_lat(x: float, y: float) -> bool:
    return _in(x, _LONGITUDES) and _in(y, _LATITUDES)


def _is_grid(x: float, y: float) -> bool:
    return _in(x, _EASTINGS) and _in(y, _NORTHINGS)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _shown(value: object) -> str:
    """A value from the file as a person would recognise it, cut short if long."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, float) and not math.isfinite(value):
        text = str(value)
    else:
        text = json.dumps(value, allow_nan=True)
    return text if len(text) <= 60 else f"{text[:57]}..."


def _coordinate(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _size(count: int) -> str:
    return f"{count / 1_000_000:,.0f} MB" if count >= 1_000_000 else f"{count:,} bytes"


def _polygons(geometry: object, *, label: str, file_name: str) -> list[list[list[object]]]:
    """The geometry's polygons, each a list of rings, each a list of (as yet unchecked) points."""
    if not isinstance(geometry, dict):
        raise ImportFileError(f"{label} has no geometry: every area needs its boundary.", file_name=file_name)
    kind = geometry.get("type")
    if kind not in _GEOMETRIES:
        raise ImportFileError(
            f"{label} is a {kind if isinstance(kind, str) and kind else 'geometry of no type'}: only "
            "Polygon and MultiPolygon boundaries can be drawn.",
            file_name=file_name,
        )
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons or not all(_is_polygon(p) for p in polygons):
        raise ImportFileError(
            f"{label}'s coordinates are not laid out as a {kind} (a list of rings, each a list of points).",
            file_name=file_name,
        )
    return polygons


def _is_polygon(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(ring, list) for ring in value)


class _Reading:
    """The state of one file's reading: which coordinate system its first point chose."""

    def __init__(self, file_name: str, tolerance: float | None) -> None:
        self.file_name = file_name
        self.tolerance_m = DEFAULT_TOLERANCE if tolerance is None else tolerance
        self.projected: bool | None = None

    def point(self, value: object, *, label: str) -> Point:
        if (
            not isinstance(value, list)
            or len(value) < 2
            or not (_is_number(value[0]) and _is_number(value[1]))
        ):
            raise ImportFileError(
                f"{label} has a point that is not a pair of numbers: {_shown(value)}.",
                file_name=self.file_name,
            )
        x, y = float(value[0]), float(value[1])
        if self.projected is None:
            if not (_is_lon_lat(x, y) or _is_grid(x, y)):
                raise self._outside(x, y, label=label)
            self.projected = not _is_lon_lat(x, y)
        fits = _is_grid(x, y) if self.projected else _is_lon_lat(x, y)
        if fits:
            return x, y
        if _is_grid(x, y) or _is_lon_lat(x, y):
            began, this = ("eastings and northings", "longitude and latitude")
            if not self.projected:
                began, this = this, began
            raise ImportFileError(
                f"{label} has the point ({_coordinate(x)}, {_coordinate(y)}) in {this}, but the file began in {began}: "
                "a boundaries file must use one coordinate system throughout.",
                file_name=self.file_name,
            )
        raise self._outside(x, y, label=label)

    def _outside(self, x: float, y: float, *, label: str) -> ImportFileError:
        return ImportFileError(
            f"{label} has the point ({_coordinate(x)}, {_coordinate(y)}), which is neither a longitude and latitude nor "
            "British National Grid eastings and northings (0 to 700,000 and 0 to 1,300,000).",
            file_name=self.file_name,
        )

    def ring(self, values: list[object], *, label: str) -> Ring:
        points = [self.point(value, label=label) for value in values]
        if points and points[0] != points[-1]:
            points.append(points[0])  # GeoJSON's rings are closed; close one that is not
        if len(points) < 4:
            raise ImportFileError(
                f"{label} has a ring of {len(values)} point{'s' if len(values) != 1 else ''}: a boundary "
                "needs at least three corners.",
                file_name=self.file_name,
            )
        return _simplified(points, tolerance=self._tolerance(), places=_PLACES[bool(self.projected)])

    def _tolerance(self) -> float:
        return self.tolerance_m if self.projected else self.tolerance_m / _METRES_PER_DEGREE

    def rings(self, geometry: object, *, label: str) -> list[Ring]:
        polygons = _polygons(geometry, label=label, file_name=self.file_name)
        return [self.ring(ring, label=label) for polygon in polygons for ring in polygon]


def _furthest(points: list[Point], first: int, last: int) -> tuple[float, int]:
    """(the squared distance, the index) of the point between `first` and `last` furthest
    from the segment joining them (from the point itself, where they are the same)."""
    (ax, ay), (bx, by) = points[first], points[last]
    dx, dy = bx - ax, by - ay
    length_squared = dx * dx + dy * dy
    furthest, index = -1.0, -1
    for i in range(first + 1, last):
        px, py = points[i]
        along = ((px - ax) * dx + (py - ay) * dy) / length_squared if length_squared else 0.0
        along = 0.0 if along < 0 else min(along, 1.0)
        ex, ey = px - ax - along * dx, py - ay - along * dy
        distance = ex * ex + ey * ey
        if distance > furthest:
            furthest, index = distance, i
    return furthest, index


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """The points of a line that are needed to stay within `tolerance` of it, ends kept.
    Iterative, so a ring of a hundred thousand points does not exhaust the stack. A
    closed ring works as it is: its first split is at the point furthest from its start."""
    if len(points) < 3 or tolerance <= 0:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        furthest, index = _furthest(points, first, last)
        if index >= 0 and furthest > limit:
            keep[index] = True
            spans += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _rounded(points: list[Point], places: int) -> list[Point]:
    return [(round(x, places), round(y, places)) for x, y in points]


def _simplified(ring: Ring, *, tolerance: float, places: int) -> Ring:
    """The ring simplified and rounded, repeated points dropped; the ring rounded but
    otherwise whole where that would leave fewer than four points."""
    simple: Ring = []
    for point in _rounded(douglas_peucker(ring, tolerance), places):
        if not simple or point != simple[-1]:
            simple.append(point)
    return simple if len(simple) >= 4 else _rounded(ring, places)


def _checked_code(value: object, *, kind: str, allow_demo_codes: bool, where: str, file_name: str) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if AREA_CODE.fullmatch(code) or (allow_demo_codes and _DEMO_CODE.fullmatch(code)):
        return code
    example = _EXAMPLE_CODE[kind]
    raise ImportFileError(
        f"{where} has the code {_shown(value)}, which is not an area code such as {example}."
        if value not in (None, "")
        else f"{where} has no code: it should have the area's code, such as {example}.",
        file_name=file_name,
    )


def _features(data: object, *, file_name: str) -> list[object]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        found = data.get("type") if isinstance(data, dict) else None
        said = f"its type is {found!r}" if isinstance(found, str) else "it has no GeoJSON type"
        raise ImportFileError(
            f"This is not a GeoJSON FeatureCollection: {said}. Download the boundaries layer from the "
            "Open Geography Portal as GeoJSON.",
            file_name=file_name,
        )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ImportFileError(
            "This FeatureCollection has no features, so there are no boundaries in it.", file_name=file_name
        )
    return features


def _properties(feature: object, *, position: int, file_name: str) -> dict[str, object]:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
        raise ImportFileError(
            f"Feature {position} is not a GeoJSON Feature (an object with properties and a geometry).",
            file_name=file_name,
        )
    properties: dict[str, object] = feature.get("properties") or {}
    return properties


def read_boundaries_file(
    path: Path,
    *,
    file_name: str,
    tolerance: float | None = None,
    size_limit: int = SIZE_LIMIT,
    allow_demo_codes: bool = False,
) -> BoundaryFile:
    """Every boundary in the file, checked and simplified; see the module's notes.

    `tolerance` is in metres whichever coordinates the file uses (20 unless given; 0
    keeps every point). `allow_demo_codes` also accepts the demo borough's invented
    codes, such as DEMO-W11, which no real file has."""
    if tolerance is not None and tolerance < 0:
        raise ValueError("The tolerance is a distance in metres, so it cannot be negative.")
    features = _features(_parse(path, file_name=file_name, size_limit=size_limit), file_name=file_name)
    first = list(_properties(features[0], position=1, file_name=file_name))
    named = _name_properties(first)
    if named is None:
        has = f"has the properties {_listed(first)}" if first else "has no properties"
        raise ImportFileError(
            f"The first feature {has}, none of which names a ward or an LSOA. A ward boundaries file "
            "has WD24CD and WD24NM (or another year's, such as WD23CD), an LSOA file LSOA21CD and "
            "LSOA21NM (or LSOA11CD and LSOA11NM).",
            file_name=file_name,
        )
    kind, code_property, name_property = named
    reading = _Reading(file_name, tolerance)
    read: list[BoundaryFeature] = []
    positions: dict[str, int] = {}
    for position, feature in enumerate(features, start=1):
        properties = _properties(feature, position=position, file_name=file_name)
        code = _checked_code(
            properties.get(code_property),
            kind=kind,
            allow_demo_codes=allow_demo_codes,
            where=f"Feature {position}",
            file_name=file_name,
        )
        label = f"Feature {position} ({code})"
        if code in positions:
            raise ImportFileError(
                f"{code} is in the file twice, as features {positions[code]} and {position}.",
                file_name=file_name,
            )
        positions[code] = position
        name = properties.get(name_property)
        if not isinstance(name, str) or not name.strip():
            raise ImportFileError(f"{label} has no name in {name_property}.", file_name=file_name)
        rings = reading.rings(feature.get("geometry") if isinstance(feature, dict) else None, label=label)
        read.append(BoundaryFeature(code=code, name=" ".join(name.split()), rings=rings))
    return BoundaryFile(
        kind=kind,
        code_property=code_property,
        name_property=name_property,
        features=read,
        projected=bool(reading.projected),
    )
