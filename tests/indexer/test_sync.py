"""Sync runs against the real node and the fake registry replaying the recorded records."""

from __future__ import annotations

from typing import Any

import pytest

from testkit.registry import records
from tests.faults.evidence import fault, ran
from tests.indexer.conftest import Env
from trials.model import doc_id

EXPECTED = {
    "icreat": len(records.icreat_records()),
    "cris": len(records.cris_list_items()),
    "ctgov": len(records.ctgov_studies()),
}


async def _log(env: Env, run_id: str) -> dict[str, Any]:
    found = await env.es.get(index=env.names.sync_log, id=run_id)
    return dict(found["_source"])


@pytest.mark.parametrize("source", ["icreat", "cris", "ctgov"])
async def test_first_run_creates_all_and_an_identical_rerun_writes_nothing(
    env: Env, source: str
) -> None:
    first = await env.run(source)
    assert first.status == "completed", first.message
    assert first.counts.fetched == first.counts.created == EXPECTED[source]
    assert await env.count(source) == EXPECTED[source]
    logged = await _log(env, first.run_id)
    assert logged["status"] == "completed"
    assert logged["trigger"] == "cli"
    assert logged["counts"]["created"] == EXPECTED[source]
    assert len(logged["created_ids"]) == EXPECTED[source]
    assert logged["duration_ms"] >= 0
    assert logged["finished_at"] >= logged["started_at"]

    writes_before = await env.index_total()
    # in full: ctgov's incremental rerun asks only for the studies updated since (none here)
    second = await env.run(source, full=True)
    assert second.status == "completed"
    assert (second.counts.created, second.counts.updated) == (0, 0)
    assert second.counts.unchanged == EXPECTED[source]
    assert await env.index_total() == writes_before  # not one document written


async def test_a_changed_record_updates_exactly_that_one_and_is_named(env: Env) -> None:
    await env.run("icreat")
    target = env.state.icreat[5]  # type: ignore[index]
    key = doc_id("icreat", target["과제번호"])
    before = (await env.doc(key))["_source"]
    target["연구기간"] = "48개월"

    run = await env.run("icreat")
    assert (run.counts.updated, run.counts.created, run.counts.unchanged) == (1, 0, 144)
    logged = await _log(env, run.run_id)
    assert logged["updated_ids"] == [key]
    after = (await env.doc(key))["_source"]
    assert after["study_period"] == {"raw": "48개월", "months": 48}
    assert after["first_seen_at"] == before["first_seen_at"]  # type: ignore[index]
    assert after["changed_at"] > before["changed_at"]  # type: ignore[index]
    assert after["content_hash"] != before["content_hash"]  # type: ignore[index]


async def test_overlapping_pages_are_deduplicated(env: Env) -> None:
    env.state.faults.overlap = True
    run = await env.run("icreat", page_size=40)
    stored = await env.count("icreat")
    seen = f"{ran(run)}; {stored} documents stored"
    fault(env.state.injected.total(), seen, lost=EXPECTED["icreat"] - stored)
    assert run.counts.fetched == run.counts.created == EXPECTED["icreat"]
    assert stored == EXPECTED["icreat"]
    assert len(env.state.requests) == 4  # ceil(145 / 40), no page skipped


async def test_cris_detail_is_fetched_only_for_new_or_changed_records(env: Env) -> None:
    def details() -> int:
        return sum("/cris/detail" in r for r in env.state.requests)

    await env.run("cris")
    assert details() == EXPECTED["cris"]
    sample = (await env.doc("cris:KCT0007888"))["_source"]
    assert sample["status"] == "not_yet_recruiting"
    assert sample["target_size"] == 80
    await env.run("cris")
    assert details() == EXPECTED["cris"]
    env.state.cris_items[0]["date_updated"] = "2026-02-04"
    run = await env.run("cris")
    assert details() == EXPECTED["cris"] + 1
    assert run.counts.updated == 1


async def test_malformed_records_are_rejected_with_reasons_and_the_run_goes_on(env: Env) -> None:
    rows: list[dict[str, Any]] = env.state.icreat  # type: ignore[assignment]
    rows[3]["전체목표연구대상자수"] = "a lot"
    bad_id = rows[3]["과제번호"]
    rows.append({"과제명": "번호 없는 과제", "연구종류": "관찰연구"})
    env.state.ctgov[0]["protocolSection"]["statusModule"]["startDateStruct"] = {"date": "soon"}

    icreat = await env.run("icreat")
    assert icreat.status == "completed"
    assert (icreat.counts.rejected, icreat.counts.created) == (2, EXPECTED["icreat"] - 1)
    errors = (await _log(env, icreat.run_id))["errors"]
    reasons = {e["reason"]: e["ids"] for e in errors}
    assert reasons["전체목표연구대상자수: expected a whole number, got 'a lot'"] == [
        f"icreat:{bad_id}"
    ]
    assert "no 과제번호 (task number)" in reasons

    ctgov = await env.run("ctgov")
    assert ctgov.counts.rejected == 1
    assert ctgov.counts.created == EXPECTED["ctgov"] - 1


async def test_a_failed_record_is_counted_named_and_retried_next_run(env: Env) -> None:
    rows: list[dict[str, Any]] = env.state.icreat  # type: ignore[assignment]
    rows[0]["전체목표연구대상자수"] = "99999999999"  # overflows the mapping's integer
    key = doc_id("icreat", rows[0]["과제번호"])

    first = await env.run("icreat")
    assert first.status == "partial"
    assert (first.counts.failed, first.counts.created) == (1, EXPECTED["icreat"] - 1)
    failed = [e for e in (await _log(env, first.run_id))["errors"] if e["kind"] == "failed"]
    assert failed[0]["ids"] == [key]
    assert "target_size" in failed[0]["reason"]

    again = await env.run("icreat")  # its hash was never stored, so it is attempted again
    assert (again.counts.failed, again.counts.unchanged) == (1, EXPECTED["icreat"] - 1)

    rows[0]["전체목표연구대상자수"] = "120"
    fixed = await env.run("icreat")
    assert fixed.status == "completed"
    assert (fixed.counts.created, fixed.counts.failed) == (1, 0)


async def test_a_removed_record_is_tombstoned_then_restored(env: Env) -> None:
    await env.run("cris")
    gone = env.state.cris_items.pop(10)
    key = doc_id("cris", gone["trial_id"])

    removed = await env.run("cris")
    assert (removed.counts.removed, removed.counts.unchanged) == (1, EXPECTED["cris"] - 1)
    assert (await _log(env, removed.run_id))["removed_ids"] == [key]
    tombstone = (await env.doc(key))["_source"]
    assert tombstone["removed_at"]  # type: ignore[index]
    assert await env.count("cris") == EXPECTED["cris"]  # nothing deleted

    again = await env.run("cris")
    assert again.counts.removed == 0  # already tombstoned, not counted twice

    env.state.cris_items.insert(10, gone)
    restored = await env.run("cris")
    assert (restored.counts.restored, restored.counts.created) == (1, 0)
    back = (await env.doc(key))["_source"]
    assert "removed_at" not in back  # type: ignore[operator]
    assert back["first_seen_at"] == tombstone["first_seen_at"]  # type: ignore[index]


async def test_counts_add_up_to_fetched(env: Env) -> None:
    rows: list[dict[str, Any]] = env.state.icreat  # type: ignore[assignment]
    await env.run("icreat")
    rows[1]["연구기간"] = "7년"
    rows[2]["진료과"] = None
    rows[3]["과제번호"] = ""
    run = await env.run("icreat")
    c = run.counts
    assert c.fetched == c.created + c.updated + c.unchanged + c.stale + c.rejected + c.failed
    assert (c.updated, c.rejected) == (2, 1)


async def test_ctgov_reads_incrementally_unless_full_and_tombstones_only_when_full(
    env: Env,
) -> None:
    first = await env.run("ctgov")
    assert "filter.advanced" not in env.state.requests[0]
    gone = env.state.ctgov.pop(0)
    key = doc_id("ctgov", gone["protocolSection"]["identificationModule"]["nctId"])

    env.state.requests.clear()
    incremental = await env.run("ctgov")
    assert "filter.advanced=AREA%5BLastUpdatePostDate%5DRANGE%5B" in env.state.requests[0]
    logged = await _log(env, incremental.run_id)
    assert logged["cursor"] < logged["started_at"][:10]
    assert incremental.counts.removed == 0  # an incremental fetch proves nothing about absence

    full = await env.run("ctgov", full=True)
    assert full.counts.removed == 1
    assert (await _log(env, full.run_id))["removed_ids"] == [key]
    assert first.status == incremental.status == full.status == "completed"


async def test_a_short_read_marks_nothing_removed(env: Env) -> None:
    await env.run("cris")
    env.state.cris_items.pop(5)
    env.state.faults.total_extra = 2  # the registry counts records this crawl never saw
    run = await env.run("cris")
    fault(env.state.injected.total(), ran(run), lost=run.counts.removed)  # none may go
    assert (run.status, run.counts.removed) == ("partial", 0)  # a short read is not complete
    reported = len(env.state.cris_items) + 2
    expected = f"read {reported - 2} of the {reported} records the registry reported"
    assert run.message == f"{expected}, so none was marked removed"
