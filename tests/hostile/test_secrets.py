"""Secrets never leave: the admin token and the registry key are set on `trials serve` and on
`trials index` (at debug level, the most either ever logs); neither appears in any log line,
any response, or the sync log the API serves, in success and in failure."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import quote, quote_plus, unquote

import pytest

from testkit.children import child_env, trials_executable
from testkit.registry.server import RegistryState, start_registry
from tests.hostile.api import Reply
from tests.hostile.conftest import ADMIN_TOKEN, REGISTRY_KEY, Served

SECRETS = (ADMIN_TOKEN, REGISTRY_KEY)


def forms(secret: str) -> set[str]:
    """The secret as written, and as it travels in a URL."""
    return {secret, quote(secret, safe=""), quote_plus(secret)}


def assert_no_secret(text: str, where: str) -> None:
    for secret in SECRETS:
        for form in forms(secret):
            assert form not in text, f"{form!r} found in {where}"


def _reply_text(reply: Reply) -> str:
    headers = "\n".join(f"{k}: {v}" for k, v in reply.headers.items())
    return headers + "\n" + reply.body.decode("utf-8", "replace")


def _log_after(served: Served, start: int, last: str) -> str:
    """The service log written since byte `start`, once it holds the access line starting with
    `last` (the service writes that line after its response has gone; earlier requests' lines
    are written before it)."""
    deadline = time.monotonic() + 10
    while True:
        with served.log.open("rb") as log:
            log.seek(start)
            text = log.read().decode("utf-8", "replace")
        if f" service.access: {last}" in text or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


def test_the_service_never_echoes_or_logs_its_secrets(served: Served) -> None:
    api = served.api
    start = served.log.stat().st_size
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"}
    replies = [
        api.post("/api/v1/sync-runs", b'{"sources": ["pubmed"]}', auth),  # right token, 400
        api.post("/api/v1/sync-runs", b"{bad json", auth),
        api.post("/api/v1/sync-runs", b"{}", {"Authorization": f"Bearer {ADMIN_TOKEN}x"}),
        api.get(f"/api/v1/trials?q={quote(ADMIN_TOKEN)}"),  # a secret as a search term
        api.get("/api/v1/version"),
        api.get("/ready"),
        api.get("/api/v1/sync-runs"),
        api.get("/api/docs/swagger.json"),
        api.get(f"/api/v1/trials/{quote(REGISTRY_KEY, safe='')}"),
    ]
    *plain, echoed_id = replies
    for reply in plain:
        assert reply.status < 500
        assert_no_secret(_reply_text(reply), f"a {reply.status} response")
    assert echoed_id.status == 404  # its detail quotes the id the client sent, nothing more
    assert ADMIN_TOKEN not in _reply_text(echoed_id)
    log = _log_after(served, start, "GET /api/v1/trials/")
    assert log.count(" service.access: ") >= len(replies), log  # every request was logged
    # The two requests that carried a secret in their own URL are logged with it masked.
    assert " service.access: GET /api/v1/trials?q=*** 200 " in log
    assert " service.access: GET /api/v1/trials/*** 404 " in log
    assert_no_secret(log, "the service log")
    assert_no_secret(unquote(log), "the service log, URL-decoded")  # any other encoding


async def _index(served: Served, base: str) -> tuple[int, str]:
    env = child_env(
        ",".join(served.settings.es_hosts),
        served.settings.index_prefix,
        TRIALS_DATA_GO_KR_KEY=REGISTRY_KEY,
        TRIALS_ADMIN_TOKEN=ADMIN_TOKEN,
        TRIALS_ICREAT_URL=f"{base}/icreat",
        TRIALS_CRIS_URL=f"{base}/cris",
        TRIALS_HTTP_RETRIES="1",
        TRIALS_HTTP_TIMEOUT="2",
        TRIALS_LOG_LEVEL="debug",
    )
    trials = trials_executable()
    child = await asyncio.create_subprocess_exec(
        trials,
        *("index", "--source", "icreat", "--source", "cris"),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(child.communicate(), 120)
    return int(child.returncode or 0), out.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "fault", ["none", "status_500", "bad_key", "quota", "malformed_json", "unreachable"]
)
async def test_a_sync_never_writes_the_key_to_its_output_or_the_sync_log(
    served: Served, fault: str
) -> None:
    state = RegistryState(key=REGISTRY_KEY)
    state.cris_items = state.cris_items[:5]
    state.icreat = state.icreat[:20]
    if fault == "status_500":
        state.faults.status_500 = 100
    elif fault == "bad_key":
        state.key = "another-key"  # the portal refuses ours, naming the cause
    elif fault == "quota":
        state.faults.xml_error_code = "22"
    elif fault == "malformed_json":
        state.faults.malformed_json = 100
    runner, base = await start_registry(state)
    if fault == "unreachable":
        await runner.cleanup()
    try:
        code, output = await _index(served, base)
    finally:
        if fault != "unreachable":
            await runner.cleanup()
    assert (code == 0) == (fault == "none"), output
    assert "icreat" in output  # the summary table was printed
    if fault not in ("unreachable", "status_500"):  # the key reached the registry, encoded
        assert quote(REGISTRY_KEY, safe="") in state.received_keys
    assert_no_secret(output, f"`trials index` output ({fault})")
    runs = await asyncio.to_thread(served.api.get, "/api/v1/sync-runs?limit=100")
    assert runs.status == 200
    assert_no_secret(runs.body.decode(), "the sync log served by the API")
