"""`SIGKILL` while a bulk request is in flight: a relay in front of the real node passes the
indexer's `_bulk` through and then withholds the node's answer, so the process dies after the
node applied writes it never heard about (the hardest moment: tests/indexer's killed-run test
kills between pages). The next run converges: no duplicates, the applied writes recognised as
unchanged, the killed run closed as failed."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from urllib.parse import urlsplit

from testkit.children import child_env, trials_executable
from testkit.registry.server import GeneratedRows
from tests.faults.evidence import fault, ran
from tests.indexer.conftest import Env
from trials.indices import ensure_indices

TOTAL = 1500


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


async def _count(env: Env) -> int:
    await env.es.indices.refresh(index=env.names.trials)
    return int((await env.es.count(index=env.names.trials))["count"])


async def test_killed_during_a_bulk_request_the_next_run_converges(env: Env) -> None:
    env.state.icreat = GeneratedRows(TOTAL)
    await ensure_indices(env.es, env.settings)
    relay = StallingRelay(env.settings.es_hosts[0])
    await relay.start()
    environment = child_env(
        relay.url,
        env.settings.index_prefix,
        TRIALS_ICREAT_URL=env.settings.icreat_url,
        TRIALS_DATA_GO_KR_KEY=env.settings.data_go_kr_key,
    )
    child = await asyncio.create_subprocess_exec(
        trials_executable(),
        *("index", "--source", "icreat"),
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await asyncio.wait_for(relay.bulk_sent.wait(), 60)
        applied, previous = 0, -1
        for _ in range(100):  # until the node has applied every bulk the child waits on
            await asyncio.sleep(0.3)
            applied, previous = await _count(env), applied
            if applied and applied == previous:
                break
        assert child.returncode is None  # still waiting for the answer it will never get
    finally:
        child.send_signal(signal.SIGKILL)
        await child.wait()
        await relay.close()
    assert 0 < applied < TOTAL

    run = await env.run("icreat")
    fault(
        1,  # one SIGKILL
        f"{applied} writes applied by the node that the killed process never heard about",
        then=f"next run {ran(run)}",
        lost=TOTAL - await _count(env),
    )
    assert run.status == "completed", run.message
    c = run.counts
    assert (c.fetched, c.created + c.unchanged) == (TOTAL, TOTAL)
    assert c.unchanged == applied  # the writes it never heard about are recognised
    assert (c.updated, c.failed, c.stale) == (0, 0, 0)
    assert await _count(env) == TOTAL  # each record exactly once
    found = await env.es.search(index=env.names.sync_log, query={"term": {"source": "icreat"}})
    statuses = sorted(h["_source"]["status"] for h in found["hits"]["hits"])
    assert statuses == ["completed", "failed"]  # the killed run closed by the next one
