"""A small cache of encoded answers for GET requests whose answer changes only when an index
is rebuilt (the suggestions: after a sync run that wrote something): an answer is served again
for `ttl_s` seconds, and beyond `size` answers the oldest is dropped. One per application; one
event loop, so no locking."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

DEFAULT_TTL_S = 30.0
DEFAULT_SIZE = 4096


class AnswerCache:
    def __init__(
        self,
        ttl_s: float = DEFAULT_TTL_S,
        size: int = DEFAULT_SIZE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self._size = size
        self._clock = clock
        self._answers: dict[Hashable, tuple[float, bytes]] = {}

    def get(self, key: Hashable) -> bytes | None:
        found = self._answers.get(key)
        if found is None:
            return None
        if self._clock() >= found[0]:
            del self._answers[key]
            return None
        return found[1]

    def put(self, key: Hashable, answer: bytes) -> None:
        self._answers.pop(key, None)
        if len(self._answers) >= self._size:
            del self._answers[next(iter(self._answers))]  # the oldest put
        self._answers[key] = (self._clock() + self.ttl_s, answer)
