"""Soak: N minutes (default 10) of mixed API traffic at moderate concurrency while `trials
schedule` syncs every minute from a fake registry whose iCReaT records change each minute
(edited, added, removed). Not part of CI.

The API (`trials serve`) and the sync runner (`trials schedule`) run as child processes with
secrets set, so their resident memory and their logs are their own. At the end the registry
stops changing, the next scheduled sync of every source is awaited, and the index is compared
with the registry. Passes with zero 5xx, zero lost or duplicated records, memory growth after
warm-up under 10%, and no secret in any log. Writes bench/soak/last-run.json. Usage:
    .venv/bin/python -m bench.soak [--minutes 10]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import platform
import random
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.soak.memory import Samples, sample
from bench.soak.registry import ChangingIcreat
from bench.soak.traffic import Traffic, drive
from bench.soak.verify import Verdict, verify_icreat, verify_static
from indexer.sources.icreat import ID_KEY
from testkit.children import child_env, trials_executable
from testkit.elastic_node import free_port
from testkit.registry.server import RegistryState, start_registry
from testkit.served import wait_answering
from trials.es import make_client
from trials.indices import Names
from trials.settings import Settings

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "last-run.json"
KEY = "soak+Key/with=="  # the portal's "Decoding" form, the hardest to keep out of logs
ADMIN = "soak-admin-token-5f0c"
GROWTH_LIMIT = 0.10


def soak_env(settings: Settings, prefix: str, base: str) -> dict[str, str]:
    return child_env(
        ",".join(settings.es_hosts),
        prefix,
        TRIALS_DATA_GO_KR_KEY=KEY,
        TRIALS_ADMIN_TOKEN=ADMIN,
        TRIALS_ICREAT_URL=f"{base}/icreat",
        TRIALS_CRIS_URL=f"{base}/cris",
        TRIALS_CTGOV_URL=f"{base}/ctgov",
        TRIALS_SCHEDULE="* * * * *",
        TRIALS_LOG_LEVEL="info",
    )


async def spawn(args: list[str], env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("wb") as out:
        return await asyncio.create_subprocess_exec(
            trials_executable(), *args, env=env, stdout=out, stderr=out
        )


async def runs_since(es: Any, alias: str, since: str) -> list[dict[str, Any]]:
    await es.indices.refresh(index=alias)
    found = await es.search(index=alias, query={"range": {"started_at": {"gte": since}}}, size=100)
    return [h["_source"] for h in found["hits"]["hits"]]


async def await_final_syncs(es: Any, alias: str, since: str, timeout_s: float) -> list[str]:
    """Run ids of one finished scheduled run per real source, started after `since`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        runs = [r for r in await runs_since(es, alias, since) if r["trigger"] == "schedule"]
        done = {r["source"]: r for r in runs if r["status"] != "running"}
        if {"icreat", "cris", "ctgov"} <= done.keys():
            return [done[s]["run_id"] for s in ("icreat", "cris", "ctgov")]
        await asyncio.sleep(2)
    raise RuntimeError("no scheduled sync of every source finished after the last change")


async def run_counts(es: Any, alias: str) -> dict[str, int]:
    await es.indices.refresh(index=alias)
    found = await es.search(
        index=alias, size=0, aggs={"s": {"terms": {"field": "status", "size": 10}}}
    )
    return {b["key"]: b["doc_count"] for b in found["aggregations"]["s"]["buckets"]}


def commit() -> str:
    """The commit the soak ran on (a dirty tree says so)."""
    head = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=HERE, capture_output=True, text=True
    )
    return head.stdout.strip() or "unknown"


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def soak(args: argparse.Namespace) -> dict[str, Any]:
    base_settings = Settings.from_env()
    prefix = f"soak-{uuid.uuid4().hex[:6]}-"
    settings = dataclasses.replace(base_settings, index_prefix=prefix)
    names = Names.from_settings(settings)
    icreat = ChangingIcreat(args.records)
    state = RegistryState(key=KEY, icreat=icreat.rows)
    registry, base = await start_registry(state)
    env = soak_env(settings, prefix, base)
    logs = HERE / "logs"
    logs.mkdir(exist_ok=True)
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    es = make_client(settings)
    # deployed as the README says: indices and a first sync before the API serves
    first = await spawn(["index"], env, logs / "first-index.log")
    if await first.wait() != 0:
        raise RuntimeError("the first `trials index` failed; see bench/soak/logs/first-index.log")
    serve = await spawn(["serve", "--port", str(port)], env, logs / "serve.log")
    runner = await spawn(["schedule"], env, logs / "schedule.log")
    rng = random.Random(5)
    stop_traffic, stop_memory = asyncio.Event(), asyncio.Event()
    memory = [Samples("service", serve.pid), Samples("indexer", runner.pid)]
    changes = []
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as http:
            await wait_answering(http, f"{api}/health", seconds=30, process=serve)
            live_ids = lambda: [r[ID_KEY] for r in state.icreat[:200]]  # noqa: E731
            traffic = Traffic(http, api, ADMIN, live_ids)
            sampler = asyncio.create_task(sample(memory, 2.0, stop_memory))
            load = asyncio.create_task(drive(traffic, args.workers, args.think, stop_traffic))
            began = time.monotonic()
            total_s = args.minutes * 60
            round_no = 0
            while time.monotonic() - began < total_s - 60:
                # change mid-minute: the cron syncs start on the minute
                await asyncio.sleep(60 - (time.time() % 60) + 30)
                round_no += 1
                change = icreat.change(round_no, rng, args.per_round)
                state.icreat = icreat.rows
                changes.append(dataclasses.asdict(change))
                print(f"[{(time.monotonic() - began) / 60:4.1f} min] round {round_no}: {change}")
            last_change = utcnow()
            remaining = total_s - (time.monotonic() - began)
            await asyncio.sleep(max(remaining, 0))
            final = await await_final_syncs(es, names.sync_log, last_change, 150)
            stop_traffic.set()
            await load
            elapsed = time.monotonic() - began
            stop_memory.set()
            await sampler
            verdicts = [
                await verify_icreat(es, names.trials, icreat.rows, icreat.ever),
                await verify_static(
                    es, names.trials, "cris", {i["trial_id"] for i in state.cris_items}
                ),
                await verify_static(
                    es,
                    names.trials,
                    "ctgov",
                    {s["protocolSection"]["identificationModule"]["nctId"] for s in state.ctgov},
                ),
            ]
            statuses = await run_counts(es, names.sync_log)
    finally:
        for process in (serve, runner):
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(process.wait(), 20)
                except TimeoutError:
                    process.kill()
        await registry.cleanup()
        await es.indices.delete(index=f"{prefix}*", ignore_unavailable=True, allow_no_indices=True)
        await es.close()
    leaked = {
        name: (logs / f"{name}.log").read_text(errors="replace").count(secret)
        for name in ("serve", "schedule")
        for secret in (KEY, ADMIN)
    }
    return report(args, traffic, memory, verdicts, statuses, changes, final, elapsed, leaked)


def report(
    args: argparse.Namespace,
    traffic: Traffic,
    memory: list[Samples],
    verdicts: list[Verdict],
    statuses: dict[str, int],
    changes: list[dict[str, int]],
    final_runs: list[str],
    elapsed: float,
    leaked: dict[str, int],
) -> dict[str, Any]:
    tally = traffic.tally
    lat = sorted(tally.latencies)
    warmup_s = args.warmup * 60
    rss = {}
    for one in memory:
        after, last, growth = one.growth(warmup_s, 60.0, elapsed)
        rss[one.name] = {
            "after_warmup_kb": after,
            "last_minute_kb": last,
            "growth": growth,
            "peak_kb": max((kb for _, kb in one.points), default=0),
            "samples": len(one.points),
        }
    fivexx = sum(n for s, n in tally.by_status.items() if s >= 500)
    result = {
        "finished_at": utcnow(),
        "minutes": round(elapsed / 60, 2),
        "workers": args.workers,
        "think_s": args.think,
        "records": args.records,
        "requests": sum(tally.by_status.values()),
        "by_status": {str(k): v for k, v in sorted(tally.by_status.items())},
        "by_kind": dict(tally.by_kind),
        "transport_errors": dict(tally.errors),
        "p50_ms": lat[len(lat) // 2] * 1000 if lat else None,
        "p99_ms": lat[int(len(lat) * 0.99)] * 1000 if lat else None,
        "max_ms": lat[-1] * 1000 if lat else None,
        "fivexx": fivexx,
        "fivexx_examples": tally.fivexx,
        "change_rounds": len(changes),
        "changes": {k: sum(c[k] for c in changes) for k in ("edited", "added", "removed")},
        "sync_runs": statuses,
        "final_runs": final_runs,
        "verdicts": [dataclasses.asdict(v) for v in verdicts],
        "rss": rss,
        "secret_occurrences_in_logs": leaked,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "commit": commit(),
    }
    result["passed"] = (
        fivexx == 0
        and not tally.errors
        and all(v.ok for v in verdicts)
        and all(r["growth"] < GROWTH_LIMIT for r in rss.values())
        and not any(leaked.values())
    )
    return result


def table(r: dict[str, Any]) -> str:
    lines = [
        f"soak: {r['minutes']} min, {r['workers']} workers, {r['records']} iCReaT records, "
        f"{r['change_rounds']} change rounds {r['changes']}",
        f"requests {r['requests']:,}  by status {r['by_status']}  transport errors "
        f"{r['transport_errors'] or 0}  p50 {r['p50_ms']:.1f} ms  p99 {r['p99_ms']:.1f} ms",
        f"sync runs by status {r['sync_runs']}",
        "",
        f"{'source':<8} {'expected':>9} {'live':>7} {'lost':>5} {'stale':>6} {'not rm':>7} "
        f"{'dup':>4}",
    ]
    for v in r["verdicts"]:
        lines.append(
            f"{v['source']:<8} {v['expected_live']:>9} {v['live']:>7} {v['lost']:>5} "
            f"{v['stale_content']:>6} {v['not_removed']:>7} {v['duplicated']:>4}"
        )
    lines += ["", f"{'process':<8} {'after warm-up':>14} {'last minute':>12} {'growth':>8}"]
    for name, m in r["rss"].items():
        lines.append(
            f"{name:<8} {m['after_warmup_kb'] / 1024:>11.1f} MB {m['last_minute_kb'] / 1024:>9.1f}"
            f" MB {m['growth']:>+8.1%}"
        )
    lines += [
        "",
        f"5xx: {r['fivexx']}   secrets in logs: {sum(r['secret_occurrences_in_logs'].values())}",
        "PASS" if r["passed"] else "FAIL",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0, help="minutes before measuring")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--think", type=float, default=0.05, help="seconds between requests")
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--per-round", type=int, default=15, help="records added and removed")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = asyncio.run(soak(args))
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(table(result))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
