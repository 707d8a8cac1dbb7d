"""A `trials index --source icreat` child on the tests' world, and the run killed mid-bulk:
a relay in front of the real node passes the child's `_bulk` through, then withholds the
node's answers; the child is SIGKILLed once the node has applied what it was sent."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from testkit.children import child_env, trials_executable
from tests.indexer.conftest import Env


class StallingRelay:
    """TCP relay to the node; after the first `/_bulk` request passes, answers stop."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 9200
        self.bulk_sent = asyncio.Event()
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)

    async def close(self) -> None:
        for writer in self.writers:
            writer.close()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(self.host, self.port)
        self.writers += [writer, up_writer]

        async def requests() -> None:
            while data := await reader.read(65536):
                if b"/_bulk" in data:
                    self.bulk_sent.set()
                up_writer.write(data)
                await up_writer.drain()

        async def answers() -> None:
            while data := await up_reader.read(65536):
                if not self.bulk_sent.is_set():
                    writer.write(data)
                    await writer.drain()

        with contextlib.suppress(ConnectionError, OSError):
            await asyncio.gather(requests(), answers())


async def start_icreat_index(
    env: Env, es_url: str | None = None, output: int = asyncio.subprocess.DEVNULL
) -> asyncio.subprocess.Process:
    """`trials index --source icreat` against the env's registry and index prefix, through
    `es_url` (the env's node by default); stdout and stderr go to `output`."""
    environment = child_env(
        es_url or env.settings.es_hosts[0],
        env.settings.index_prefix,
        TRIALS_ICREAT_URL=env.settings.icreat_url,
        TRIALS_DATA_GO_KR_KEY=env.settings.data_go_kr_key,
    )
    return await asyncio.create_subprocess_exec(
        trials_executable(),
        *("index", "--source", "icreat"),
        env=environment,
        stdout=output,
        stderr=output,
    )


async def kill_mid_bulk(env: Env, applied: Callable[[], Awaitable[int]]) -> int:
    """Run an icreat index child through a `StallingRelay`, wait until `applied()` (what the
    node holds of the child's writes) is non-zero and stops growing, SIGKILL the child while it
    still waits for its answer, and return that last `applied()`."""
    relay = StallingRelay(env.settings.es_hosts[0])
    await relay.start()
    child = await start_icreat_index(env, relay.url)
    try:
        await asyncio.wait_for(relay.bulk_sent.wait(), 60)
        done, previous = 0, -1
        for _ in range(100):  # until the node has applied every bulk the child waits on
            await asyncio.sleep(0.3)
            done, previous = await applied(), done
            if done and done == previous:
                break
        assert child.returncode is None  # still waiting for the answer it will never get
    finally:
        child.send_signal(signal.SIGKILL)
        await child.wait()
        await relay.close()
    return done
