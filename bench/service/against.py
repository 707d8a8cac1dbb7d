"""This checkout's API against the API of an earlier revision, in one run on the same node
(issue 15: "API throughput vs direct Elasticsearch stays within 5% of today's ratio"):

Both APIs serve the bench corpus (bench.service's, loaded here) at once: the earlier one as
`trials serve` from `git archive REV`, with the libraries it pinned that this checkout no
longer installs (`--with`, into a folder of their own, put first on its PYTHONPATH). For detail
and search, the requests to the earlier API, to this API and straight to the node take turns
in interleaved rounds; each API's ratio to the node is reported, and this API's ratio as a
share of the earlier one's (target ≥ 0.95), with each API's CPU time a request (its own, from
/proc: steadier than throughput on a shared machine, where a round's share of the cores
moves). Compression is off (`Accept-Encoding: identity`), both access logs are on, as in
production. The earlier API is waited for on /health, not on
/ready: its readiness check may expect an older mapping version. Usage:
    .venv/bin/python -m bench.service.against --rev fc34899 --with aiohttp-apispec==3.0.0b2
        [--docs 60000] [--seconds 5] [--rounds 4] [--concurrency 32]
(fc34899 is the commit before issue 15's work: aiohttp-apispec 3.0.0b2, Swagger 2.0.)
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import IO

import aiohttp

from bench.service.__main__ import PREFIX, Endpoints, drop_corpus, load_corpus
from bench.service.compression import cpu_seconds
from bench.service.load import Stats, add_load_options, hammer, interleaved
from testkit.elastic_node import free_port
from testkit.served import serve_ready
from trials.indices import Names
from trials.settings import Settings

TARGET = 0.95
KINDS = ("detail", "search")
REPO = Path(__file__).resolve().parents[2]


def export_revision(rev: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as opened:
        opened.extractall(into, filter="data")


def install_pins(pins: list[str], into: Path) -> None:
    if pins:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--target",
                str(into),
                *pins,
            ],
            check=True,
        )


@dataclasses.dataclass(frozen=True)
class Served:
    process: asyncio.subprocess.Process
    url: str


async def serve(settings: Settings, log: IO[bytes], **env: str) -> Served:
    port = free_port()
    process = await serve_ready(settings, port, log, answering="/health", **env)
    return Served(process, f"http://127.0.0.1:{port}")


@dataclasses.dataclass(frozen=True)
class Compared:
    stats: dict[str, Stats]  # earlier, this, node
    cpu_ms: dict[str, float]  # each API's CPU time a request it answered (/proc: its own)


async def compare(
    args: argparse.Namespace, earlier: Served, this: Served, settings: Settings
) -> dict[str, Compared]:
    alias = Names.from_settings(settings).trials
    connector = aiohttp.TCPConnector(limit=args.concurrency * 3)
    results = {}
    apis = {"earlier": earlier, "this": this}
    async with aiohttp.ClientSession(connector=connector) as http:
        ends = {
            name: Endpoints(http, api.url, settings.es_hosts[0], alias, args.docs)
            for name, api in apis.items()
        }
        for kind in KINDS:
            calls = {name: getattr(end, f"api_{kind}") for name, end in ends.items()}
            calls["node"] = getattr(ends["this"], f"es_{kind}")
            for call in calls.values():  # warm caches and connections
                await hammer(call, concurrency=args.concurrency, seconds=args.warmup)
            before = {name: cpu_seconds(api.process.pid) for name, api in apis.items()}
            stats = await interleaved(
                calls, concurrency=args.concurrency, seconds=args.seconds, rounds=args.rounds
            )
            cpu_ms = {
                name: 1000 * (cpu_seconds(api.process.pid) - before[name]) / stats[name].requests
                for name, api in apis.items()
            }
            results[kind] = Compared(stats, cpu_ms)
    return results


def report(args: argparse.Namespace, results: dict[str, Compared]) -> None:
    print(
        f"\n{args.docs} documents, concurrency {args.concurrency}, {args.seconds:.0f}s each in "
        f"{args.rounds} interleaved rounds; earlier API: {args.rev}"
    )
    print("        req/s earlier  req/s this  req/s node  ratio earlier  ratio this  this/earlier")
    for kind, compared in results.items():
        stats, cpu_ms = compared.stats, compared.cpu_ms
        node = stats["node"].throughput
        before, now = stats["earlier"].throughput / node, stats["this"].throughput / node
        share = now / before
        met = "met" if share >= TARGET else "NOT met"
        print(
            f"{kind:<7} {stats['earlier'].throughput:>13.0f} {stats['this'].throughput:>11.0f} "
            f"{node:>11.0f} {before:>14.3f} {now:>11.3f} {share:>13.3f}  ({met}: ≥ {TARGET})"
        )
        print(
            f"        p99 ms: earlier {stats['earlier'].p99_ms:.1f}, this "
            f"{stats['this'].p99_ms:.1f}, node {stats['node'].p99_ms:.1f}; the API's CPU a "
            f"request: earlier {cpu_ms['earlier']:.3f} ms, this {cpu_ms['this']:.3f} ms "
            f"({cpu_ms['this'] / cpu_ms['earlier']:.2f}x)"
        )


async def run(args: argparse.Namespace, workdir: Path, logs: tuple[IO[bytes], IO[bytes]]) -> None:
    settings = dataclasses.replace(Settings.from_env(), index_prefix=PREFIX)
    code, pins = workdir / "code", workdir / "pins"
    export_revision(args.rev, code)
    install_pins(args.pins, pins)
    await load_corpus(settings, args.docs)
    processes = []
    try:
        earlier = await serve(settings, logs[0], PYTHONPATH=os.pathsep.join([str(code), str(pins)]))
        processes.append(earlier.process)
        this = await serve(settings, logs[1])
        processes.append(this.process)
        results = await compare(args, earlier, this, settings)
    finally:
        for process in processes:
            process.terminate()
            await process.wait()
        if not args.keep:
            await drop_corpus(settings)
    report(args, results)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.service.against",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rev", required=True, help="the earlier revision (git)")
    parser.add_argument(
        "--with",
        dest="pins",
        action="append",
        default=[],
        help="a requirement the earlier revision needs that this checkout does not install",
    )
    add_load_options(parser, seconds=5.0, rounds=4)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="trials-against-") as workdir,
        tempfile.TemporaryFile() as earlier_log,
        tempfile.TemporaryFile() as this_log,
    ):
        asyncio.run(run(args, Path(workdir), (earlier_log, this_log)))


if __name__ == "__main__":
    main()
