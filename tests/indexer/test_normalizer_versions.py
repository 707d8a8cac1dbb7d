"""Each source's `normalizer` version guards its normalised output: the documents its recorded
fixture records (demo: studies 1..50) become, normalised and tagged the way the pipeline does
it, hash to the digest committed in `normalizer_versions.json` for that version. A change to
the output without a new version fails here; a new version is recorded with
`python -m tests.indexer.test_normalizer_versions --record`."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp

from indexer.errors import RecordRejected
from indexer.http import HttpOptions, RegistryClient
from indexer.pipeline import normalized
from indexer.sink import trial_hash
from indexer.sources.base import Raw, Source
from indexer.sources.cris import CrisSource
from indexer.sources.ctgov import CtgovSource
from indexer.sources.demo import DemoSource, demo_study
from indexer.sources.icreat import IcreatSource
from indexer.tagging import tag
from testkit.registry import records
from trials.model import content_hash
from trials.registries import SOURCE_NAMES

RECORDED = Path(__file__).with_name("normalizer_versions.json")
RECORD_COMMAND = "python -m tests.indexer.test_normalizer_versions --record"


def _cris_records() -> Iterator[Raw]:
    """Complete CRIS records as `complete` builds them from the fake registry: the recorded
    detail for the one trial that has one, the listed fields as the detail of the others."""
    sample = records.cris_detail_sample()
    for item in records.cris_list_items():
        detail = sample if item.get("trial_id") == sample.get("trial_id") else item
        yield {"list": item, "detail": detail}


def _sources(session: aiohttp.ClientSession) -> dict[str, tuple[Source, list[Raw]]]:
    """Every source with the records that pin its output; the client is never asked."""

    def client(name: str) -> RegistryClient:
        return RegistryClient(name, session, HttpOptions())

    return {
        "icreat": (IcreatSource(client("icreat"), "", ""), records.icreat_records()),
        "cris": (CrisSource(client("cris"), "", ""), list(_cris_records())),
        "ctgov": (CtgovSource(client("ctgov"), "", ""), records.ctgov_studies()),
        "demo": (DemoSource(), [demo_study(i) for i in range(1, 51)]),
    }


def _document_hash(source: Source, raw: Raw) -> str:
    """What `Batcher._prepare` makes of a complete record, hashed as a renormalising run
    compares it (`trial_hash`); a rejection is output too."""
    try:
        trial = tag(normalized(source, raw))  # concepts: before the hashes, as the pipeline
    except RecordRejected as exc:
        return f"rejected: {exc.reason}"
    trial.content_hash = content_hash(source.hashed_content(raw))
    return trial_hash(trial)


def digest(source: Source, raws: list[Raw]) -> str:
    hashes = sorted(_document_hash(source, raw) for raw in raws)
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest()


async def current() -> dict[str, dict[str, Any]]:
    """{source: {"normalizer": its version, "digest": its documents' digest, "class": name}}."""
    async with aiohttp.ClientSession() as session:
        return {
            name: {
                "normalizer": source.normalizer,
                "digest": digest(source, raws),
                "class": type(source).__name__,
            }
            for name, (source, raws) in _sources(session).items()
        }


def _recorded() -> dict[str, dict[str, Any]]:
    return json.loads(RECORDED.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def stale(now: dict[str, dict[str, Any]], recorded: dict[str, dict[str, Any]]) -> list[str]:
    """One message per source whose output changed under the version it was recorded with."""
    return [
        f"normalised output of {name} changed: bump {found['class']}.normalizer and run "
        f"{RECORD_COMMAND} to record it"
        for name, found in now.items()
        if name in recorded
        and recorded[name]["normalizer"] == found["normalizer"]
        and recorded[name]["digest"] != found["digest"]
    ]


async def test_every_source_is_recorded_at_its_current_version() -> None:
    now, recorded = await current(), _recorded()
    assert set(now) == set(SOURCE_NAMES) == set(recorded)
    assert stale(now, recorded) == []
    for name, found in now.items():  # a bumped version is recorded (with its digest)
        assert recorded[name] == {k: found[k] for k in ("normalizer", "digest")}, (
            f"{name}: normalizer {found['normalizer']} is not recorded: run {RECORD_COMMAND}"
        )


def test_a_changed_output_under_the_same_version_names_the_class_to_bump() -> None:
    now = {"cris": {"normalizer": 2, "digest": "new", "class": "CrisSource"}}
    assert stale(now, {"cris": {"normalizer": 2, "digest": "old"}}) == [
        "normalised output of cris changed: bump CrisSource.normalizer and run "
        f"{RECORD_COMMAND} to record it"
    ]
    assert stale(now, {"cris": {"normalizer": 1, "digest": "old"}}) == []  # bumped


def record() -> None:
    now = asyncio.run(current())
    document = {n: {k: found[k] for k in ("normalizer", "digest")} for n, found in now.items()}
    RECORDED.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {RECORDED}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit(f"usage: {RECORD_COMMAND}")
    record()
