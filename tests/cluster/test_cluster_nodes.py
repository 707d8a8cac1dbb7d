"""`trials es start --nodes N`, `status` and `stop` as a user runs them (child processes), and
what a cluster is for: with one replica every shard has a copy on another node, so the indices
are green."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from elasticsearch import AsyncElasticsearch

from indexer.run import RunOptions, run_source
from localnode import probe
from localnode.cluster import LocalCluster
from localnode.layout import Layout
from localnode.topology import Topology
from testkit.children import trials_executable
from testkit.elastic_node import free_port_run
from tests.cluster.drills import names_of
from tests.cluster.evidence import measured
from trials import snapshots
from trials.indices import Names, indices_behind
from trials.settings import Settings


def local_env(base_port: int, **extra: str) -> dict[str, str]:
    """`trials` pointed at the local cluster whose first node is on `base_port` (the same
    install as the session's node: TRIALS_ES_HOME as the tests have it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALS_")}
    home = Settings.from_env().es_home
    env.update(TRIALS_ES_PORT=str(base_port), **extra)
    if home is not None:
        env["TRIALS_ES_HOME"] = str(home)
    return env


def trials(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [trials_executable(), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=400,
    )


def test_status_lists_every_node_and_start_again_is_a_noop(cluster: LocalCluster) -> None:
    env = local_env(cluster.topology.base.port)
    done = trials(["es", "status", "--json"], env)
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    nodes = status["nodes"]
    assert [n["name"] for n in nodes] == names_of(cluster)
    assert sum(n["master"] for n in nodes) == 1
    assert {n["heap_max_mb"] for n in nodes} == {512}
    assert [f"http://{n['http']}" for n in nodes] == list(cluster.urls)
    assert all("m" in n["roles"] and "d" in n["roles"] for n in nodes)
    assert status["cluster_name"] == cluster.topology.cluster_name
    assert status["health"] == "green"

    table = trials(["es", "status"], env).stdout.splitlines()
    assert f"cluster         {cluster.topology.cluster_name} (3 nodes)" in table
    node_lines = [line.split() for line in table if line.startswith("node ")]
    assert [line[1] for line in node_lines] == names_of(cluster)
    assert sum(line[2] == "master" for line in node_lines) == 1

    again = trials(["es", "start", "--nodes", "3"], env)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"Elasticsearch is already running at {', '.join(cluster.urls)}"


async def test_with_one_replica_the_indices_are_green_each_copy_on_another_node(
    on_cluster: tuple[Settings, AsyncElasticsearch],
) -> None:
    settings, es = on_cluster
    names = Names.from_settings(settings)
    health = await es.cluster.health(index=f"{settings.index_prefix}*")
    assert health["status"] == "green"
    assert health["unassigned_shards"] == 0
    shards = (await es.cat.shards(index=names.trials, format="json")).body
    by_shard: dict[str, list[str]] = {}
    for shard in shards:
        by_shard.setdefault(shard["shard"], []).append(shard["node"])
    assert len(by_shard) == 3
    assert all(len(set(held)) == 2 for held in by_shard.values()), by_shard  # apart
    assert len({node for held in by_shard.values() for node in held}) == 3  # all nodes hold some


def test_a_single_node_grows_to_two_green_ones_that_stop_together_and_stay_a_cluster(
    settings: Settings,
) -> None:
    """The path of a user who outgrows one node: a single node with data, stopped, started
    again with --nodes 2 (not while it runs alone: it would admit no other node)."""
    base = free_port_run(2)
    topology = Topology(Layout.for_settings(Settings.from_env().es_home, base), 2)
    urls = [f"http://127.0.0.1:{base}", f"http://127.0.0.1:{base + 1}"]
    env = local_env(base)
    try:
        alone = trials(["es", "start"], env)
        assert alone.returncode == 0, alone.stderr
        while_alone = trials(["es", "start", "--nodes", "2"], env)
        assert while_alone.returncode == 1
        assert while_alone.stderr.strip() == (
            f"trials: 1 node from port {base} already running: `trials es stop` first, then "
            "`trials es start --nodes 2`"
        )
        assert trials(["es", "stop"], env).stdout.strip() == "Elasticsearch stopped"

        began = time.monotonic()
        started = trials(["es", "start", "--nodes", "2"], env)
        seconds = time.monotonic() - began
        assert started.returncode == 0, started.stderr
        assert started.stdout.startswith(f"Elasticsearch started at {', '.join(urls)} in ")

        prefix = f"two-{os.getpid()}-"
        made = trials(
            ["es", "init"],
            {
                **env,
                "TRIALS_ES_URL": ",".join(urls),
                "TRIALS_INDEX_PREFIX": prefix,
                "TRIALS_INDEX_REPLICAS": "1",
            },
        )
        assert made.returncode == 0, made.stderr
        health = probe.get_json(
            f"{urls[1]}/_cluster/health/{prefix}*?wait_for_status=green&timeout=60s", timeout=70
        )
        assert (health["status"], health["number_of_nodes"]) == ("green", 2)
        assert health["active_shards"] == 2 * health["active_primary_shards"] > 0

        status = json.loads(trials(["es", "status", "--json"], env).stdout)
        assert [n["name"] for n in status["nodes"]] == ["trials-local-1", "trials-local-2"]
        pids = [n["pid"] for n in status["nodes"]]

        stopped = trials(["es", "stop"], env)
        assert stopped.returncode == 0, stopped.stderr
        assert stopped.stdout.strip() == "Elasticsearch stopped (2 nodes)"
        assert not any(Path(f"/proc/{pid}").exists() for pid in pids)
        assert not any(probe.port_in_use(port) for port in (base, base + 1))

        shrunk = trials(["es", "start"], env)  # --nodes 1 on data of a 2-node cluster
        assert shrunk.returncode == 1
        assert "belongs to a 2-node cluster (its data says so): start it with --nodes 2" in (
            shrunk.stderr
        )
        measured(nodes=2, start_s=round(seconds, 1), health=health["status"])
    finally:
        LocalCluster(topology).stop()
        for member in topology.members:
            shutil.rmtree(member.node_dir, ignore_errors=True)


async def test_a_backup_on_the_cluster_brings_back_a_deleted_index(
    on_cluster: tuple[Settings, AsyncElasticsearch],
) -> None:
    """Every node writes its shards into the one folder all three have as path.repo."""
    settings, es = on_cluster
    names = Names.from_settings(settings)
    run = await run_source(es, settings, "demo", RunOptions(demo_count=200))
    assert run.status == "completed", run.message
    backup = await snapshots.create(es, names)
    assert backup.counts[names.trials] == 200
    await es.indices.delete(index=await indices_behind(es, names.trials))
    restored = await snapshots.restore(es, settings, None)
    await es.indices.refresh(index=names.trials)
    assert (await es.count(index=names.trials))["count"] == 200
    health = await es.cluster.health(index=restored.indices[names.trials], wait_for_status="green")
    assert health["status"] == "green"  # restored with this cluster's replica
    measured(backup=backup.name, documents=200, restored=restored.indices[names.trials])
