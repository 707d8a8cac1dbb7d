"""`trials serve` as a real process, for tests of what only the served command does."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

import aiohttp

from trials.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_env(settings: Settings, port: int, **extra: str) -> dict[str, str]:
    """This machine's environment without TRIALS_* variables, pointed at the test node."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIALS_")}
    env.update(
        TRIALS_ES_URL=",".join(settings.es_hosts),
        TRIALS_INDEX_PREFIX=settings.index_prefix,
        TRIALS_API_PORT=str(port),
        **extra,
    )
    return env


async def start_serve(
    env: dict[str, str], *, stdout: int, stderr: int
) -> asyncio.subprocess.Process:
    trials = str(Path(sys.executable).with_name("trials"))
    return await asyncio.create_subprocess_exec(
        trials, "serve", env=env, stdout=stdout, stderr=stderr
    )


async def wait_answering(http: aiohttp.ClientSession, url: str, seconds: float = 10.0) -> None:
    """Until `url` answers 200; fails the test if it never does."""
    for _ in range(int(seconds / 0.1)):
        try:
            async with http.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"{url} did not answer 200 within {seconds:.0f} s")
