"""The garbage collector while runs go (`indexer.collector`): what existed before is frozen out
of collection and young collections are rarer while any run goes, and both are undone when
the last one ends, however it ends."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from indexer import collector


@pytest.fixture(autouse=True)
def _restored() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)
    gc.unfreeze()


def test_a_run_freezes_the_heap_and_collects_less_often_until_it_ends() -> None:
    gc.set_threshold(700, 10, 10)
    with collector.during_run():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (collector.RUN_THRESHOLD, 10, 10)
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == (700, 10, 10)


def test_overlapping_runs_keep_it_until_the_last_one_ends() -> None:
    gc.set_threshold(500, 7, 9)
    first, second = collector.during_run(), collector.during_run()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold() == (collector.RUN_THRESHOLD, 7, 9)
    assert gc.get_freeze_count() > 0
    second.__exit__(None, None, None)
    assert gc.get_threshold() == (500, 7, 9)
    assert gc.get_freeze_count() == 0


def test_a_failed_run_undoes_it_too() -> None:
    gc.set_threshold(700, 10, 10)
    with pytest.raises(RuntimeError), collector.during_run():
        raise RuntimeError("the run failed")
    assert (gc.get_threshold(), gc.get_freeze_count()) == ((700, 10, 10), 0)


class _Node:
    other: object = None


def test_garbage_from_before_a_run_is_kept_during_it_and_collected_after() -> None:
    gc.disable()  # no collection but the ones asked for here
    try:
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        alive = weakref.ref(a)
        del a, b  # an unreachable cycle, there before the run
        with collector.during_run():
            gc.collect()
            assert alive() is not None  # frozen: out of the run's collections
        gc.collect()
        assert alive() is None  # back in the oldest generation, and collected
    finally:
        gc.enable()
