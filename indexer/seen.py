"""The ids one run has read, kept compact: a whole-registry run reads 560,000 of them, and a
`set` of their strings held 47 MiB at 500,000 (tracemalloc), most of the indexer's growth
with the registry's size.

Each id is kept as its 128-bit BLAKE2b digest, two 64-bit words in an open-addressing table
(double hashing, at most 3/4 full): about 21 to 43 bytes an id instead of about 95. Two
different ids share a digest with a probability near n² / 2¹²⁹ (10⁻²⁷ for a million ids), far
below any failure of the disk, so membership is treated as exact: a record read twice is
skipped once (`Batcher`), and a live document the run did not read is tombstoned
(`Sink.tombstone`)."""

from __future__ import annotations

from array import array
from hashlib import blake2b

_INITIAL_SLOTS = 1024  # a power of two, as every size after it
_MASK64 = (1 << 64) - 1


class SeenIds:
    """A set of strings that can only grow: `add` and `in`."""

    __slots__ = ("_count", "_slots", "_words")

    def __init__(self, ids: tuple[str, ...] = ()) -> None:
        self._slots = _INITIAL_SLOTS
        self._words = array("Q", bytes(16 * self._slots))  # slot i: words 2i, 2i + 1
        self._count = 0
        for key in ids:
            self.add(key)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        high, low = _digest(key)
        return self._find(high, low)[1]

    def add(self, key: str) -> bool:
        """Keep `key`; False if it was kept already."""
        high, low = _digest(key)
        slot, found = self._find(high, low)
        if found:
            return False
        self._put(slot, high, low)
        self._count += 1
        if 4 * self._count > 3 * self._slots:
            self._grow()
        return True

    def _find(self, high: int, low: int) -> tuple[int, bool]:
        """The slot holding the digest, or the empty slot where it would go. The probe starts
        at the low word and steps by the (odd) high word, so it visits every slot."""
        mask = self._slots - 1
        words = self._words
        slot = low & mask
        step = high | 1
        while True:
            at_high = words[2 * slot]
            at_low = words[2 * slot + 1]
            if at_high == high and at_low == low:
                return slot, True
            if at_high == 0 and at_low == 0:
                return slot, False
            slot = (slot + step) & mask

    def _grow(self) -> None:
        old = self._words
        self._slots *= 2
        self._words = array("Q", bytes(16 * self._slots))
        for i in range(0, len(old), 2):
            high, low = old[i], old[i + 1]
            if high or low:
                self._put(self._find(high, low)[0], high, low)

    def _put(self, slot: int, high: int, low: int) -> None:
        self._words[2 * slot] = high
        self._words[2 * slot + 1] = low


def _digest(key: str) -> tuple[int, int]:
    """The id's digest as two words; never (0, 0), which marks an empty slot."""
    value = int.from_bytes(blake2b(key.encode(), digest_size=16).digest(), "little")
    high, low = value >> 64, value & _MASK64
    return (high, low) if high or low else (0, 1)
