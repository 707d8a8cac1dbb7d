"""Writes go to aliases only. With an alias gone (deleted by hand, or mid-run), a write fails —
counted and named, or raised — instead of Elasticsearch creating an index under the alias's
name with mappings guessed from the document, which searches would then read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from elasticsearch import NotFoundError

from indexer.sink import Pending, Sink
from indexer.sources.icreat import normalize
from indexer.synclog import RunRecord, SyncLog
from indexer.tally import Tally
from tests.indexer.conftest import Env
from trials.model import utc_iso


def gone(env: Env, name: str) -> str:
    return f"{env.settings.index_prefix}gone-{name}"


async def test_trial_writes_to_a_missing_alias_are_counted_failed(env: Env) -> None:
    raw = dict(env.state.icreat[0])  # type: ignore[index]
    tally = Tally()
    alias = gone(env, "trials")
    sink = Sink(env.es, alias, "run-x", 1, utc_iso(datetime.now(UTC)), tally)
    await sink.write([Pending(normalize("icreat", raw), None)])
    assert (tally.counts.created, tally.counts.failed) == (0, 1)
    ((kind, reason), ids), *_ = tally.errors.items()
    assert kind == "failed"
    assert "not an alias" in reason
    assert ids == [f"icreat:{raw['과제번호']}"]
    assert not await env.es.indices.exists(index=alias)


async def test_a_run_record_is_not_written_to_a_missing_alias(env: Env) -> None:
    alias = gone(env, "sync-log")
    record = RunRecord.begin(SyncLog(env.es, alias), "icreat", "cli", False)
    with pytest.raises(NotFoundError, match="not an alias"):
        await record.save()
    assert not await env.es.indices.exists(index=alias)
