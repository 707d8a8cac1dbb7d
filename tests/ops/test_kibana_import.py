"""`trials kibana import` against a small local stand-in for *Kibana* (not Elasticsearch): it
checks the request the way Kibana's saved-objects import API does, and keeps what it received."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
from aiohttp import web

from cli import main
from kibana.saved_objects import load_objects


@dataclass
class FakeKibana:
    url: str = ""
    saved: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    requests: int = 0
    reply: tuple[int, dict[str, Any]] | None = None  # forced answer, after the checks


KIBANA = web.AppKey("kibana", FakeKibana)


async def _import(request: web.Request) -> web.Response:
    kibana = request.app[KIBANA]
    kibana.requests += 1
    if request.headers.get("kbn-xsrf") is None:
        return web.json_response({"statusCode": 400, "message": "missing kbn-xsrf"}, status=400)
    if request.query.get("overwrite") != "true":
        return web.json_response({"statusCode": 409, "message": "overwrite=true expected"}, 409)
    form = await request.post()
    upload = form.get("file")
    if not isinstance(upload, web.FileField) or not upload.filename.endswith(".ndjson"):
        return web.json_response({"statusCode": 415, "message": "expected an ndjson file"}, 415)
    objects = [orjson.loads(line) for line in upload.file.read().splitlines() if line.strip()]
    if kibana.reply:
        return web.json_response(kibana.reply[1], status=kibana.reply[0])
    for obj in objects:
        kibana.saved[(obj["type"], obj["id"])] = obj
    return web.json_response({"success": True, "successCount": len(objects), "errors": []})


@pytest.fixture
async def kibana() -> AsyncIterator[FakeKibana]:
    fake = FakeKibana()
    app = web.Application()
    app[KIBANA] = fake
    app.router.add_post("/api/saved_objects/_import", _import)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    fake.url = f"http://127.0.0.1:{port}"
    yield fake
    await runner.cleanup()


async def run_cli(*argv: str) -> int:
    # The command runs its own event loop (asyncio.run), so it runs in a thread while the fake
    # Kibana keeps serving on this test's loop.
    return await asyncio.to_thread(main, list(argv))


async def test_import_sends_every_object_and_reports_success(
    kibana: FakeKibana, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run_cli("kibana", "import", "--url", kibana.url) == 0
    expected = load_objects()
    assert set(kibana.saved) == {(o["type"], o["id"]) for o in expected}
    assert f"Imported {len(expected)} of {len(expected)} saved objects" in capsys.readouterr().out


async def test_import_is_idempotent_and_uses_the_prefix(
    kibana: FakeKibana, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("TRIALS_INDEX_PREFIX", "acme-")
    clean_env.setenv("TRIALS_KIBANA_URL", kibana.url)  # the default when --url is not given
    assert await run_cli("kibana", "import") == 0
    first = dict(kibana.saved)
    assert await run_cli("kibana", "import") == 0
    assert kibana.requests == 2
    assert kibana.saved == first
    views = [o for (kind, _), o in kibana.saved.items() if kind == "index-pattern"]
    titles = {v["attributes"]["title"] for v in views}
    assert titles == {"acme-trials", "acme-trials-sync-log", "acme-trials-history"}


async def test_import_errors_reported_by_kibana_fail_the_command(
    kibana: FakeKibana, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = {"type": "missing_references", "references": [{"type": "index-pattern", "id": "x"}]}
    kibana.reply = (
        200,
        {
            "success": False,
            "successCount": 9,
            "errors": [{"id": "trials-by-phase", "type": "lens", "error": missing}],
        },
    )
    assert await run_cli("kibana", "import", "--url", kibana.url) == 1
    err = capsys.readouterr().err
    assert "lens trials-by-phase: missing_references index-pattern:x" in err


async def test_a_refused_request_fails_with_kibanas_message(
    kibana: FakeKibana, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kibana.reply = (400, {"statusCode": 400, "message": "Unsupported saved object version"})
    assert await run_cli("kibana", "import", "--url", kibana.url) == 1
    assert "HTTP 400): Unsupported saved object version" in capsys.readouterr().err


async def test_unreachable_kibana_is_a_clear_error(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert await run_cli("kibana", "import", "--url", f"http://127.0.0.1:{port}") == 1
    assert f"Kibana is unreachable at http://127.0.0.1:{port}" in capsys.readouterr().err


async def test_bad_arguments_are_usage_errors(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    assert await run_cli("kibana", "import", "--url", "kibana:5601") == 2
    assert await run_cli("kibana", "import", "--file", str(tmp_path / "none.ndjson")) == 2
    err = capsys.readouterr().err
    assert "--url must be an http(s) URL" in err
    assert "cannot read saved objects" in err
