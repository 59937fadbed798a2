"""Drawing a choropleth of areas (wards, LSOAs) as SVG path data, in plain Python, so
a page can show a map of reach without a mapping library, tiles or a third-party host.

The shapes are the rings a boundaries file gave (loaders/boundaries.py), in longitude
and latitude or in British National Grid metres. Longitude and latitude are projected
equirectangularly, longitude scaled by the cosine of the latitude halfway up the map:
over a borough or a county that is indistinguishable from a proper projection. Grid
metres are already flat. The map is turned north up (SVG's y runs downwards), fitted to
the width asked for with a small margin all round, its height following from its
shape, and every coordinate rounded to a tenth of a unit, which is finer than a screen
can show.

Each area is labelled with its name, written across its largest ring at the ring's
centroid, in lines of whole words, where the name fits inside that ring's box at the
label size (a fiftieth of the width); an area too small for its name (most LSOAs) is
left unlabelled, its name in its tooltip and in the table beside the map.

Each area is one path, its rings as subpaths; draw it with fill-rule="evenodd" so that
holes (an enclave ward) show as holes whichever way the file wound its rings.

The values are shaded in bands of equal count (quantiles), so that each band holds
about as many areas as the next and the map shows where an area ranks, not only the
few highest. There are fewer bands where there are fewer distinct values. Where some
areas have a value of exactly 0 (and none below), they get a band of their own, the
lowest, labelled "None reached", because nobody at all is a different finding from few.
An area with no value (None, or not a number) has no band: the caller draws it as "no
figure", which is not the same as 0.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

Point = tuple[float, float]
MARGIN = 0.02  # of the width, on every side
_PLACES = 1


LABEL_SIZE = 1 / 50  # of the width
# A line of a label may take this much of its ring's width, the lines this much of its
# height; a character is taken to be this many times the size wide (Arial, lower case).
_LABEL_WIDTH, _LABEL_HEIGHT, _CHARACTER = 0.85, 0.7, 0.56
_LINE = 1.15  # the distance between lines, in sizes


@dataclass(frozen=True)
class Label:
    x: float  # the middle of each line
    y: float  # the first line's baseline
    lines: tuple[str, ...]
    size: float
    line_height: float


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    path: str  # SVG path data, one subpath "M...Z" a ring
    value: float | None
    band: int | None  # 0 to len(bands) - 1; None for no value
    label: Label | None = None  # None where the name does not fit


@dataclass(frozen=True)
class Band:
    low: float  # the least value in the band
    high: float  # the greatest
    label: str  # such as "10 to 19.9 per 1,000"


@dataclass(frozen=True)
class MapDrawing:
    view_box: str  # "0 0 600 412.5"
    areas: list[MapArea]
    bands: list[Band]


def _number(value: float, places: int = _PLACES) -> str:
    """A number as briefly as it can be written to `places` decimal places: 12, 12.5, 1,250."""
    text = f"{value:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _coordinate(value: float) -> str:
    return _number(value).replace(",", "")


def _flat(shapes: Mapping[str, list[list[Point]]], *, projected: bool) -> dict[str, list[list[Point]]]:
    """Every shape on a flat plane, north still up (y grows northwards)."""
    if projected:
        return {code: [list(ring) for ring in rings] for code, rings in shapes.items()}
    latitudes = [y for rings in shapes.values() for ring in rings for _, y in ring]
    if not latitudes:
        return {code: [[] for _ in rings] for code, rings in shapes.items()}
    scale = math.cos(math.radians((min(latitudes) + max(latitudes)) / 2))
    return {code: [[(x * scale, y) for x, y in ring] for ring in rings] for code, rings in shapes.items()}


def _subpath(ring: list[Point]) -> str:
    """One ring as "M x,y L x,y ... Z", its closing point left to Z, repeats dropped."""
    drawn: list[str] = []
    for x, y in ring:
        point = f"{_coordinate(x)},{_coordinate(y)}"
        if not drawn or point != drawn[-1]:
            drawn.append(point)
    if len(drawn) > 1 and drawn[-1] == drawn[0]:
        drawn.pop()
    return f"M{'L'.join(drawn)}Z" if drawn else ""


def _ring_area(ring: list[Point]) -> float:
    """Twice the signed area (the shoelace formula)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))


def _centroid(ring: list[Point]) -> Point:
    twice = _ring_area(ring)
    if twice == 0:
        return sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (3 * twice), cy / (3 * twice)


def _lines(words: list[str], room: float, character: float) -> tuple[str, ...] | None:
    """The words in lines no wider than `room`, each line as many as fit; None when a
    word alone is wider."""
    lines: list[str] = []
    for word in words:
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and len(joined) * character <= room:
            lines[-1] = joined
        elif len(word) * character <= room:
            lines.append(word)
        else:
            return None
    return tuple(lines)


def _label(name: str, rings: list[list[Point]], size: float) -> Label | None:
    """The name across the largest ring, if it fits in that ring's box."""
    rings = [ring for ring in rings if len(ring) >= 3]
    if not rings:
        return None
    ring = max(rings, key=lambda r: abs(_ring_area(r)))
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    lines = _lines(name.split(), _LABEL_WIDTH * (max(xs) - min(xs)), _CHARACTER * size)
    if not lines or len(lines) * size * _LINE > _LABEL_HEIGHT * (max(ys) - min(ys)):
        return None
    x, y = _centroid(ring)
    line_height = size * _LINE
    first = y - (len(lines) - 1) * line_height / 2 + size * 0.35  # the lines' middle on the centroid
    return Label(
        x=round(x, _PLACES),
        y=round(first, _PLACES),
        lines=lines,
        size=round(size, _PLACES),
        line_height=round(line_height, _PLACES),
    )


def _value(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _lows(ordered: list[float], count: int) -> list[float]:
    """The least value of each band when `ordered` is cut into `count` of equal count;
    fewer where values repeat across a cut."""
    count = min(count, len(ordered))
    lows = [ordered[0]]
    for band in range(1, count):
        low = ordered[band * len(ordered) // count]
        if low > lows[-1]:
            lows.append(low)
    return lows


def _labels(ranges: list[tuple[float, float]], unit: str) -> list[str]:
    """ "10 to 19.9 per 1,000", with as many decimal places (one at least) as it takes to
    tell each band's ends from its neighbours'."""
    places = _PLACES
    while places < 6:
        ends = [end for low, high in ranges for end in (low, high)]
        written = [_number(end, places) for end in ends]
        clashes = any(
            written[i] == written[i + 1] and ends[i] != ends[i + 1] for i in range(len(written) - 1)
        )
        if not clashes:
            break
        places += 1
    suffix = f" {unit}" if unit else ""
    return [
        f"{_number(low, places)}{suffix}"
        if low == high
        else f"{_number(low, places)} to {_number(high, places)}{suffix}"
        for low, high in ranges
    ]


def banded(
    values: list[float], *, bands: int = 5, unit: str = "per 1,000", zero_label: str = "None reached"
) -> tuple[list[Band], list[int]]:
    """The bands of `values` (none of them None) and the band of each; see the module's notes."""
    if not values:
        return [], []
    ordered = sorted(values)
    zeros = ordered[0] == 0 and bands > 1
    positive = [value for value in ordered if value != 0] if zeros else ordered
    lows = _lows(positive, bands - 1 if zeros else bands) if positive else []

    def band_of(value: float) -> int:
        if zeros and value == 0:
            return 0
        return bisect_right(lows, value) - 1 + zeros

    of = [band_of(value) for value in values]
    ranges: list[tuple[float, float]] = []
    for band in range(len(lows) + zeros):
        members = [value for value, b in zip(values, of, strict=True) if b == band]
        ranges.append((min(members), max(members)))
    labels = _labels(ranges, unit)
    if zeros:
        labels[0] = zero_label
    return [Band(low, high, label) for (low, high), label in zip(ranges, labels, strict=True)], of


def draw_map(
    shapes: Mapping[str, list[list[tuple[float, float]]]],
    *,
    names: Mapping[str, str],
    values: Mapping[str, float | None],
    projected: bool,
    width: float = 600,
    bands: int = 5,
    unit: str = "per 1,000",
    zero_label: str = "None reached",
) -> MapDrawing:
    """Each area of `shapes` (code -> rings) as a path, in the order given, with its value
    and band; see the module's notes. An area missing from `names` is called by its code,
    one missing from `values` has no value; values for areas not in `shapes` are left
    out, of the bands too. Nothing to draw gives a drawing with no areas and no bands."""
    if width <= 0:
        raise ValueError("A map must be some width wide.")
    if bands < 1:
        raise ValueError("A map needs at least one band.")
    flat = _flat(shapes, projected=projected)
    xs = [x for rings in flat.values() for ring in rings for x, _ in ring]
    ys = [y for rings in flat.values() for ring in rings for _, y in ring]
    margin = width * MARGIN
    if xs:
        left, top = min(xs), max(ys)
        span = max(xs) - left or max(ys) - min(ys) or 1.0
        scale = (width - 2 * margin) / span
        height = (top - min(ys)) * scale + 2 * margin
    else:
        left = top = scale = 0.0
        height = 0.0

    def on_page(point: Point) -> Point:
        return margin + (point[0] - left) * scale, margin + (top - point[1]) * scale

    codes = list(shapes)
    area_values = {code: _value(values.get(code)) for code in codes}
    known = {code: value for code in codes if (value := area_values[code]) is not None}
    legend, of = banded(list(known.values()), bands=bands, unit=unit, zero_label=zero_label)
    band_of = dict(zip(known, of, strict=True))
    areas = []
    for code in codes:
        rings = [[on_page(point) for point in ring] for ring in flat[code]]
        areas.append(
            MapArea(
                code=code,
                name=names.get(code, code),
                path="".join(_subpath(ring) for ring in rings),
                value=area_values[code],
                band=band_of.get(code),
                label=_label(names.get(code, code), rings, width * LABEL_SIZE),
            )
        )
    return MapDrawing(view_box=f"0 0 {_coordinate(width)} {_coordinate(height)}", areas=areas, bands=legend)
