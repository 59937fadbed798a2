"""An illustrative boundaries file for Castlebridge, the invented demo borough, so that
the demo can show reach on a map without any real boundaries.

The shapes are invented and must never pass for real boundaries: every ward is a
regular hexagon about two kilometres across, and the codes start DEMO, not E05, so the
file is refused by the boundaries loader unless demo codes are allowed. The hexagons sit
on a honeycomb, each locality's wards together in a cluster (a centre cell and the cells
round it), and the clusters fit together like a larger honeycomb, the first locality's
in the middle, so that a locality's wards are visibly its own and the borough is
roughly round. It is laid out in longitude and latitude around 52.5N, 2.1W (the Black
Country), in the ONS's GeoJSON shape: a FeatureCollection whose features have the
properties WD24CD and WD24NM (and LOCALITY, which the ONS's files do not have).
"""

from __future__ import annotations

import math
from typing import Any

from engage.demo.areas import LOCALITIES, ward_code

CENTRE = (-2.1, 52.5)  # longitude, latitude
HEXAGON_RADIUS_M = 1_100  # centre to corner
_METRES_PER_DEGREE_LATITUDE = 111_320
# A cluster: a centre cell and the six round it, in axial coordinates (q, r).
_CLUSTER = ((0, 0), (1, 0), (0, 1), (-1, 1), (-1, 0), (0, -1), (1, -1))
# Steps between cluster centres: clusters of seven cells tile the honeycomb on these.
_CLUSTER_STEPS = ((2, 1), (-1, 3))


def _centre_m(q: float, r: float) -> tuple[float, float]:
    """A cell's centre in metres east and north of the honeycomb's origin (pointy-topped)."""
    return HEXAGON_RADIUS_M * math.sqrt(3) * (q + r / 2), HEXAGON_RADIUS_M * 1.5 * r


def _from_middle(q: float, r: float) -> tuple[float, float]:
    """How far a cell is from the middle of the map, then its bearing, to break ties the
    same way every time."""
    east, north = _centre_m(q, r)
    return round(math.hypot(east, north), 3), round(math.atan2(north, east), 6)


def _cells() -> list[tuple[int, int, int, int]]:
    """(locality index, ward index, q, r) for every ward: the clusters nearest the middle,
    one a locality, and in each the cells nearest the middle, so the borough is compact."""
    (aq, ar), (bq, br) = _CLUSTER_STEPS
    spread = len(LOCALITIES)
    centres = sorted(
        (
            (i * aq + j * bq, i * ar + j * br)
            for i in range(-spread, spread + 1)
            for j in range(-spread, spread + 1)
        ),
        key=lambda cell: _from_middle(*cell),
    )
    cells: list[tuple[int, int, int, int]] = []
    for locality_index, (locality, (centre_q, centre_r)) in enumerate(zip(LOCALITIES, centres, strict=False)):
        if len(locality.wards) > len(_CLUSTER):
            raise ValueError(f"{locality.name} has more wards than a cluster has cells.")
        nearest = sorted(
            ((centre_q + q, centre_r + r) for q, r in _CLUSTER), key=lambda cell: _from_middle(*cell)
        )
        for ward_index, (q, r) in enumerate(nearest[: len(locality.wards)]):
            cells.append((locality_index, ward_index, q, r))
    return cells


def _ring(east: float, north: float, origin: tuple[float, float]) -> list[list[float]]:
    """A hexagon round a centre, in longitude and latitude, anticlockwise and closed."""
    longitude, latitude = CENTRE
    per_degree_east = _METRES_PER_DEGREE_LATITUDE * math.cos(math.radians(latitude))
    corners = []
    for corner in (*range(6), 0):
        angle = math.radians(30 + 60 * corner)
        x = east - origin[0] + HEXAGON_RADIUS_M * math.cos(angle)
        y = north - origin[1] + HEXAGON_RADIUS_M * math.sin(angle)
        corners.append(
            [
                round(longitude + x / per_degree_east, 6),
                round(latitude + y / _METRES_PER_DEGREE_LATITUDE, 6),
            ]
        )
    return corners


def illustrative_wards_geojson() -> dict[str, Any]:
    """A GeoJSON FeatureCollection of one invented hexagon for each demo ward."""
    cells = _cells()
    centres = [_centre_m(q, r) for _, _, q, r in cells]
    origin = (
        sum(east for east, _ in centres) / len(centres),
        sum(north for _, north in centres) / len(centres),
    )
    features = [
        {
            "type": "Feature",
            "properties": {
                "WD24CD": ward_code(locality_index, ward_index),
                "WD24NM": LOCALITIES[locality_index].wards[ward_index],
                "LOCALITY": LOCALITIES[locality_index].name,
            },
            "geometry": {"type": "Polygon", "coordinates": [_ring(east, north, origin)]},
        }
        for (locality_index, ward_index, _, _), (east, north) in zip(cells, centres, strict=True)
    ]
    return {
        "type": "FeatureCollection",
        "name": "Castlebridge wards (illustrative: invented shapes, not real boundaries)",
        "features": features,
    }
