"""Registry faults beyond tests/indexer/test_faults.py (which covers 500, 429 + Retry-After,
timeouts, capped retries, bad key and quota bodies): bodies that are not JSON, cut or dropped
half-way, the gateway's XML error in the middle of a crawl, an empty page in the middle,
duplicate ids across pages and pages larger than asked for; and the retry schedule itself
(exponential backoff with jitter), timed where the requests arrive. In each case nothing already
stored is lost or wrongly tombstoned, the counts add up, and the next clean run converges."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from indexer.http import HttpOptions
from indexer.run import RunResult
from testkit.registry import records
from testkit.registry.server import Faults
from tests.faults.evidence import fault, ran
from tests.indexer.conftest import Env

ICREAT = len(records.icreat_records())
PAGE = 50  # 145 records: pages of 50, 50, 45


async def _live(env: Env) -> int:
    await env.es.indices.refresh(index=env.names.trials)
    source = {"term": {"source": "icreat"}}
    query = {"bool": {"filter": [source], "must_not": [{"exists": {"field": "removed_at"}}]}}
    return int((await env.es.count(index=env.names.trials, query=query))["count"])


async def _converges(
    env: Env, faulty: RunResult, seen: str = "", variant: str | None = None
) -> None:
    """Records the fault as the registry served it and the faulty run as it ended, then a
    clean run (every switch off): every record stored once, live, nothing else written."""
    injected = env.state.injected.total()
    env.state.faults = Faults()
    clean = await env.run("icreat", page_size=PAGE)
    live = await _live(env)
    did = ran(faulty) + (f"; {seen}" if seen else "")
    fault(injected, did, then=f"next run {ran(clean)}", lost=ICREAT - live, variant=variant)
    assert clean.status == "completed", clean.message
    c = clean.counts
    assert c.fetched == ICREAT
    assert c.created + c.unchanged == ICREAT
    assert (c.updated, c.failed, c.removed) == (0, 0, 0)
    assert await env.count("icreat") == await _live(env) == ICREAT


def _adds_up(counts: Any) -> bool:
    c = counts
    return bool(c.fetched == c.created + c.updated + c.unchanged + c.stale + c.rejected + c.failed)


@pytest.mark.parametrize(
    ("switch", "cause"),
    [("malformed_json", "not JSON: <html>Bad Gateway</html>"), ("cut_json", "not JSON: {")],
)
async def test_a_body_that_is_not_json_fails_the_run_clearly(
    env: Env, switch: str, cause: str
) -> None:
    setattr(env.state.faults, switch, 1)
    run = await env.run("icreat", page_size=PAGE)
    assert run.status == "failed"
    assert str(run.message).startswith(f"icreat: {cause}")
    assert len(env.state.requests) == 1  # a body we cannot read is not retried
    logged = (await env.es.get(index=env.names.sync_log, id=run.run_id))["_source"]
    assert (logged["status"], logged["errors"][0]["kind"]) == ("failed", "source")
    requests = f"{len(env.state.requests)} registry request(s)"
    await _converges(env, run, requests, variant=switch.replace("_", " "))


async def test_a_connection_dropped_mid_body_is_retried(env: Env) -> None:
    env.state.faults.truncated = 2
    run = await env.run("icreat", page_size=PAGE)
    assert run.status == "completed", run.message
    assert run.counts.fetched == run.counts.created == ICREAT
    assert len(env.state.requests) == 3 + 2  # two cut answers, then the three pages
    await _converges(env, run, f"{len(env.state.requests)} registry requests for 3 pages")


async def test_the_gateway_xml_error_mid_crawl_keeps_what_was_stored(env: Env) -> None:
    await env.run("icreat", page_size=PAGE)
    rows: list[dict[str, Any]] = env.state.icreat  # type: ignore[assignment]
    rows[0]["연구기간"] = "11년"  # a change on page 1, read before the error
    env.state.faults.xml_error_page = 2
    run = await env.run("icreat", page_size=PAGE, batch_size=PAGE)
    assert run.status == "failed"
    assert "APPLICATION_ERROR" in str(run.message)
    assert run.counts.updated == 1  # page 1 was written before page 2 failed
    assert run.counts.removed == 0  # an unfinished crawl proves nothing about absence
    assert await _live(env) == ICREAT
    await _converges(env, run, f"{await _live(env)} of {ICREAT} records still live")


async def test_an_empty_page_in_the_middle_ends_the_crawl_without_tombstones(env: Env) -> None:
    await env.run("icreat", page_size=PAGE)
    env.state.faults.empty_page = 2
    run = await env.run("icreat", page_size=PAGE)
    assert run.status == "partial"  # a short read is not complete
    assert (run.counts.fetched, run.counts.unchanged, run.counts.removed) == (PAGE, PAGE, 0)
    assert run.message == (
        f"read {PAGE} of the {ICREAT} records the registry reported, so none was marked removed"
    )
    assert await _live(env) == ICREAT  # the 95 records it did not read are still live
    await _converges(env, run, f"{await _live(env)} of {ICREAT} records still live")


async def test_duplicate_ids_across_pages_are_stored_once(env: Env) -> None:
    env.state.faults.duplicate_page = 3
    run = await env.run("icreat", page_size=PAGE)
    assert run.status == "completed"
    assert run.counts.fetched == run.counts.created == ICREAT  # the repeat is not a record
    assert _adds_up(run.counts)
    assert await env.count("icreat") == ICREAT
    await _converges(env, run, f"{await env.count('icreat')} documents stored")


async def test_pages_larger_than_asked_for_are_read_whole_and_deduplicated(env: Env) -> None:
    env.state.faults.extra_rows = 7
    run = await env.run("icreat", page_size=PAGE)
    assert run.status == "completed"
    assert run.counts.fetched == run.counts.created == ICREAT
    assert len(env.state.requests) == 3  # perPage drives the paging, not the page's length
    assert await env.count("icreat") == ICREAT
    await _converges(env, run, f"{len(env.state.requests)} registry requests")


BACKOFF = HttpOptions(timeout_s=1.0, retries=5, backoff_s=0.1, backoff_max_s=10.0)
SLACK_S = 0.5  # the request's own time on a loaded machine, on top of the wait


async def test_retries_back_off_exponentially_with_jitter(env: Env) -> None:
    env.state.faults.status_500 = BACKOFF.retries  # the last try gets through
    run = await env.run("icreat", page_size=PAGE, http=BACKOFF)
    tries = env.state.arrivals[: BACKOFF.retries + 1]
    waits = [later - earlier for earlier, later in itertools.pairwise(tries)]
    ceilings = [BACKOFF.backoff_s * 2**attempt for attempt in range(BACKOFF.retries)]
    shown = ", ".join(f"{w:.2f}" for w in waits)
    did = f"{ran(run)}; asked again after {shown} s (ceilings {', '.join(map(str, ceilings))} s)"
    fault(env.state.injected.total(), did, lost=ICREAT - await env.count("icreat"))
    assert run.status == "completed", run.message
    assert run.counts.fetched == run.counts.created == ICREAT
    assert len(waits) == len(ceilings)
    # each wait is drawn from [ceiling / 2, ceiling] and the ceilings double: the waits grow
    for wait, ceiling in zip(waits, ceilings, strict=True):
        assert ceiling / 2 <= wait < ceiling + SLACK_S, (waits, ceilings)
    # jitter: the registry sees a wait lengthened by the request, never shortened, so a fixed
    # backoff (the ceiling every time) would never show a wait well under its ceiling
    shares = [wait / ceiling for wait, ceiling in zip(waits, ceilings, strict=True)]
    assert min(shares) < 0.95, shares
    assert len({round(share, 2) for share in shares}) > 1, shares  # not one fixed fraction
