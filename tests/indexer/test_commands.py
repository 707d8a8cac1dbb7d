"""The ways a run starts: the CLI, the scheduler and the service's launcher; and reindex."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from elasticsearch import AsyncElasticsearch

from cli import main
from indexer.launch import make_launcher
from indexer.reindex import reindex
from indexer.run import RunOptions
from indexer.schedule import build_scheduler, scheduled_sync
from tests.indexer.conftest import Env
from trials.indices import indices_behind
from trials.launcher import SyncAlreadyRunning, UnknownSource
from trials.settings import Settings


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> str:
    prefix = f"{settings.index_prefix}cli-"
    for name in [n for n in __import__("os").environ if n.startswith("TRIALS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TRIALS_ES_URL", ",".join(settings.es_hosts))
    monkeypatch.setenv("TRIALS_INDEX_PREFIX", prefix)
    return prefix


def test_cli_index_demo_then_rerun_reports_all_unchanged(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["index"]) == 0  # no key: the demo source
    first = capsys.readouterr()
    assert first.out.splitlines()[1].split()[:4] == ["demo", "completed", "300", "300"]
    assert "demo 300 records" in first.err  # progress on stderr
    assert main(["index", "--source", "demo"]) == 0
    row = capsys.readouterr().out.splitlines()[1].split()
    assert row[:6] == ["demo", "completed", "300", "0", "0", "300"]
    assert main(["runs", "--source", "demo"]) == 0
    listed = capsys.readouterr().out
    assert listed.count("completed") == 2
    assert "unchanged=300" in listed


def test_cli_index_names_a_failing_source_and_exits_1(
    cli_env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIALS_DATA_GO_KR_KEY", "some-key")
    monkeypatch.setenv("TRIALS_ICREAT_URL", "http://127.0.0.1:9/unreachable")
    monkeypatch.setenv("TRIALS_HTTP_RETRIES", "0")
    assert main(["index", "--source", "icreat", "--source", "demo"]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert "trials: icreat failed: icreat: ClientConnectorError: Cannot connect" in err
    assert [line.split()[1] for line in out.splitlines()[1:]] == ["failed", "completed"]


async def test_reindex_keeps_versions_and_times_and_swaps_the_alias(env: Env) -> None:
    await env.run("icreat")
    env.state.icreat.pop()  # type: ignore[attr-defined]
    await env.run("icreat")  # one tombstone, so removed_at is carried over too
    assert await env.count("icreat") == 145  # (refreshes)
    before = await env.es.search(index=env.names.trials, version=True, size=200)
    old_index = (await indices_behind(env.es, env.names.trials))[0]

    result = await reindex(env.es, env.settings)

    assert (result.copied, result.failed, result.old_indices) == (145, 0, [old_index])
    assert await indices_behind(env.es, env.names.trials) == [result.new_index]
    assert not await env.es.indices.exists(index=old_index)
    after = await env.es.search(index=env.names.trials, version=True, size=200)

    def by_id(found: object) -> dict[str, tuple[object, object]]:
        hits = found["hits"]["hits"]  # type: ignore[index]
        return {h["_id"]: (h["_version"], h["_source"]) for h in hits}

    assert by_id(after) == by_id(before)
    writes = await env.index_total()
    rerun = await env.run("icreat")
    assert (rerun.counts.unchanged, rerun.counts.created) == (144, 0)
    assert await env.index_total() == writes


async def test_launcher_returns_run_ids_once_logged_and_refuses_overlaps(env: Env) -> None:
    launch = make_launcher(env.settings, env.es, RunOptions(demo_count=3000))
    with pytest.raises(UnknownSource):
        await launch(["nope"], False)
    (run_id,) = await launch(["demo"], False)
    logged = await env.es.get(index=env.names.sync_log, id=run_id)
    assert logged["_source"]["trigger"] == "api"
    with pytest.raises(SyncAlreadyRunning):
        await launch(["demo"], False)
    for _ in range(100):
        logged = await env.es.get(index=env.names.sync_log, id=run_id)
        if logged["_source"]["status"] != "running":
            break
        await asyncio.sleep(0.1)
    assert logged["_source"]["status"] == "completed"
    assert logged["_source"]["counts"]["created"] == 3000


async def test_scheduler_job_and_its_run(env: Env, es: AsyncElasticsearch) -> None:
    scheduler = build_scheduler(dataclasses.replace(env.settings, schedule="30 4 * * 1-5"), es)
    job = scheduler.get_job("sync")
    assert (job.max_instances, job.coalesce) == (1, True)
    assert str(job.trigger.timezone) == "Asia/Seoul"
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("4", "30")  # days: test_schedule.py
    sunday_noon = datetime(2026, 11, 29, 12, tzinfo=ZoneInfo("Asia/Seoul"))
    monday = job.trigger.get_next_fire_time(None, sunday_noon)
    assert monday.isoformat() == "2026-11-30T04:30:00+09:00"  # cron's 1 is Monday

    await scheduled_sync(es, dataclasses.replace(env.settings, data_go_kr_key=""))
    found = await es.search(index=env.names.sync_log, query={"term": {"trigger": "schedule"}})
    (hit,) = found["hits"]["hits"]
    assert (hit["_source"]["source"], hit["_source"]["status"]) == ("demo", "completed")
