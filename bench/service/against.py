"""This checkout's API against the API of an earlier revision, in one run on the same node
(issue 15: "API throughput vs direct Elasticsearch stays within 5% of today's ratio"):

Both APIs serve the bench corpus (bench.service's, loaded here) at once: the earlier one as
`trials serve` from `git archive REV`, with the libraries it pinned that this checkout no
longer installs (`--with`, into a folder of their own, put first on its PYTHONPATH). For detail
and search, the requests to the earlier API, to this API and straight to the node take turns
in interleaved rounds; each API's ratio to the node is reported, and this API's ratio as a
share of the earlier one's (target ≥ 0.95). Compression is off (`Accept-Encoding: identity`),
both access logs are on, as in production. The earlier API is waited for on /health, not on
/ready: its readiness check may expect an older mapping version. Usage:
    .venv/bin/python -m bench.service.against --rev fc34899 --with aiohttp-apispec==3.0.0b2
        [--docs 60000] [--seconds 5] [--rounds 4] [--concurrency 32]
(fc34899 is the commit before issue 15's work: aiohttp-apispec 3.0.0b2, Swagger 2.0.)
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import IO

import aiohttp

from bench.service.__main__ import PREFIX, Endpoints, drop_corpus, load_corpus
from bench.service.load import Stats, add_load_options, hammer, interleaved
from testkit.elastic_node import free_port
from testkit.served import serve_env, start_serve, wait_answering
from trials.indices import Names
from trials.settings import Settings

TARGET = 0.95
KINDS = ("detail", "search")
REPO = Path(__file__).resolve().parents[2]


def export_revision(rev: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev], check=True, capture_output=True
    ).stdout
    with tempfile.TemporaryFile() as tar:
        tar.write(archive)
        tar.seek(0)
        with tarfile.open(fileobj=tar) as opened:
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


async def serve(
    settings: Settings, log: IO[bytes], pythonpath: str | None = None
) -> tuple[asyncio.subprocess.Process, str]:
    port = free_port()
    env = serve_env(settings, port, TRIALS_API_HOST="127.0.0.1")
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    process = await start_serve(env, stdout=asyncio.subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        await wait_answering(http, f"{url}/health", 30, process)
    return process, url


async def compare(
    args: argparse.Namespace, earlier_url: str, this_url: str, settings: Settings
) -> dict[str, dict[str, Stats]]:
    alias = Names.from_settings(settings).trials
    connector = aiohttp.TCPConnector(limit=args.concurrency * 3)
    results = {}
    async with aiohttp.ClientSession(connector=connector) as http:
        earlier = Endpoints(http, earlier_url, settings.es_hosts[0], alias, args.docs)
        this = Endpoints(http, this_url, settings.es_hosts[0], alias, args.docs)
        for kind in KINDS:
            calls = {
                "earlier": getattr(earlier, f"api_{kind}"),
                "this": getattr(this, f"api_{kind}"),
                "node": getattr(this, f"es_{kind}"),
            }
            for call in calls.values():  # warm caches and connections
                await hammer(call, concurrency=args.concurrency, seconds=args.warmup)
            results[kind] = await interleaved(
                calls, concurrency=args.concurrency, seconds=args.seconds, rounds=args.rounds
            )
    return results


def report(args: argparse.Namespace, results: dict[str, dict[str, Stats]]) -> None:
    print(
        f"\n{args.docs} documents, concurrency {args.concurrency}, {args.seconds:.0f}s each in "
        f"{args.rounds} interleaved rounds; earlier API: {args.rev}"
    )
    print("        req/s earlier  req/s this  req/s node  ratio earlier  ratio this  this/earlier")
    for kind, stats in results.items():
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
            f"{stats['this'].p99_ms:.1f}, node {stats['node'].p99_ms:.1f}"
        )


async def run(args: argparse.Namespace, workdir: Path, logs: tuple[IO[bytes], IO[bytes]]) -> None:
    settings = dataclasses.replace(Settings.from_env(), index_prefix=PREFIX)
    code, pins = workdir / "code", workdir / "pins"
    export_revision(args.rev, code)
    install_pins(args.pins, pins)
    await load_corpus(settings, args.docs)
    processes = []
    try:
        earlier, earlier_url = await serve(
            settings, logs[0], os.pathsep.join([str(code), str(pins)])
        )
        processes.append(earlier)
        this, this_url = await serve(settings, logs[1])
        processes.append(this)
        results = await compare(args, earlier_url, this_url, settings)
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
