"""The real recorded registry records the fake registry replays, read from the repository's own
`tests/fixtures/registries/` (their provenance is in the SOURCES.md files there)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "registries"

Record = dict[str, Any]


def _load(*parts: str) -> Any:
    return json.loads(REAL.joinpath(*parts).read_text(encoding="utf-8"))


def icreat_records() -> list[Record]:
    """The 145 iCReaT tasks (2022-05-11 dump), keys in the gateway's sorted order."""
    rows = _load("icreat", "003humanscape_sqldump_2022-05-11_145_records.json")["records"]
    return [{k: row[k] for k in sorted(row) if not k.startswith("_")} for row in rows]


def cris_detail_sample() -> Record:
    return dict(_load("cris", "sockwon_detail_response_KCT0007888_2022-12.json")["response"])


def cris_list_items() -> list[Record]:
    """The 379 recorded list items, plus the list-shaped part of the one recorded detail."""
    items: list[Record] = _load("cris", "regscan_list_items_2026-02-03_part1_379.json")
    detail = cris_detail_sample()
    listed = {k: detail.get(k) for k in items[0] if k in detail}
    listed["date_registration"] = detail["date_registration"].replace("/", "-")
    listed["date_updated"] = detail["date_updated"].replace("/", "-")
    return [*items, listed]


def ctgov_studies() -> list[Record]:
    """Every distinct v2 study object in the recorded ctgov files (last snapshot wins)."""
    by_id: dict[str, Record] = {}
    for path in sorted(REAL.joinpath("ctgov").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "studies" in data:
            data = data["studies"]
        elif isinstance(data, dict) and "protocolSection" in data:
            data = [data]
        if not isinstance(data, list):
            continue
        for study in data:
            if isinstance(study, dict) and "protocolSection" in study:
                nct = study["protocolSection"]["identificationModule"]["nctId"]
                by_id[nct] = study
    return list(by_id.values())


def ctgov_file(name: str) -> Any:
    return _load("ctgov", name)
