"""Trial history: replayed upstream edits through the fake registry and real sync runs on the
real node give one history document per change, with the right old and new values; reruns,
removals, restores and a run killed mid-bulk keep it exactly once per change."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from indexer import history
from testkit.children import child_env, trials_executable
from testkit.registry.server import GeneratedRows
from tests.faults.killed_run import kill_mid_bulk
from tests.indexer.conftest import Env
from trials.indices import ensure_indices
from trials.model import doc_id


async def _history(env: Env, trial_id: str | None = None) -> list[dict[str, Any]]:
    await env.es.indices.refresh(index=env.names.history)
    query = {"term": {"trial_id": trial_id}} if trial_id else {"match_all": {}}
    found = await env.es.search(
        index=env.names.history, query=query, size=10_000, sort=[{"at": "asc"}]
    )
    return [hit["_source"] | {"_id": hit["_id"]} for hit in found["hits"]["hits"]]


def _field(entry: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in entry["fields"] if f["field"] == name)


def _study(env: Env, index: int) -> dict[str, Any]:
    return env.state.ctgov[index]["protocolSection"]  # type: ignore[no-any-return]


async def test_each_upstream_edit_gives_one_entry_with_old_and_new_values(env: Env) -> None:
    first = await env.run("ctgov")
    assert first.counts.history == first.counts.created  # one `created` entry per new trial
    created = await _history(env)
    assert {e["change"] for e in created} == {"created"}
    assert all(e["fields"] == [] for e in created)

    status, size, title = _study(env, 3), _study(env, 4), _study(env, 5)
    ids = [doc_id("ctgov", s["identificationModule"]["nctId"]) for s in (status, size, title)]
    old_status = (await env.doc(ids[0]))["_source"]["status"]  # type: ignore[index]
    old_size = size["designModule"]["enrollmentInfo"]["count"]
    old_title = title["identificationModule"]["briefTitle"]
    status["statusModule"]["overallStatus"] = "COMPLETED"
    size["designModule"]["enrollmentInfo"]["count"] = old_size + 250
    title["identificationModule"]["briefTitle"] = "A renamed study of bifurcated lesions"

    run = await env.run("ctgov", full=True)
    assert (run.counts.updated, run.counts.history) == (3, 3)
    entries = {i: [e for e in await _history(env, i) if e["change"] == "updated"] for i in ids}
    assert all(len(found) == 1 for found in entries.values()), entries
    (by_status,), (by_size,), (by_title,) = entries.values()
    assert _field(by_status, "status") == {"field": "status", "old": old_status, "new": "completed"}
    assert "status" in by_status["changed_fields"]
    assert _field(by_size, "target_size") == {
        "field": "target_size",
        "old": old_size,
        "new": old_size + 250,
    }
    assert by_size["changed_fields"] == ["target_size"]
    assert _field(by_title, "title") == {
        "field": "title",
        "old": old_title,
        "new": "A renamed study of bifurcated lesions",
    }
    assert by_title["run_id"] == run.run_id
    assert by_title["source"] == "ctgov"
    trial = (await env.doc(ids[1]))["_source"]
    assert trial["changed_fields"] == ["target_size"]  # type: ignore[index]
    logged = await env.es.get(index=env.names.sync_log, id=run.run_id)
    assert logged["_source"]["counts"]["history"] == 3

    total = len(await _history(env))
    again = await env.run("ctgov", full=True)
    assert (again.counts.unchanged, again.counts.history) == (again.counts.fetched, 0)
    assert len(await _history(env)) == total  # an identical rerun adds none


async def test_removal_and_restore_each_give_their_entry(env: Env) -> None:
    await env.run("cris")
    gone = env.state.cris_items.pop(10)
    key = doc_id("cris", gone["trial_id"])
    removed = await env.run("cris")
    assert (removed.counts.removed, removed.counts.history) == (1, 1)
    await env.run("cris")  # still gone: nothing more
    env.state.cris_items.insert(10, gone)
    restored = await env.run("cris")
    assert (restored.counts.restored, restored.counts.history) == (1, 1)
    changes = [e["change"] for e in await _history(env, key)]
    assert changes == ["created", "removed", "restored"]
    ids = {e["_id"] for e in await _history(env, key)}
    assert len(ids) == 3
    assert all(i.startswith(f"{key}@") for i in ids)


class RenamedRows(GeneratedRows):
    """The same generated records with every title changed: one update per record."""

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        rows = super().__getitem__(index)
        return [row | {"과제명": f"{row['과제명']} (개정)"} for row in rows]


async def test_a_run_killed_mid_bulk_and_rerun_records_each_change_once(env: Env) -> None:
    total = 1500
    env.state.icreat = GeneratedRows(total)
    await ensure_indices(env.es, env.settings)
    assert (await env.run("icreat")).counts.history == total
    env.state.icreat = RenamedRows(total)
    applied = await kill_mid_bulk(env, lambda: _count_updates(env))
    assert 0 < applied < total

    run = await env.run("icreat")
    assert run.status == "completed", run.message
    updates = await _updates(env)
    assert len(updates) == total  # every record's change once, none twice
    assert len({e["trial_id"] for e in updates}) == total
    assert run.counts.history <= total - applied + 1  # the killed run's entries are not redone
    assert all(_field(e, "title")["new"].endswith("(개정)") for e in updates)


async def _updates(env: Env) -> list[dict[str, Any]]:
    return [e for e in await _history(env) if e["change"] == "updated"]


async def _count_updates(env: Env) -> int:
    return len(await _updates(env))


def test_long_texts_keep_an_excerpt_of_each_side_and_lists_say_what_was_added() -> None:
    body = "배경 " * 200
    old = {"id": "x", "summary": body + "원래 결론", "conditions": ["폐암", "유방암"]}
    new = {"id": "x", "summary": body + "바뀐 결론", "conditions": ["폐암", "위암"]}
    conditions, summary = history.diff(old, new)  # in name order
    assert summary["excerpt"] is True
    assert "원래" in summary["old"]
    assert "바뀐" in summary["new"]
    assert len(summary["old"]) <= history.EXCERPT + 2
    assert conditions["added"] == ["위암"]
    assert conditions["removed"] == ["유방암"]


def test_nested_fields_are_named_by_path_and_bookkeeping_is_left_out() -> None:
    old = {"study_period": {"end": "2026-01-01"}, "changed_at": "a", "concepts": [{"id": "c1"}]}
    new = {"study_period": {"end": "2027-06-30"}, "changed_at": "b", "concepts": [{"id": "c2"}]}
    assert history.diff(old, new) == [
        {"field": "study_period.end", "old": "2026-01-01", "new": "2027-06-30"}
    ]


async def test_the_cli_shows_a_trials_history_as_a_table_and_as_json(env: Env) -> None:
    await env.run("ctgov")
    study = _study(env, 4)
    study["designModule"]["enrollmentInfo"]["count"] = 4321
    await env.run("ctgov", full=True)
    registry_id = study["identificationModule"]["nctId"]
    environment = child_env(env.settings.es_hosts[0], env.settings.index_prefix)

    async def trials(*args: str) -> tuple[int, str]:
        child = await asyncio.create_subprocess_exec(
            trials_executable(),
            *args,
            env=environment,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, _ = await child.communicate()
        return child.returncode or 0, out.decode()

    code, out = await trials("history", registry_id.lower(), "--json")
    assert code == 0
    document = json.loads(out)
    assert [e["change"] for e in document["history"]] == ["updated", "created"]
    assert document["trial_id"] == doc_id("ctgov", registry_id)
    code, table = await trials("history", doc_id("ctgov", registry_id))
    assert code == 0
    assert "AT" in table.splitlines()[1]
    assert "target_size:" in table
    assert "→ 4321" in table
    code, _ = await trials("history", "NCT00000000")
    assert code == 1
