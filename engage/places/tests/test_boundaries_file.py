"""Reading ONS boundaries in GeoJSON: wards and LSOAs of any year, property names in any
case, longitude and latitude or British National Grid, MultiPolygons with holes, rings
simplified without losing their shape or falling below four points, and every kind of
bad file refused with a sentence saying what and where. Also the demo borough's invented
hexagons, which read back only when demo codes are allowed."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import pytest

from engage.core.tabular.errors import ImportFileError
from engage.demo.areas import LOCALITIES, ward_code
from engage.demo.boundaries import illustrative_wards_geojson
from engage.places.loaders.boundaries import BoundaryFile, douglas_peucker, read_boundaries_file

Points = list[tuple[float, float]]


def square(x: float, y: float, size: float) -> list[list[float]]:
    """A closed square ring, anticlockwise, its south-west corner at (x, y)."""
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def polygon(*rings: object) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def feature(
    code: str,
    name: str,
    geometry: object,
    *,
    code_key: str = "WD24CD",
    name_key: str = "WD24NM",
) -> dict[str, Any]:
    properties = {"FID": 1, code_key: code, name_key: name, "WD24NMW": " ", "GlobalID": "{A1}"}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: object) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "name": "Wards_December_2024_Boundaries_UK_BGC",
        "features": list(features),
    }


# Two wards of Dudley, in longitude and latitude (as the portal's GeoJSON is) and in
# eastings and northings.
LON_LAT = collection(
    feature("E05001234", "Castle and Priory", polygon(square(-2.09, 52.51, 0.01))),
    feature("E05001235", "St James's", polygon(square(-2.08, 52.51, 0.01))),
)
GRID = collection(
    feature("E05001234", "Castle and Priory", polygon(square(394_000, 290_000, 1_000))),
    feature("E05001235", "St James's", polygon(square(395_000, 290_000, 1_000))),
)


def write(tmp_path: Path, data: object, name: str = "wards.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def read(tmp_path: Path, data: object, **options: Any) -> BoundaryFile:
    return read_boundaries_file(write(tmp_path, data), file_name="wards.geojson", **options)


def refused(tmp_path: Path, data: object, **options: Any) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        read(tmp_path, data, **options)
    assert caught.value.file_name == "wards.geojson"
    assert str(caught.value).startswith("wards.geojson")
    return caught.value


def test_a_ward_file_in_longitude_and_latitude_is_read(tmp_path):
    boundaries = read(tmp_path, LON_LAT)
    assert (boundaries.kind, boundaries.code_property, boundaries.name_property) == (
        "ward",
        "WD24CD",
        "WD24NM",
    )
    assert boundaries.projected is False
    assert [(f.code, f.name) for f in boundaries.features] == [
        ("E05001234", "Castle and Priory"),
        ("E05001235", "St James's"),
    ]
    (ring,) = boundaries.features[0].rings
    assert ring == [(-2.09, 52.51), (-2.08, 52.51), (-2.08, 52.52), (-2.09, 52.52), (-2.09, 52.51)]


def test_a_ward_file_in_british_national_grid_is_read_as_projected(tmp_path):
    boundaries = read(tmp_path, GRID)
    assert boundaries.projected is True
    assert boundaries.features[1].rings == [
        [(395_000, 290_000), (396_000, 290_000), (396_000, 291_000), (395_000, 291_000), (395_000, 290_000)]
    ]


def test_coordinates_are_rounded_to_a_micro_degree_or_a_tenth_of_a_metre(tmp_path):
    ring = [[-2.0912345678, 52.5098765432], [-2.08, 52.51], [-2.08, 52.52], [-2.09, 52.52]]
    boundaries = read(tmp_path, collection(feature("E05001234", "Foundry", polygon(ring))), tolerance=0)
    assert boundaries.features[0].rings[0][0] == (-2.091235, 52.509877)
    grid = [[394_000.123, 290_000.987], [395_000, 290_000], [395_000, 291_000], [394_000, 291_000]]
    boundaries = read(tmp_path, collection(feature("E05001234", "Foundry", polygon(grid))), tolerance=0)
    assert boundaries.features[0].rings[0][0] == (394_000.1, 290_001.0)
    # The open ring is closed, as GeoJSON's rings are.
    assert boundaries.features[0].rings[0][-1] == boundaries.features[0].rings[0][0]


@pytest.mark.parametrize(
    ("code_key", "name_key", "code", "kind"),
    [
        ("wd24cd", "wd24nm", "E05001234", "ward"),
        ("WD19CD", "WD19NM", "W05000981", "ward"),
        ("LSOA21CD", "LSOA21NM", "E01009391", "lsoa"),
        ("LSOA11CD", "LSOA11NM", "E01009391", "lsoa"),
        ("lsoa21cd", "Lsoa21Nm", "E01009391", "lsoa"),
    ],
)
def test_wards_and_lsoas_of_any_year_are_found_whatever_the_case(tmp_path, code_key, name_key, code, kind):
    data = collection(
        feature(
            code, "Dudley 001A", polygon(square(-2.09, 52.51, 0.01)), code_key=code_key, name_key=name_key
        )
    )
    boundaries = read(tmp_path, data)
    assert (boundaries.kind, boundaries.code_property, boundaries.name_property) == (kind, code_key, name_key)
    assert boundaries.features[0].code == code


def test_the_latest_edition_is_read_where_a_file_names_two(tmp_path):
    two = feature("E05001234", "Castle and Priory", polygon(square(-2.09, 52.51, 0.01)))
    two["properties"] |= {"WD23CD": "E05000001", "WD23NM": "Old Castle"}
    boundaries = read(tmp_path, collection(two))
    assert boundaries.code_property == "WD24CD"
    assert boundaries.features[0].name == "Castle and Priory"


def test_a_multipolygon_keeps_every_part_and_its_holes_in_order(tmp_path):
    outer, hole, island = square(0, 0, 3), square(1, 1, 1)[::-1], square(10, 10, 1)
    # In grid metres, so that the metre-sized squares are kept as they are.
    grid = [[[x * 1_000 + 300_000, y * 1_000 + 200_000] for x, y in ring] for ring in (outer, hole, island)]
    geometry = {"type": "MultiPolygon", "coordinates": [[grid[0], grid[1]], [grid[2]]]}
    boundaries = read(tmp_path, collection(feature("E05001234", "Castle and Priory", geometry)))
    rings = boundaries.features[0].rings
    assert len(rings) == 3
    assert [len(ring) for ring in rings] == [5, 5, 5]
    assert rings[1][0] == (300_000 + 1_000, 200_000 + 1_000)
    assert rings[2][0] == (310_000, 210_000)


def _distance_to_outline(point: tuple[float, float], outline: Points) -> float:
    best = math.inf
    for (ax, ay), (bx, by) in itertools.pairwise(outline):
        dx, dy = bx - ax, by - ay
        along = max(0.0, min(1.0, ((point[0] - ax) * dx + (point[1] - ay) * dy) / (dx * dx + dy * dy or 1)))
        best = min(best, math.hypot(point[0] - ax - along * dx, point[1] - ay - along * dy))
    return best


def test_simplifying_drops_points_but_keeps_the_shape_within_the_tolerance(tmp_path):
    # A circle of 2 km radius drawn with 2,000 points, each nudged up to 5 metres in or out.
    centre, radius = (394_000.0, 290_000.0), 2_000.0
    ring = [
        [
            centre[0] + (radius + 5 * math.sin(i * 7.3)) * math.cos(2 * math.pi * i / 2_000),
            centre[1] + (radius + 5 * math.sin(i * 7.3)) * math.sin(2 * math.pi * i / 2_000),
        ]
        for i in range(2_000)
    ]
    ring.append(ring[0])
    boundaries = read(tmp_path, collection(feature("E05001234", "Castle and Priory", polygon(ring))))
    (simple,) = boundaries.features[0].rings
    assert 8 < len(simple) < 200
    assert simple[0] == simple[-1]
    # Every original point is within the 20 metres (and the rounding) of the simplified ring.
    assert max(_distance_to_outline((x, y), simple) for x, y in ring) <= 20.1
    # A tighter tolerance keeps more; none keeps everything.
    finer = read(tmp_path, collection(feature("E05001234", "Castle and Priory", polygon(ring))), tolerance=2)
    assert len(finer.features[0].rings[0]) > len(simple)
    whole = read(tmp_path, collection(feature("E05001234", "Castle and Priory", polygon(ring))), tolerance=0)
    assert len(whole.features[0].rings[0]) == len(ring)


def test_the_tolerance_is_in_metres_for_longitude_and_latitude_too(tmp_path):
    # A square 0.01 degrees across with a bump of 0.0001 degrees (about 10 metres) on
    # one side: gone at 20 metres, kept at 5.
    bumped = [
        [-2.09, 52.51],
        [-2.085, 52.5099],
        [-2.08, 52.51],
        [-2.08, 52.52],
        [-2.09, 52.52],
        [-2.09, 52.51],
    ]
    data = collection(feature("E05001234", "Castle and Priory", polygon(bumped)))
    assert len(read(tmp_path, data).features[0].rings[0]) == 5
    assert len(read(tmp_path, data, tolerance=5).features[0].rings[0]) == 6


def test_a_ring_smaller_than_the_tolerance_keeps_at_least_four_points(tmp_path):
    tiny = square(394_000, 290_000, 3)  # 3 metres across: all of it within 20 metres
    boundaries = read(tmp_path, collection(feature("E05001234", "Castle and Priory", polygon(tiny))))
    assert boundaries.features[0].rings == [[(x, y) for x, y in tiny]]


def test_douglas_peucker_keeps_the_ends_and_the_corners():
    line = [(0.0, 0.0), (1.0, 0.1), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]
    assert douglas_peucker(line, 0.5) == [(0.0, 0.0), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]
    assert douglas_peucker(line, 0) == line
    assert douglas_peucker(line[:2], 10) == line[:2]
    # A long straight run is one segment, however many points it had, and no stack is exhausted.
    straight = [(float(i), 0.0) for i in range(50_000)]
    assert douglas_peucker(straight, 0.1) == [(0.0, 0.0), (49_999.0, 0.0)]


def test_a_negative_tolerance_is_a_mistake_in_the_caller(tmp_path):
    with pytest.raises(ValueError, match="cannot be negative"):
        read(tmp_path, LON_LAT, tolerance=-1)


# The bad files ---------------------------------------------------------------------------


def test_a_file_that_is_not_json_names_the_line_and_column(tmp_path):
    path = tmp_path / "wards.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [}', encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read_boundaries_file(path, file_name="wards.geojson")
    assert caught.value.line == 2
    assert caught.value.column == "15"
    assert "This is not valid JSON (Expecting value)" in caught.value.reason
    assert str(caught.value).startswith("wards.geojson (line 2, column '15'): ")


def test_an_empty_file_is_not_json(tmp_path):
    path = tmp_path / "wards.geojson"
    path.write_bytes(b"")
    with pytest.raises(ImportFileError, match="not valid JSON") as caught:
        read_boundaries_file(path, file_name="wards.geojson")
    assert (caught.value.line, caught.value.column) == (1, "1")


def test_a_zipped_shapefile_or_a_file_that_is_not_text_is_refused(tmp_path):
    zipped = tmp_path / "wards.zip"
    zipped.write_bytes(b"PK\x03\x04\x14\x00\x00\x00rest of a zip")
    with pytest.raises(ImportFileError, match="This is a zip file, not GeoJSON"):
        read_boundaries_file(zipped, file_name="wards.zip")
    binary = tmp_path / "wards.shp"
    binary.write_bytes(b"\x00\x00\x27\x0a\xff\xfe\xfd")
    with pytest.raises(ImportFileError, match="not UTF-8 text"):
        read_boundaries_file(binary, file_name="wards.shp")


def test_a_byte_order_mark_is_passed_over(tmp_path):
    path = tmp_path / "wards.geojson"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(LON_LAT).encode())
    assert len(read_boundaries_file(path, file_name="wards.geojson").features) == 2


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    error = refused(tmp_path, LON_LAT, size_limit=100)
    assert "more than the 100 bytes that can be read at once" in error.reason
    assert "filter a layer to one local authority" in error.reason
    path = tmp_path / "big.geojson"
    with path.open("wb") as big:
        big.truncate(2_500_000)
    with pytest.raises(ImportFileError, match=r"This file is 2 MB, more than the 1 MB"):
        read_boundaries_file(path, file_name="big.geojson", size_limit=1_000_000)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (LON_LAT["features"][0], "This is not a GeoJSON FeatureCollection: its type is 'Feature'."),
        ([1, 2, 3], "This is not a GeoJSON FeatureCollection: it has no GeoJSON type."),
        ({"type": "Topology", "objects": {}}, "its type is 'Topology'"),
        ({"type": "FeatureCollection", "features": []}, "This FeatureCollection has no features"),
        ({"type": "FeatureCollection"}, "This FeatureCollection has no features"),
    ],
)
def test_a_file_that_is_not_a_collection_of_features_is_refused(tmp_path, data, message):
    error = refused(tmp_path, data)
    assert message in error.reason
    assert error.line is None


def test_a_file_naming_no_ward_or_lsoa_says_what_it_found_and_what_it_expects(tmp_path):
    districts = {
        "type": "Feature",
        "properties": {"OBJECTID": 1, "LAD24CD": "E08000027", "LAD24NM": "Dudley"},
        "geometry": polygon(square(-2.09, 52.51, 0.01)),
    }
    error = refused(tmp_path, collection(districts))
    assert error.reason == (
        "The first feature has the properties OBJECTID, LAD24CD, LAD24NM, none of which names a ward or "
        "an LSOA. A ward boundaries file has WD24CD and WD24NM (or another year's, such as WD23CD), an "
        "LSOA file LSOA21CD and LSOA21NM (or LSOA11CD and LSOA11NM)."
    )
    code_only = {"type": "Feature", "properties": {"WD24CD": "E05001234"}, "geometry": None}
    assert "has the properties WD24CD, none of which" in refused(tmp_path, collection(code_only)).reason
    bare = {"type": "Feature", "properties": None, "geometry": None}
    assert "The first feature has no properties, none of which" in refused(tmp_path, collection(bare)).reason


def _second(geometry: object, **changes: Any) -> dict[str, Any]:
    """LON_LAT with its second feature's geometry (and properties) changed."""
    second = feature("E05001235", "St James's", geometry)
    second["properties"] |= changes
    return collection(LON_LAT["features"][0], second)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_second(None), "Feature 2 (E05001235) has no geometry: every area needs its boundary."),
        (
            _second({"type": "Point", "coordinates": [-2.08, 52.51]}),
            "Feature 2 (E05001235) is a Point: only Polygon and MultiPolygon boundaries can be drawn.",
        ),
        (
            _second({"type": "GeometryCollection", "geometries": []}),
            "Feature 2 (E05001235) is a GeometryCollection: only Polygon and MultiPolygon",
        ),
        (
            _second({"coordinates": [[[-2.08, 52.51]]]}),
            "Feature 2 (E05001235) is a geometry of no type: only Polygon and MultiPolygon",
        ),
        (
            _second({"type": "Polygon", "coordinates": []}),
            (
                "Feature 2 (E05001235)'s coordinates are not laid out as a Polygon (a list of rings, each a "
                "list of points)."
            ),
        ),
        (
            _second({"type": "MultiPolygon", "coordinates": [[-2.08, 52.51]]}),
            "Feature 2 (E05001235)'s coordinates are not laid out as a MultiPolygon",
        ),
        (
            _second(polygon([[-2.08, 52.51], [-2.07, 52.51]])),
            "Feature 2 (E05001235) has a ring of 2 points: a boundary needs at least three corners.",
        ),
        (
            _second(polygon([[-2.08, 52.51], ["-2.07", 52.51], [-2.07, 52.52], [-2.08, 52.51]])),
            'Feature 2 (E05001235) has a point that is not a pair of numbers: ["-2.07", 52.51].',
        ),
        (
            _second(polygon([[-2.08, 52.51], [-2.07], [-2.07, 52.52], [-2.08, 52.51]])),
            "has a point that is not a pair of numbers: [-2.07].",
        ),
        (
            _second(polygon([[-2.08, 52.51], [True, 52.51], [-2.07, 52.52], [-2.08, 52.51]])),
            "has a point that is not a pair of numbers: [true, 52.51].",
        ),
        (
            _second(polygon([[-2.08, 52.51], [float("nan"), 52.51], [-2.07, 52.52], [-2.08, 52.51]])),
            "has a point that is not a pair of numbers: [NaN, 52.51].",
        ),
        (
            _second(polygon([[-2.08, 52.51], [800_000, 99], [-2.07, 52.52], [-2.08, 52.51]])),
            (
                "Feature 2 (E05001235) has the point (800000, 99), which is neither a longitude and latitude "
                "nor British National Grid eastings and northings (0 to 700,000 and 0 to 1,300,000)."
            ),
        ),
        (
            _second(polygon(square(394_000, 290_000, 1_000))),
            (
                "Feature 2 (E05001235) has the point (394000, 290000) in eastings and northings, but the file "
                "began in longitude and latitude: a boundaries file must use one coordinate system throughout."
            ),
        ),
        (
            _second(polygon(square(-2.08, 52.51, 0.01)), WD24NM=" "),
            "Feature 2 (E05001235) has no name in WD24NM.",
        ),
        (
            _second(polygon(square(-2.08, 52.51, 0.01)), WD24CD="X05000001"),
            "Feature 2 has the code 'X05000001', which is not an area code such as E05001234.",
        ),
        (
            _second(polygon(square(-2.08, 52.51, 0.01)), WD24CD="DEMO-W11"),
            "Feature 2 has the code 'DEMO-W11', which is not an area code such as E05001234.",
        ),
        (
            _second(polygon(square(-2.08, 52.51, 0.01)), WD24CD=5001234),
            "Feature 2 has the code 5001234, which is not an area code such as E05001234.",
        ),
        (
            _second(polygon(square(-2.08, 52.51, 0.01)), WD24CD=""),
            "Feature 2 has no code: it should have the area's code, such as E05001234.",
        ),
        (
            _second(polygon(square(-2.08, 52.51, 0.01)), WD24CD=" e05001234 "),
            "E05001234 is in the file twice, as features 1 and 2.",
        ),
    ],
)
def test_a_bad_feature_is_named_by_its_position_and_code(tmp_path, data, message):
    error = refused(tmp_path, data)
    assert message in error.reason
    assert error.line is None


def test_a_first_point_outside_both_systems_is_refused(tmp_path):
    data = collection(feature("E05001234", "Foundry", polygon(square(-200, 52.51, 0.01))))
    assert (
        "Feature 1 (E05001234) has the point (-200, 52.51), which is neither"
        in refused(tmp_path, data).reason
    )
    data = collection(
        feature("E05001234", "Foundry", polygon(square(394_000, 290_000, 1_000))), LON_LAT["features"][1]
    )
    assert (
        "(-2.08, 52.51) in longitude and latitude, but the file began in eastings"
        in refused(tmp_path, data).reason
    )


def test_a_feature_that_is_not_an_object_is_refused(tmp_path):
    error = refused(tmp_path, collection(LON_LAT["features"][0], [1, 2]))
    assert error.reason == "Feature 2 is not a GeoJSON Feature (an object with properties and a geometry)."


def test_an_lsoa_code_is_given_an_lsoa_code_for_an_example(tmp_path):
    data = collection(
        feature(
            "E0100001",
            "Dudley 001A",
            polygon(square(-2.09, 52.51, 0.01)),
            code_key="LSOA21CD",
            name_key="LSOA21NM",
        )
    )
    assert "such as E01000001" in refused(tmp_path, data).reason


# The demo borough's invented wards ------------------------------------------------------


def test_the_demo_wards_read_back_one_feature_a_ward_when_demo_codes_are_allowed(tmp_path):
    data = illustrative_wards_geojson()
    boundaries = read(tmp_path, data, allow_demo_codes=True)
    expected = {
        ward_code(locality_index, ward_index): ward
        for locality_index, locality in enumerate(LOCALITIES)
        for ward_index, ward in enumerate(locality.wards)
    }
    assert {f.code: f.name for f in boundaries.features} == expected
    assert len(boundaries.features) == len(expected)
    assert (boundaries.kind, boundaries.code_property, boundaries.projected) == ("ward", "WD24CD", False)
    # Hexagons, whole, round 52.5N 2.1W.
    assert all(len(f.rings) == 1 and len(f.rings[0]) == 7 for f in boundaries.features)
    points = [point for f in boundaries.features for point in f.rings[0]]
    assert -2.3 < min(x for x, _ in points) < max(x for x, _ in points) < -1.9
    assert 52.35 < min(y for _, y in points) < max(y for _, y in points) < 52.65
    # Without leave, the invented codes are refused: they must never pass for real ones.
    assert "Feature 1 has the code 'DEMO-W11', which is not an area code" in refused(tmp_path, data).reason


def test_each_demo_localitys_wards_sit_together(tmp_path):
    boundaries = read(tmp_path, illustrative_wards_geojson(), allow_demo_codes=True)
    corners = {f.code: {(round(x, 4), round(y, 4)) for x, y in f.rings[0]} for f in boundaries.features}
    for locality_index, locality in enumerate(LOCALITIES):
        codes = [ward_code(locality_index, ward_index) for ward_index in range(len(locality.wards))]
        # Every ward shares a corner with another of its locality's, and they are all joined up.
        joined, waiting = {codes[0]}, set(codes[1:])
        while waiting:
            touching = {code for code in waiting if any(corners[code] & corners[j] for j in joined)}
            assert touching, f"{locality.name}'s wards are not all together"
            joined |= touching
            waiting -= touching
