"""`trials backup` on real nodes of our own: a private node started by the tooling (so with
path.repo) for the round trips, and one whose operator left path.repo out for the error.

Deleted index → restore → the same documents; a restore while the data is being read swaps the
aliases at once (readers see the old or the restored data, never an error or an empty index)
and keeps the replaced index unless told to drop it."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from elasticsearch import AsyncElasticsearch

from indexer.run import RunOptions, run_source
from localnode import probe
from localnode.layout import Layout
from localnode.node import LocalNode
from localnode.progress import Heartbeat
from testkit.children import child_env, trials_executable
from testkit.elastic_node import free_port, private_node
from trials import snapshots
from trials.es import make_client
from trials.indices import Names, ensure_indices, indices_behind
from trials.settings import Settings

DEMO = 150
INDEX_NAME = re.compile(r"^backup-\d+-\d+-trials-v\d+-\d{20}$")


@pytest.fixture(scope="module")
def node() -> Iterator[Any]:
    with private_node() as started:
        yield started


@contextmanager
def node_without_path_repo() -> Iterator[LocalNode]:
    """A node configured as an operator might have it, without path.repo."""
    settings = Settings.from_env()
    node = LocalNode(Layout.for_settings(settings.es_home, free_port()))
    java_home = node.provision()
    yml = node.layout.config_dir / "elasticsearch.yml"
    yml.write_text(
        "".join(line for line in yml.read_text().splitlines(True) if "path.repo" not in line)
    )
    try:
        node.launch(java_home, Heartbeat(lambda _: None, node.url))
        deadline = time.monotonic() + 120
        while probe.health(node.url) is None:
            assert time.monotonic() < deadline, node.log_tail()
            time.sleep(0.5)
        yield node
    finally:
        node.stop()
        shutil.rmtree(node.layout.node_dir, ignore_errors=True)


_worlds = iter(range(1, 1000))


@pytest.fixture
async def world(
    node: Any, settings: Settings
) -> AsyncIterator[tuple[Settings, AsyncElasticsearch]]:
    """Own prefix on the private node, its indices made and DEMO demo trials synced."""
    own = dataclasses.replace(
        settings, es_urls=(node.url,), index_prefix=f"backup-{os.getpid()}-{next(_worlds)}-"
    )
    es = make_client(own)
    try:
        await ensure_indices(es, own)
        run = await run_source(es, own, "demo", RunOptions(demo_count=DEMO))
        assert run.status == "completed", run.message
        yield own, es
    finally:
        await es.indices.delete(
            index=f"{own.index_prefix}*", ignore_unavailable=True, allow_no_indices=True
        )
        await es.close()


def backup_cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = child_env(settings.es_hosts[0], settings.index_prefix)
    return subprocess.run(
        [trials_executable(), "backup", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


async def _sample(es: AsyncElasticsearch, index: str) -> dict[str, Any]:
    await es.indices.refresh(index=index)
    found = await es.search(index=index, size=12, sort=["_doc"], query={"match_all": {}})
    return {hit["_id"]: hit["_source"] for hit in found["hits"]["hits"]}


async def _count(es: AsyncElasticsearch, index: str) -> int:
    await es.indices.refresh(index=index)
    return int((await es.count(index=index))["count"])


async def test_a_deleted_index_comes_back_from_the_latest_backup(
    world: tuple[Settings, AsyncElasticsearch],
) -> None:
    settings, es = world
    names = Names.from_settings(settings)
    sample = await _sample(es, names.trials)
    runs = await _count(es, names.sync_log)
    assert (len(sample), runs) == (12, 1)

    made = backup_cli(settings, "create")
    assert made.returncode == 0, made.stderr
    assert f"trials {DEMO} documents" in made.stdout
    await es.indices.delete(index=await indices_behind(es, names.trials))
    assert await indices_behind(es, names.trials) == []

    restored = backup_cli(settings, "restore", "--latest")
    assert restored.returncode == 0, restored.stderr
    assert await _count(es, names.trials) == DEMO
    assert await _sample(es, names.trials) == sample  # the same documents, field for field
    assert await _count(es, names.sync_log) == runs
    behind = await indices_behind(es, names.trials)
    assert len(behind) == 1
    assert INDEX_NAME.match(behind[0]), behind
    assert f"{names.trials} -> {behind[0]} ({DEMO} documents)" in restored.stdout


async def _read_until(
    es: AsyncElasticsearch, alias: str, done: asyncio.Event, seen: list[Any]
) -> None:
    while not done.is_set():
        try:
            seen.append(int((await es.count(index=alias))["count"]))
        except Exception as exc:  # any failure is what this reader is here to catch
            seen.append(exc)
        await asyncio.sleep(0.02)


async def test_a_restore_under_reads_swaps_both_aliases_at_once_and_keeps_the_old_index(
    world: tuple[Settings, AsyncElasticsearch],
) -> None:
    settings, es = world
    names = Names.from_settings(settings)
    backup = await snapshots.create(es, names)
    assert backup.counts == {names.trials: DEMO, names.sync_log: 1}
    for gone in ("demo:DEMO-000001", "demo:DEMO-000002"):
        await es.delete(index=names.trials, id=gone, refresh=True)
    old = await indices_behind(es, names.trials)
    old_log = await indices_behind(es, names.sync_log)
    assert await _count(es, names.trials) == DEMO - 2

    seen: list[Any] = []
    done = asyncio.Event()
    reader = asyncio.create_task(_read_until(es, names.trials, done, seen))
    try:
        restored = await snapshots.restore(es, settings, backup.name)
        await asyncio.sleep(0.2)
    finally:
        done.set()
        await reader
    assert [s for s in seen if not isinstance(s, int)] == []
    assert set(seen) == {DEMO - 2, DEMO}, set(seen)  # the old data, then the restored data
    assert seen[-1] == DEMO
    assert sorted(restored.replaced) == sorted([*old, *old_log])
    assert await _count(es, old[0]) == DEMO - 2  # kept as it was
    for alias, index in restored.indices.items():
        assert await indices_behind(es, alias) == [index]

    again = await snapshots.restore(es, settings, None, drop_replaced=True)
    assert not await es.indices.exists(index=restored.indices[names.trials])
    assert await _count(es, names.trials) == DEMO
    assert set(again.replaced) == set(restored.indices.values())


async def test_list_shows_every_backup_with_its_documents(
    world: tuple[Settings, AsyncElasticsearch],
) -> None:
    settings, es = world
    names = Names.from_settings(settings)
    empty = backup_cli(settings, "list")
    assert (empty.returncode, empty.stdout.strip()) == (
        0,
        "no backups yet (`trials backup create` makes one)",
    )
    first = await snapshots.create(es, names)
    second = await snapshots.create(es, names)
    listed = backup_cli(settings, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    found = json.loads(listed.stdout)["backups"]
    assert [b["name"] for b in found] == [first.name, second.name]
    assert all(b["state"] == "SUCCESS" for b in found)
    assert found[0]["counts"] == {names.trials: DEMO, names.sync_log: 1}
    table = backup_cli(settings, "list").stdout.splitlines()
    assert table[0].split() == ["name", "state", "started", "documents"]
    assert table[2].startswith(second.name)
    assert f"{names.trials} {DEMO}" in table[2]


async def test_an_unknown_backup_or_none_at_all_is_a_clear_error(
    world: tuple[Settings, AsyncElasticsearch],
) -> None:
    settings, es = world
    latest = backup_cli(settings, "restore", "--latest")
    assert latest.returncode == 1
    assert (
        latest.stderr.strip()
        == f"trials: no successful backup in {settings.index_prefix}trials-backups"
    )
    made = await snapshots.create(es, Names.from_settings(settings))
    unknown = backup_cli(settings, "restore", "nightly")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == f"trials: no backup named 'nightly' (latest: {made.name})"
    neither = backup_cli(settings, "restore")
    assert neither.returncode == 2  # usage: a name or --latest


def test_without_path_repo_every_backup_command_says_how_to_configure_it(
    settings: Settings,
) -> None:
    with node_without_path_repo() as bare:
        own = dataclasses.replace(settings, es_urls=(bare.url,), index_prefix="bare-")
        for args in (["create"], ["list"], ["restore", "--latest"]):
            done = backup_cli(own, *args)
            assert done.returncode == 1, done
            assert done.stdout == ""
            lines = done.stderr.strip().splitlines()
            assert len(lines) == 1, done.stderr  # one problem line, no traceback
            assert lines[0].startswith("trials: no snapshot repository 'bare-trials-backups'")
            assert "path.repo" in lines[0]
            assert "README" in lines[0]


def test_a_restored_index_is_named_like_any_index_behind_an_alias() -> None:
    stamp = "20261205031500123456"
    assert (
        snapshots.restored_name("p-trials-v3-20261201000000000001", stamp) == f"p-trials-v3-{stamp}"
    )
    assert snapshots.restored_name("legacy", stamp) == f"legacy-restored-{stamp}"
