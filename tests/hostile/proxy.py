"""A recording HTTP proxy in front of the real node: every request the service sends to
Elasticsearch passes through unchanged and is kept (method, path, body), so a test can check
what reached the node. It runs its own event loop in a thread, beside a service that runs as a
separate process. It forwards to the real node; it never answers for it."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web
from yarl import URL

_HOP = {"host", "content-length", "transfer-encoding", "connection", "keep-alive"}


@dataclass(frozen=True)
class Sent:
    method: str
    path: str  # raw path and query, as sent
    body: bytes


@dataclass
class RecordingProxy:
    target: str
    # Kept out of repr: it grows with every request, and hypothesis reprs the fixtures of each
    # example it reports (a 150 kB repr turns into a HypothesisWarning, an error in our runs)
    sent: list[Sent] = field(default_factory=list, repr=False)
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _runner: web.AppRunner | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.sent.append(Sent(request.method, request.raw_path, body))
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        url = URL(self.target.rstrip("/") + request.raw_path, encoded=True)
        async with (
            aiohttp.ClientSession() as session,
            session.request(request.method, url, data=body, headers=headers) as upstream,
        ):
            payload = await upstream.read()
            passed = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP}
            passed.pop("Content-Encoding", None)
            return web.Response(status=upstream.status, body=payload, headers=passed)

    async def _serve(self, ready: threading.Event) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()

    def start(self) -> None:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.create_task(self._serve(ready))
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="es-recording-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the recording proxy did not start")

    def stop(self) -> None:
        assert self._loop is not None
        assert self._thread is not None
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
