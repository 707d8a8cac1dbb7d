"""Session fixtures: one real node, one index prefix per session, cleaned up at the end.

Without a node every test that needs one fails, so a broken node never shows as a green run.
`TRIALS_TESTS_SKIP_NODE=1` asks for those tests to be skipped instead, and the summary says so."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from elasticsearch import AsyncElasticsearch

from testkit.children import child_env
from testkit.elastic_node import NoNode, provide_node
from trials.es import make_client
from trials.indices import ensure_indices
from trials.settings import Settings

SKIP_NODE_VARIABLE = "TRIALS_TESTS_SKIP_NODE"
SKIP_NODE = pytest.StashKey[bool]()
SKIPPED_ON_REQUEST = "node test skipped on request"


def pytest_configure(config: pytest.Config) -> None:
    # Read and removed before any Settings is built: it is the test suite's switch, and
    # Settings.from_env() would report it as an unknown TRIALS_* setting.
    config.stash[SKIP_NODE] = os.environ.pop(SKIP_NODE_VARIABLE, "").strip() == "1"


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    if not config.stash.get(SKIP_NODE, False):
        return
    skipped = [
        r
        for r in terminalreporter.stats.get("skipped", [])
        if SKIPPED_ON_REQUEST in str(r.longrepr)
    ]
    terminalreporter.write_sep(
        "=", f"{len(skipped)} Elasticsearch node tests skipped on request ({SKIP_NODE_VARIABLE}=1)"
    )


def _answers(url: str) -> None:
    """Raise NoNode unless something answers HTTP at `url` (any status: a node asking for
    credentials is still a node)."""
    try:
        with urllib.request.urlopen(url, timeout=10):
            return
    except urllib.error.HTTPError as answered:
        answered.close()
        return
    except (OSError, ValueError) as exc:
        raise NoNode(f"nothing answers at {url}: {exc}") from exc


@pytest.fixture(scope="session")
def es_url(request: pytest.FixtureRequest) -> Iterator[str]:
    try:
        with provide_node() as url:
            _answers(url)
            yield url
    except NoNode as exc:
        if request.config.stash.get(SKIP_NODE, False):
            pytest.skip(f"{SKIPPED_ON_REQUEST} ({SKIP_NODE_VARIABLE}=1): {exc}")
        pytest.fail(
            f"no Elasticsearch node for the tests that need one: {exc}. "
            f"Start one (`trials es start`) or point TRIALS_ES_URL at one; to skip these "
            f"tests instead, set {SKIP_NODE_VARIABLE}=1.",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def index_prefix() -> str:
    return f"test-{uuid.uuid4().hex[:8]}-"


@pytest.fixture(scope="session")
def settings(es_url: str, index_prefix: str) -> Settings:
    return Settings.from_env(child_env(es_url, index_prefix))


@pytest.fixture(scope="session")
async def es(settings: Settings) -> AsyncIterator[AsyncElasticsearch]:
    client = make_client(settings)
    try:
        await client.cluster.health(wait_for_status="yellow", timeout="60s")
        yield client
    finally:
        await client.indices.delete(
            index=f"{settings.index_prefix}*", ignore_unavailable=True, allow_no_indices=True
        )
        await client.close()


@pytest.fixture(scope="session")
async def initialised(es: AsyncElasticsearch, settings: Settings) -> dict[str, str]:
    """The prefixed indices and aliases of this session, created from mappings/."""
    return await ensure_indices(es, settings)
