"""What is stored for a batch's ids (`indexer.stored.look_up`), read from doc values: each
stored id with its hash, times and version, none for an id not stored, and a document written
without its `id` field found all the same."""

from __future__ import annotations

from indexer.stored import look_up
from tests.indexer.conftest import Env


async def test_each_stored_id_is_found_with_what_the_run_compares(env: Env) -> None:
    await env.run("icreat")
    key = f"icreat:{env.state.icreat[0]['과제번호']}"  # type: ignore[index]
    doc = await env.doc(key)
    source: dict[str, object] = doc["_source"]  # type: ignore[assignment]

    found = await look_up(env.es, env.names.trials, [key, "icreat:NOT-THERE"], with_raw=False)

    assert list(found) == [key]
    stored = found[key]
    assert stored.content_hash == source["content_hash"]
    assert stored.document_hash == source["document_hash"]
    assert stored.last_change == "created"
    assert stored.removed_at is None
    assert stored.version == doc["_version"]
    assert stored.raw is None  # the record only when asked for


async def test_a_document_without_its_id_field_is_found_too(env: Env) -> None:
    await env.run("icreat")
    key = f"icreat:{env.state.icreat[1]['과제번호']}"  # type: ignore[index]
    body = dict((await env.doc(key))["_source"])  # type: ignore[arg-type]
    del body["id"]
    await env.es.index(index=env.names.trials, id=key, document=body, refresh=True)
    other = f"icreat:{env.state.icreat[2]['과제번호']}"  # type: ignore[index]

    found = await look_up(env.es, env.names.trials, [key, other], with_raw=False)

    assert sorted(found) == sorted([key, other])
    assert found[key].content_hash == body["content_hash"]


async def test_the_record_is_read_when_asked_for(env: Env) -> None:
    await env.run("icreat")
    raw = env.state.icreat[0]  # type: ignore[index]
    key = f"icreat:{raw['과제번호']}"
    found = await look_up(env.es, env.names.trials, [key], with_raw=True)
    assert found[key].raw == raw


async def test_hashes_only_reads_what_tells_a_change_and_nothing_more(env: Env) -> None:
    await env.run("icreat")
    key = f"icreat:{env.state.icreat[0]['과제번호']}"  # type: ignore[index]
    source: dict[str, object] = (await env.doc(key))["_source"]  # type: ignore[assignment]

    found = await look_up(env.es, env.names.trials, [key], hashes_only=True)

    stored = found[key]
    assert (stored.content_hash, stored.removed_at) == (source["content_hash"], None)
    assert (stored.first_seen_at, stored.version, stored.document_hash) == (None, None, None)
