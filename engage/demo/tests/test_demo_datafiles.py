"""The demo's data files: every one ships, parses and is read, and a mistake in one is
reported with its file and key rather than as a KeyError deep in the generator."""

from __future__ import annotations

import pytest

from engage.activities.models import Level, Stage
from engage.demo import activities
from engage.demo.datafiles import DATA_DIR, DemoDataError, Table, data_file


def test_every_data_file_parses_and_holds_something() -> None:
    names = sorted(path.stem for path in DATA_DIR.glob("*.toml"))
    assert names  # the package ships them (pyproject's package-data takes data/*.toml)
    for name in names:
        assert data_file(name).names(), name


def test_a_value_of_the_wrong_kind_names_its_file_and_key() -> None:
    table = Table({"slots": {"very": "very"}}, "phrases.toml:")
    with pytest.raises(DemoDataError, match=r"phrases.toml: slots.very must be a list of text"):
        table.table("slots").texts("very")
    with pytest.raises(DemoDataError, match=r"phrases.toml: slots.long_waits is missing"):
        table.table("slots").texts("long_waits")


def test_a_choice_is_read_by_its_stored_value_and_an_unknown_one_is_refused() -> None:
    table = Table({"stage": "plan", "level": "shout"}, "activities.toml: one_off[0]")
    assert table.choice("stage", Stage) is Stage.PLAN
    with pytest.raises(DemoDataError, match=r"one_off\[0\].level must be one of inform, .*not 'shout'"):
        table.choice("level", Level)


def test_an_activity_takes_the_defaults_for_the_keys_it_leaves_out() -> None:
    spec = activities.ONE_OFF[0]
    assert spec.reach == "place"
    assert spec.starts is None
    assert spec.promises_feedback is True


def test_an_activity_with_a_key_no_activity_has_is_refused() -> None:
    table = Table({"lead": "icb", "title": "A title", "colour": "blue"}, "activities.toml: one_off[7]")
    with pytest.raises(DemoDataError, match=r"one_off\[7\] has keys no activity has: colour"):
        activities._activity(table)


def test_an_activity_missing_a_key_it_needs_is_refused() -> None:
    table = Table({"lead": "icb", "title": "A title"}, "activities.toml: one_off[7]")
    with pytest.raises(DemoDataError, match=r"one_off\[7\] is missing topic, purpose"):
        activities._activity(table)
