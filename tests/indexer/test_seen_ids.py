"""The ids a run has read (`indexer.seen.SeenIds`): exact membership through every growth of
its table, and a fraction of the memory a `set` of the id strings takes."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

from indexer.seen import SeenIds


def _ids(count: int, start: int = 0) -> list[str]:
    return [f"ctgov:NCT9{i:07d}" for i in range(start, start + count)]


def test_add_tells_whether_an_id_was_new() -> None:
    seen = SeenIds()
    assert seen.add("ctgov:NCT00000001")
    assert not seen.add("ctgov:NCT00000001")
    assert seen.add("cris:KCT0000001")
    assert len(seen) == 2
    assert "ctgov:NCT00000001" in seen
    assert "ctgov:NCT00000002" not in seen
    assert 17 not in seen  # not a string: never kept


def test_every_id_stays_a_member_through_the_tables_growth() -> None:
    kept, other = _ids(60_000), _ids(60_000, start=60_000)
    seen = SeenIds(tuple(kept))
    assert len(seen) == len(kept)
    assert all(key in seen for key in kept)
    assert not any(key in seen for key in other)
    assert not any(seen.add(key) for key in kept[::97])  # none is added twice
    assert len(seen) == len(kept)


def test_it_holds_a_fraction_of_what_a_set_of_the_strings_does() -> None:
    count = 100_000  # the table is at its emptiest: it has just grown to 2**18 slots
    as_set = _allocated(lambda: set(_ids(count)))  # a run's set also keeps the strings
    compact = _allocated(lambda: SeenIds(tuple(_ids(count))))
    print(f"{count:,} ids: set {as_set / 2**20:.1f} MiB, SeenIds {compact / 2**20:.1f} MiB")
    assert compact <= 18 * 2**18  # 16 bytes a slot, and little else
    assert compact * 2 <= as_set


def _allocated(make: Callable[[], object]) -> int:
    """Bytes still allocated by what `make` returns, once what it made on the way is freed."""
    tracemalloc.start()
    try:
        kept = make()
        size, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return size
