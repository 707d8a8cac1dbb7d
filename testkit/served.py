"""`trials serve` as a real process, for tests of what only the served command does."""

from __future__ import annotations

import asyncio
from typing import IO

import aiohttp

from testkit.children import child_env, trials_executable
from trials.settings import Settings


def serve_env(settings: Settings, port: int, **extra: str) -> dict[str, str]:
    """For `trials serve` on `port` against the test node."""
    return child_env(
        ",".join(settings.es_hosts), settings.index_prefix, TRIALS_API_PORT=str(port), **extra
    )


async def start_serve(
    env: dict[str, str], *, stdout: int, stderr: IO[bytes] | int
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        trials_executable(), "serve", env=env, stdout=stdout, stderr=stderr
    )


async def serve_ready(
    settings: Settings,
    port: int,
    stderr: IO[bytes] | int,
    *,
    answering: str = "/ready",
    **env: str,
) -> asyncio.subprocess.Process:
    """`trials serve` on `port` as in production (default log level: one access-log line per
    request, to `stderr`), once `answering` answers 200; killed when it never does. `env`: more
    of the child's environment (e.g. PYTHONPATH)."""
    environment = serve_env(settings, port, TRIALS_API_HOST="127.0.0.1", **env)
    process = await start_serve(environment, stdout=asyncio.subprocess.DEVNULL, stderr=stderr)
    try:
        async with aiohttp.ClientSession() as http:
            await wait_answering(http, f"http://127.0.0.1:{port}{answering}", 20, process)
    except AssertionError:
        process.kill()
        raise
    return process


async def wait_answering(
    http: aiohttp.ClientSession,
    url: str,
    seconds: float = 10.0,
    process: asyncio.subprocess.Process | None = None,
) -> None:
    """Until `url` answers 200; fails if it never does, or if `process` (what should answer)
    exits first."""
    for _ in range(int(seconds / 0.1)):
        if process is not None and process.returncode is not None:
            raise AssertionError(f"`trials serve` exited with {process.returncode}")
        try:
            async with http.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"{url} did not answer 200 within {seconds:.0f} s")
