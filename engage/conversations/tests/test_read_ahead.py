"""read_ahead: a file read in a thread, its errors raised where the rows are used."""

from __future__ import annotations

import sys
import threading
from collections.abc import Generator

import pytest

from engage.core.tabular.read_ahead import read_ahead


class Source:
    """A generator that records how far it got and whether it was closed."""

    def __init__(self, count: int, *, fail_at: int | None = None) -> None:
        self.count = count
        self.fail_at = fail_at
        self.produced = 0
        self.closed = threading.Event()

    def items(self) -> Generator[int, None, None]:
        try:
            for number in range(self.count):
                if number == self.fail_at:
                    raise ValueError(f"bad row {number}")
                self.produced += 1
                yield number
        finally:
            self.closed.set()


def test_every_item_arrives_in_order():
    source = Source(1000)
    assert list(read_ahead(source.items(), depth=3)) == list(range(1000))
    assert source.closed.is_set()


def test_an_error_in_the_source_is_raised_after_the_items_before_it():
    source = Source(10, fail_at=6)
    received: list[int] = []

    def consume() -> None:
        for item in read_ahead(source.items()):
            received.append(item)

    with pytest.raises(ValueError, match="bad row 6"):
        consume()
    assert received == [0, 1, 2, 3, 4, 5]


def test_a_consumer_that_stops_early_stops_and_closes_the_source():
    source = Source(10_000)
    consumer = read_ahead(source.items(), depth=2)

    def consume() -> None:
        for item in consumer:
            if item == 3:
                raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        consume()
    consumer.close()
    assert source.closed.wait(5)
    # The thread ran at most a few items ahead: memory is bounded by depth, not the file.
    assert source.produced <= 3 + 1 + 2 + 1
    assert not any(thread.name == "import-read-ahead" for thread in threading.enumerate())


def test_the_lock_changes_hands_more_often_while_reading_and_as_usual_after_even_on_a_failure() -> None:
    usual = sys.getswitchinterval()
    seen: list[float] = []

    def source() -> Generator[int, None, None]:
        yield 1
        raise ValueError("a bad row")

    def read_all() -> None:
        for _ in read_ahead(source()):
            seen.append(sys.getswitchinterval())

    with pytest.raises(ValueError, match="a bad row"):
        read_all()
    assert seen == [pytest.approx(0.0005)]
    assert usual > 0.0005
    assert sys.getswitchinterval() == usual


def test_two_readers_at_once_leave_the_usual_interval_whichever_ends_first() -> None:
    usual = sys.getswitchinterval()
    first, second = read_ahead(iter_of(3)), read_ahead(iter_of(3))
    next(first)
    next(second)
    first.close()
    assert sys.getswitchinterval() == pytest.approx(0.0005)  # the second still reads
    second.close()
    assert sys.getswitchinterval() == usual


def iter_of(count: int) -> Generator[int, None, None]:
    yield from range(count)
