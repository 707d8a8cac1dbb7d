"""Two `trials index` processes for the same source started at the same moment: the lock lets
one run, the other refuses with a clear message and exit code 1, and the registry is read and
written once. The registry is slowed so the winner is surely still running when the loser asks
(a demo run of 300 records can finish before a second interpreter has even started)."""

from __future__ import annotations

import asyncio

from testkit.children import child_env, trials_executable
from testkit.registry.server import GeneratedRows
from tests.faults.evidence import fault
from tests.indexer.conftest import Env
from trials.indices import ensure_indices

TOTAL = 1000


def _child_env(env: Env) -> dict[str, str]:
    return child_env(
        ",".join(env.settings.es_hosts),
        env.settings.index_prefix,
        TRIALS_ICREAT_URL=env.settings.icreat_url,
        TRIALS_DATA_GO_KR_KEY=env.settings.data_go_kr_key,
    )


async def test_two_processes_one_runs_the_other_refuses(env: Env) -> None:
    env.state.icreat = GeneratedRows(TOTAL)
    env.state.faults.delay_s = 1.0  # two pages: the winner holds the lock for 2 s or more
    await ensure_indices(env.es, env.settings)
    trials = trials_executable()
    children = [
        await asyncio.create_subprocess_exec(
            trials,
            *("index", "--source", "icreat"),
            env=_child_env(env),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = await asyncio.wait_for(asyncio.gather(*(c.communicate() for c in children)), 120)
    codes = [c.returncode for c in children]
    stored = await env.count("icreat")
    refused = [o[1].decode().strip() for o, c in zip(outputs, codes, strict=True) if c]
    pages = [r for r in env.state.requests if r.startswith("/icreat")]
    fault(
        1,  # one pair of processes
        f"exit codes {sorted(codes)}; " + (refused[0] if refused else "none refused"),  # type: ignore[type-var]
        then=f"{len(pages)} registry pages read, {stored} records stored",
        lost=TOTAL - stored,
    )
    assert sorted(codes) == [0, 1], outputs  # type: ignore[type-var]
    winner = outputs[codes.index(0)]
    loser = outputs[codes.index(1)]
    assert "completed" in winner[0].decode()
    refusal = loser[1].decode()
    assert "trials: icreat was not run: a sync of 'icreat' is already running (" in refusal
    assert "not run" in loser[0].decode()  # its summary row says so too

    assert len(pages) == 2  # only the winner read the registry
    found = await env.es.search(index=env.names.sync_log, query={"term": {"source": "icreat"}})
    runs = [h["_source"] for h in found["hits"]["hits"]]
    assert [(r["status"], r["counts"]["created"]) for r in runs] == [("completed", TOTAL)]
    assert await env.count("icreat") == TOTAL
    assert not await env.es.exists(index=env.names.locks, id="icreat")  # released
