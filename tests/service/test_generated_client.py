"""A client generated from the served OpenAPI 3 spec by openapi-python-client (which refused
the Swagger 2 one) calls search, detail and recent on the running service and reads typed
models back."""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

Client = TestClient[Any, Any]
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "trials_api_client"


@pytest.fixture
def on_path(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


async def generate(client: Client, into: Path) -> None:
    spec = into / "openapi.json"
    spec.write_bytes(await (await client.get("/api/docs/openapi.json")).read())
    process = await asyncio.create_subprocess_exec(
        str(GENERATOR),
        "generate",
        "--path",
        str(spec),
        "--meta",
        "none",
        "--output-path",
        str(into / PACKAGE),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        cwd=into,
        env={**os.environ, "PATH": f"{GENERATOR.parent}:{os.environ.get('PATH', '')}"},
    )
    output, _ = await asyncio.wait_for(process.communicate(), 180)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text
    assert "Unable to parse" not in text, text
    assert "Field required" not in text, text


def module(name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{name}")


async def test_a_generated_client_searches_reads_and_lists_recent(
    client: Client, on_path: Path
) -> None:
    await generate(client, on_path)
    api = module("client").Client(base_url=f"http://127.0.0.1:{client.port}")
    search, detail, recent = (
        module(f"api.trials.{name}") for name in ("search_trials", "get_trial", "recent_trials")
    )
    page_type, trial_type = module("models").SearchPage, module("models").TrialDetail

    async with api:
        page = await search.asyncio(client=api, q="당뇨병", limit=5)
        assert isinstance(page, page_type)
        assert page.total > 0
        assert page.items[0].registry_id
        assert page.facets.source  # a nested model, parsed
        trial = await detail.asyncio(page.items[0].registry_id, client=api)
        assert isinstance(trial, trial_type)
        assert trial.id == page.items[0].id
        changed = await recent.asyncio(client=api, limit=3)
        assert changed.items
        assert changed.items[0].change.value in ("created", "updated")
        missing = await detail.asyncio_detailed("KCT9999999", client=api)
        assert missing.status_code == 404
        assert missing.parsed.status == 404  # the problem body, typed too
