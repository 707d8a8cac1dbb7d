"""Index settings and mappings as versioned JSON data, and a loader.

Each `<name>.json` holds `settings` and `mappings`; `mappings._meta.version` is the version a
concrete index is named after, so changing a mapping means bumping it and running a reindex.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

NAMES = ("trials", "sync_log", "locks", "suggest", "trial_history")


@dataclass(frozen=True)
class IndexSpec:
    name: str
    body: dict[str, Any]

    @property
    def version(self) -> int:
        return int(self.body["mappings"]["_meta"]["version"])

    def with_shards(self, shards: int, replicas: int) -> dict[str, Any]:
        body = copy.deepcopy(self.body)
        body["settings"].update(number_of_shards=shards, number_of_replicas=replicas)
        return body

    @property
    def properties(self) -> dict[str, Any]:
        return dict(self.body["mappings"]["properties"])


def load(name: str) -> IndexSpec:
    if name not in NAMES:
        raise KeyError(f"unknown index spec {name!r}; known: {', '.join(NAMES)}")
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return IndexSpec(name=name, body=json.loads(text))
