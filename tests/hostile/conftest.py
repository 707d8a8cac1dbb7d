"""The hostile-input world: the service tests' corpus in indices of our own, a recording proxy
in front of the real node, and `trials serve` running as its own process behind it, with the
admin token and a registry key set (so the secrets tests can look for them)."""

from __future__ import annotations

import dataclasses
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk

from testkit.children import child_env, trials_executable
from testkit.elastic_node import free_port
from tests.hostile.api import Api
from tests.hostile.proxy import RecordingProxy
from tests.service import corpus
from trials.indices import Names, ensure_indices
from trials.settings import Settings

ADMIN_TOKEN = "hostile-admin-5e3a9c"
REGISTRY_KEY = "hostile+Key/9q=="  # "Decoding" form: +, / and = change when URL-encoded


@dataclasses.dataclass(frozen=True)
class Served:
    api: Api
    proxy: RecordingProxy
    log: Path
    settings: Settings


@pytest.fixture(scope="session")
def hostile_settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings,
        index_prefix=f"{settings.index_prefix}hostile-",
        admin_token=ADMIN_TOKEN,
        data_go_kr_key=REGISTRY_KEY,
        cursor_secret="hostile-tests",
    )


@pytest.fixture(scope="session")
async def hostile_corpus(es: AsyncElasticsearch, hostile_settings: Settings) -> list[str]:
    """The service tests' trials and one sync run, indexed and searchable; returns the ids."""
    await ensure_indices(es, hostile_settings)
    names = Names.from_settings(hostile_settings)
    now = datetime.now(UTC)
    docs = corpus.trial_docs(now)
    actions = [{"_index": names.trials, "_id": d["id"], "_source": d} for d in docs]
    run = corpus.sync_run_doc("cris-hostile-1", "cris", "completed", now)
    actions.append({"_index": names.sync_log, "_id": run["run_id"], "_source": run})
    await async_bulk(es, actions, refresh="wait_for")
    return [str(d["id"]) for d in docs]


def _serve_env(settings: Settings, es_url: str) -> dict[str, str]:
    return child_env(
        es_url,
        settings.index_prefix,
        TRIALS_ADMIN_TOKEN=settings.admin_token,
        TRIALS_DATA_GO_KR_KEY=settings.data_go_kr_key,
        TRIALS_CURSOR_SECRET=settings.cursor_secret,
        TRIALS_LOG_LEVEL="debug",  # the most the service ever says, to look for secrets in
    )


def _wait_ready(api: Api, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"`trials serve` exited with {process.returncode}")
        try:
            if api.get("/ready").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("`trials serve` did not become ready")


@pytest.fixture(scope="session")
def served(
    es_url: str,
    hostile_settings: Settings,
    hostile_corpus: list[str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    proxy = RecordingProxy(es_url)
    proxy.start()
    port = free_port()
    log = tmp_path_factory.mktemp("hostile") / "serve.log"
    trials = trials_executable()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [trials, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=_serve_env(hostile_settings, proxy.url),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    api = Api("127.0.0.1", port)
    try:
        _wait_ready(api, process)
        yield Served(api, proxy, log, hostile_settings)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        proxy.stop()


@pytest.fixture(scope="session")
def api(served: Served) -> Api:
    return served.api
