"""Drawing a choropleth as SVG path data: every point inside the viewBox, north up, the
shape kept (longitude narrowed by the latitude), holes as subpaths, bands of equal count
labelled in words, no figure kept apart from zero, and nothing to draw drawn as nothing."""

from __future__ import annotations

import math
import re

import pytest

from engage.reach.ward_map import Band, MapDrawing, banded, draw_map

SUBPATH = re.compile(r"M-?[\d.]+,-?[\d.]+(?:L-?[\d.]+,-?[\d.]+)*Z")


def square(x: float, y: float, size: float) -> list[tuple[float, float]]:
    return [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]


def points(path: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", path)]


def box(drawing: MapDrawing) -> tuple[float, float]:
    left, top, width, height = (float(n) for n in drawing.view_box.split())
    assert (left, top) == (0, 0)
    return width, height


# Three wards in grid metres: two side by side, one north of the first.
GRID = {
    "E05000001": [square(390_000, 290_000, 1_000)],
    "E05000002": [square(391_000, 290_000, 1_000)],
    "E05000003": [square(390_000, 291_000, 1_000)],
}
NAMES = {"E05000001": "Foundry", "E05000002": "Tanhouse", "E05000003": "Castle and Priory"}


def test_every_point_is_inside_the_view_box_and_the_width_is_as_asked():
    drawing = draw_map(GRID, names=NAMES, values={}, projected=True, width=600)
    width, height = box(drawing)
    assert width == 600
    assert [area.code for area in drawing.areas] == list(GRID)
    assert [area.name for area in drawing.areas] == list(NAMES.values())
    for area in drawing.areas:
        assert SUBPATH.fullmatch(area.path)
        for x, y in points(area.path):
            assert 0 < x < width
            assert 0 < y < height
    every = [point for area in drawing.areas for point in points(area.path)]
    # A small margin, the same all round.
    assert min(x for x, _ in every) == pytest.approx(width - max(x for x, _ in every), abs=0.1)
    assert min(y for _, y in every) == pytest.approx(height - max(y for _, y in every), abs=0.1)
    assert 0 < min(x for x, _ in every) < 30


def test_north_is_up_and_east_is_right():
    drawing = draw_map(GRID, names=NAMES, values={}, projected=True)
    south_west, south_east, north_west = (points(area.path) for area in drawing.areas)
    assert max(y for _, y in north_west) <= min(y for _, y in south_west)
    assert max(x for x, _ in south_west) <= min(x for x, _ in south_east)


def test_the_shape_is_kept_and_its_closing_point_left_to_z():
    # Two squares over two: twice as tall as wide.
    drawing = draw_map(
        GRID | {"E05000004": [square(390_000, 292_000, 1_000)]}, names={}, values={}, projected=True
    )
    width, height = box(drawing)
    margin = 600 * 0.02
    assert height - 2 * margin == pytest.approx(1.5 * (width - 2 * margin), abs=0.1)
    assert len(points(drawing.areas[0].path)) == 4  # the square's corners, the fifth is Z
    assert drawing.areas[3].name == "E05000004"  # no name: called by its code


def test_longitude_is_narrowed_by_the_cosine_of_the_latitude():
    # A square degree at 60N is half as wide as it is tall once projected.
    drawing = draw_map({"X": [square(-1.0, 59.5, 1.0)]}, names={}, values={}, projected=False, width=300)
    width, height = box(drawing)
    margin = 300 * 0.02
    assert math.cos(math.radians(60)) == pytest.approx(0.5)
    assert height - 2 * margin == pytest.approx(2 * (width - 2 * margin), abs=0.1)
    xs = [x for x, _ in points(drawing.areas[0].path)]
    ys = [y for _, y in points(drawing.areas[0].path)]
    assert (min(xs), max(xs), min(ys), max(ys)) == (6, 294, 6, 582)


def test_coordinates_are_rounded_to_a_tenth():
    drawing = draw_map(
        {"X": [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.3, 0.7), (0.0, 0.0)]]},
        names={},
        values={},
        projected=True,
        width=100,
    )
    for number in re.findall(r"-?[\d.]+", drawing.areas[0].path):
        assert number == f"{float(number):.1f}".removesuffix(".0")
    assert drawing.areas[0].path == "M2,98L98,98L98,2L30.8,30.8Z"


def test_holes_and_islands_are_subpaths_of_one_path():
    outer, hole, island = square(0, 0, 3), square(1, 1, 1)[::-1], square(5, 0, 1)
    drawing = draw_map({"X": [outer, hole, island]}, names={}, values={}, projected=True)
    assert len(SUBPATH.findall(drawing.areas[0].path)) == 3


def test_bands_hold_equal_counts_and_are_labelled_in_words():
    shapes = {f"A{i}": [square(i, 0, 1)] for i in range(10)}
    values = {f"A{i}": float(i + 1) * 1.5 for i in range(10)}  # 1.5 to 15
    drawing = draw_map(shapes, names={}, values=values, projected=True, bands=5)
    assert [band.label for band in drawing.bands] == [
        "1.5 to 3 per 1,000",
        "4.5 to 6 per 1,000",
        "7.5 to 9 per 1,000",
        "10.5 to 12 per 1,000",
        "13.5 to 15 per 1,000",
    ]
    assert [area.band for area in drawing.areas] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert drawing.bands[0] == Band(1.5, 3.0, "1.5 to 3 per 1,000")
    assert [area.value for area in drawing.areas] == list(values.values())


def test_fewer_distinct_values_give_fewer_bands():
    assert [b.label for b in banded([4, 4, 4, 4, 9], bands=5)[0]] == ["4 per 1,000", "9 per 1,000"]
    assert banded([4, 4, 4, 4, 9], bands=5)[1] == [0, 0, 0, 0, 1]
    assert banded([7, 7, 7], bands=5) == ([Band(7, 7, "7 per 1,000")], [0, 0, 0])
    one = banded([3.0, 1.0, 2.0], bands=1, unit="")
    assert one == ([Band(1, 3, "1 to 3")], [0, 0, 0])


def test_zero_is_a_figure_with_a_band_of_its_own_and_none_is_no_figure():
    shapes = {code: [square(i, 0, 1)] for i, code in enumerate("ABCDEFGHIJK")}
    values: dict[str, float | None] = dict(zip("ABCDEFGHIJ", [0, 0, 1, 2, 3, 4, 5, 6, 7, 8], strict=True))
    values["J"] = None
    values["K"] = float("nan")  # not a number is no figure either
    drawing = draw_map(shapes, names={}, values=values, projected=True, bands=5)
    assert drawing.bands[0] == Band(0, 0, "None reached")
    assert [band.label for band in drawing.bands[1:]] == [
        "1 per 1,000",
        "2 to 3 per 1,000",
        "4 to 5 per 1,000",
        "6 to 7 per 1,000",
    ]
    by_code = {area.code: area for area in drawing.areas}
    assert (by_code["A"].value, by_code["A"].band) == (0, 0)
    assert (by_code["C"].band, by_code["D"].band, by_code["I"].band) == (1, 2, 4)
    assert (by_code["J"].value, by_code["J"].band) == (None, None)
    assert (by_code["K"].value, by_code["K"].band) == (None, None)


def test_all_zeros_is_one_band_and_negative_values_are_banded_as_any_others():
    assert banded([0, 0], bands=5) == ([Band(0, 0, "None reached")], [0, 0])
    bands, of = banded([-2, 0, 2, 4], bands=2, unit="")
    assert [band.label for band in bands] == ["-2 to 0", "2 to 4"]
    assert of == [0, 0, 1, 1]
    # With one band asked for, zero shares it.
    assert banded([0, 5], bands=1) == ([Band(0, 5, "0 to 5 per 1,000")], [0, 0])


def test_labels_have_the_decimal_places_to_tell_bands_apart_and_thousands_are_separated():
    bands, _ = banded([0.11, 0.12, 0.13, 0.14], bands=2)
    assert [band.label for band in bands] == ["0.11 to 0.12 per 1,000", "0.13 to 0.14 per 1,000"]
    bands, _ = banded([1_250, 2_000], bands=2, unit="people")
    assert [band.label for band in bands] == ["1,250 people", "2,000 people"]


def test_values_of_areas_not_drawn_are_left_out_of_the_bands():
    drawing = draw_map(
        {"A": [square(0, 0, 1)], "B": [square(1, 0, 1)]},
        names={},
        values={"A": 1, "B": 2, "Z": 1_000},
        projected=True,
        bands=5,
    )
    assert [band.high for band in drawing.bands] == [1, 2]


def test_nothing_to_draw_is_an_empty_drawing():
    assert draw_map({}, names={}, values={}, projected=False) == MapDrawing("0 0 600 0", [], [])
    no_rings = draw_map({"A": []}, names={"A": "Foundry"}, values={"A": None}, projected=False)
    assert [(area.path, area.band) for area in no_rings.areas] == [("", None)]
    assert no_rings.bands == []
    no_figures = draw_map(GRID, names=NAMES, values=dict.fromkeys(GRID), projected=True)
    assert no_figures.bands == []
    assert {area.band for area in no_figures.areas} == {None}


def test_one_point_or_a_line_still_fits():
    dot = draw_map({"A": [[(5.0, 5.0)] * 4]}, names={}, values={}, projected=True)
    assert dot.areas[0].path == "M12,12Z"
    line = draw_map(
        {"A": [[(0.0, 0.0), (0.0, 10.0), (0.0, 0.0), (0.0, 0.0)]]}, names={}, values={}, projected=True
    )
    width, height = box(line)
    assert all(0 < x < width and 0 < y < height for x, y in points(line.areas[0].path))


def test_a_map_must_have_a_width_and_a_band():
    with pytest.raises(ValueError, match="width"):
        draw_map(GRID, names={}, values={}, projected=True, width=0)
    with pytest.raises(ValueError, match="band"):
        draw_map(GRID, names={}, values={}, projected=True, bands=0)


def test_each_area_is_labelled_with_its_name_inside_its_shape():
    """The map names its areas where a person can see them, not only in a tooltip: each
    name in whole-word lines, centred on its shape and inside it."""
    drawing = draw_map(GRID, names=NAMES, values={}, projected=True, width=600)
    for area in drawing.areas:
        assert area.label is not None, area.name
        assert " ".join(area.label.lines) == area.name
        xs, ys = zip(*points(area.path), strict=True)
        assert min(xs) < area.label.x < max(xs)
        assert min(ys) < area.label.y < max(ys)
        assert (min(xs) + max(xs)) / 2 == pytest.approx(area.label.x, abs=0.2)
        lines_height = area.label.line_height * (len(area.label.lines) - 1)
        assert min(ys) < area.label.y - area.label.size < area.label.y + lines_height < max(ys)
        for line in area.label.lines:
            assert len(line) * 0.56 * area.label.size <= max(xs) - min(xs)


def test_a_name_too_long_for_its_shape_is_wrapped_or_left_to_the_tooltip():
    shapes = {"A": [square(0, 0, 1_000)], "B": [square(1_000, 0, 30)], "C": [square(3_000, 0, 1_000)]}
    names = {"A": "Castle and Priory with Upper Tanhouse Lane", "B": "Northfield East", "C": "Foundry"}
    drawing = draw_map(shapes, names=names, values={}, projected=True, width=600)
    wide, tiny, _ = drawing.areas
    assert wide.label is not None
    assert len(wide.label.lines) > 1
    assert " ".join(wide.label.lines) == names["A"]
    assert tiny.label is None


def test_an_area_of_many_rings_is_labelled_across_its_largest():
    island, mainland = square(0, 0, 100), square(2_000, 0, 1_000)
    drawing = draw_map({"A": [island, mainland]}, names={"A": "Foundry"}, values={}, projected=True)
    (area,) = drawing.areas
    width, _ = box(drawing)
    assert area.label is not None
    assert area.label.x > width / 2  # over the mainland, on the right
