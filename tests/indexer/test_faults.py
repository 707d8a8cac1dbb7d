"""Robustness: retries with backoff, Retry-After, timeouts, the portals' error bodies, the key
sent exactly once encoded, and one failing source never stopping the others."""

from __future__ import annotations

import dataclasses

from indexer.run import run_sources
from testkit.registry import records
from tests.faults.evidence import fault, ran
from tests.indexer.conftest import FAST_HTTP, Env
from trials.model import doc_id

ICREAT = len(records.icreat_records())


async def test_5xx_and_timeouts_are_retried_then_succeed(env: Env) -> None:
    env.state.faults.status_500 = 2
    env.state.faults.timeouts = 1
    env.state.faults.hang_s = 1.5  # the client's timeout is 1 s
    run = await env.run("icreat", page_size=50)
    seen = f"{ran(run)}; {len(env.state.requests)} registry requests for 3 pages"
    fault(env.state.injected.total(), seen, lost=ICREAT - await env.count("icreat"))
    assert run.status == "completed", run.message
    assert run.counts.created == ICREAT
    assert len(env.state.requests) == 3 + 3  # 3 failed attempts, then the 3 pages


async def test_429_honours_retry_after(env: Env) -> None:
    env.state.faults.status_429 = 1
    env.state.faults.retry_after = "1"
    run = await env.run("icreat")
    waited = env.state.arrivals[1] - env.state.arrivals[0]  # from the 429 to the retry
    seen = f"{ran(run)}; asked again {waited:.2f} s after the 429"
    fault(env.state.injected.total(), seen, lost=ICREAT - await env.count("icreat"))
    assert run.status == "completed", run.message
    assert run.counts.fetched == run.counts.created == ICREAT
    assert await env.count("icreat") == ICREAT
    assert waited >= 1.0  # waited as told, not the 10 ms backoff


async def test_retries_are_capped_and_the_run_fails_clearly(env: Env) -> None:
    env.state.faults.status_500 = 100
    run = await env.run("icreat")
    fault(env.state.injected.total(), f"{ran(run)}; {len(env.state.requests)} registry requests")
    assert run.status == "failed"
    assert run.message == "icreat: HTTP 500 (gave up after 4 tries)"
    assert len(env.state.requests) == FAST_HTTP.retries + 1


async def test_bad_key_is_reported_clearly_for_each_portal_shape(env: Env) -> None:
    env.settings = dataclasses.replace(env.settings, data_go_kr_key="wrong-key")
    icreat = await env.run("icreat")  # odcloud: HTTP 401 {"code": -401, "msg": ...}
    assert icreat.status == "failed"
    assert "service key is invalid or missing" in str(icreat.message)
    cris = await env.run("cris")  # gateway XML although JSON was asked for
    assert cris.status == "failed"
    assert "service key is not registered" in str(cris.message)
    assert "SERVICE_KEY_IS_NOT_REGISTERED_ERROR" in str(cris.message)
    assert len(env.state.requests) == 2  # a bad key is not retried
    logged = await env.es.get(index=env.names.sync_log, id=cris.run_id)
    kind = logged["_source"]["errors"][0]["kind"]
    seen = f"icreat {ran(icreat)}; cris {ran(cris)}; {len(env.state.requests)} registry requests"
    fault(env.state.injected.total(), f"{seen}; error kind {kind!r} in the sync log")
    assert kind == "source"


async def test_quota_is_named(env: Env) -> None:
    env.state.faults.xml_error_code = "22"
    run = await env.run("cris")
    fault(env.state.injected.total(), ran(run))
    assert run.status == "failed"
    assert "quota" in str(run.message)


async def test_missing_key_fails_before_any_request(env: Env) -> None:
    env.settings = dataclasses.replace(env.settings, data_go_kr_key="")
    run = await env.run("icreat")
    fault(1, f"{ran(run)}; {len(env.state.requests)} registry requests")  # one run, no key
    assert run.status == "failed"
    assert "TRIALS_DATA_GO_KR_KEY" in str(run.message)
    assert env.state.requests == []


async def test_the_service_key_reaches_the_portal_encoded_exactly_once(env: Env) -> None:
    await env.run("icreat")  # the key as the portal's "Decoding" form: test+Key/with==
    assert set(env.state.received_keys) == {"test%2BKey%2Fwith%3D%3D"}
    env.state.received_keys.clear()
    encoded = "test%2BKey%2Fwith%3D%3D"  # the "Encoding" form is passed through untouched
    env.settings = dataclasses.replace(env.settings, data_go_kr_key=encoded)
    run = await env.run("icreat")
    assert run.status == "completed"
    assert set(env.state.received_keys) == {encoded}


async def test_one_failing_source_never_stops_the_others(env: Env) -> None:
    env.settings = dataclasses.replace(env.settings, data_go_kr_key="wrong-key")
    results = await run_sources(env.es, env.settings, ["icreat", "ctgov"])
    icreat, ctgov = results
    assert not isinstance(icreat, BaseException)
    assert not isinstance(ctgov, BaseException)
    studies = len(records.ctgov_studies())
    seen = f"icreat {ran(icreat)}; ctgov {ran(ctgov)}"
    fault(env.state.injected.total(), seen, lost=studies - await env.count("ctgov"))
    assert icreat.status == "failed"
    assert ctgov.status == "completed"
    assert ctgov.counts.created == studies


async def test_ctgov_unknown_parameter_is_a_clear_permanent_error(env: Env) -> None:
    env.settings = dataclasses.replace(env.settings, ctgov_query="query.recrs=COMPLETED")
    run = await env.run("ctgov")
    fault(env.state.injected.total(), f"{ran(run)}; {len(env.state.requests)} registry requests")
    assert run.status == "failed"
    assert run.message == "ctgov: HTTP 400: `query.recrs` is unknown parameter"


async def test_a_detail_that_keeps_failing_fails_only_that_record(env: Env) -> None:
    env.state.cris_items = env.state.cris_items[:3]
    await env.run("cris")
    env.state.cris_items[0]["date_updated"] = "2030-01-01"
    env.state.faults.detail_status = 503
    run = await env.run("cris")
    assert run.status == "partial"
    assert (run.counts.failed, run.counts.unchanged) == (1, 2)
    key = doc_id("cris", env.state.cris_items[0]["trial_id"])
    logged = await env.es.get(index=env.names.sync_log, id=run.run_id)
    assert logged["_source"]["errors"] == [
        {"kind": "failed", "reason": "HTTP 503 (gave up after 4 tries)", "ids": [key]}
    ]
    injected = env.state.injected.total()
    env.state.faults.detail_status = None
    retried = await env.run("cris")  # the change was never stored: it is picked up again
    stored = await env.count("cris")
    fault(
        injected, ran(run), then=f"next run {ran(retried)}", lost=len(env.state.cris_items) - stored
    )
    assert (retried.counts.updated, retried.status) == (1, "completed")
