"""The recorded registry files under a data root laid out as `icreat/`, `cris/`, `ctgov/` (the
repository's `tests/fixtures/registries/` by default, or the fuller shared set), read for
measuring only: ClinicalTrials.gov studies, and the titles of all three registries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from testkit.registry.records import REAL

Record = dict[str, Any]
DEFAULT_ROOT = REAL


def _files(root: Path, registry: str) -> Iterator[Any]:
    for path in sorted((root / registry).glob("*.json")):
        yield json.loads(path.read_text(encoding="utf-8"))


def _studies(data: Any) -> Iterator[Record]:
    if isinstance(data, list):
        for item in data:
            yield from _studies(item)
    elif isinstance(data, dict):
        if "protocolSection" in data:
            yield data
        elif "studies" in data:
            yield from _studies(data["studies"])


def ctgov_studies(root: Path = DEFAULT_ROOT) -> list[Record]:
    """Distinct studies by NCT id (the last snapshot wins)."""
    by_id = {
        s["protocolSection"]["identificationModule"]["nctId"]: s
        for data in _files(root, "ctgov")
        for s in _studies(data)
    }
    return list(by_id.values())


def _rows(data: Any) -> list[Record]:
    if isinstance(data, dict):
        data = data.get("records") or data.get("items") or [data.get("response", {})]
    return [row for row in data if isinstance(row, dict)]


def cris_titles(root: Path = DEFAULT_ROOT) -> list[str]:
    rows = [row for data in _files(root, "cris") for row in _rows(data)]
    keys = ("scientific_title_kr", "scientific_title_en")
    return [" ".join(row[k].split()) for row in rows for k in keys if row.get(k)]


def icreat_titles(root: Path = DEFAULT_ROOT) -> list[str]:
    titles = {
        row["과제번호"]: row["과제명"] for data in _files(root, "icreat") for row in _rows(data)
    }
    return [t for t in titles.values() if t]


def ctgov_titles(root: Path = DEFAULT_ROOT) -> list[str]:
    found = []
    for study in ctgov_studies(root):
        ident = study["protocolSection"]["identificationModule"]
        found += [ident[k] for k in ("briefTitle", "officialTitle") if ident.get(k)]
    return found
