"""A CT.gov study is known unchanged by the digest of its bytes as served (`served_hash`),
without being decoded or hashed; bytes that differ fall back to the content hash, so a change
only to what the hash leaves out (`derivedSection`) is still no update, and a removed study
served again is restored."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from tests.indexer.conftest import Env
from trials.model import doc_id


def _served_hash(study: dict[str, Any]) -> str:
    """The digest of a study's bytes, as the fake registry serves it (orjson, like the page)."""
    return hashlib.sha256(orjson.dumps(study)).hexdigest()


def _key(study: dict[str, Any]) -> str:
    return doc_id("ctgov", study["protocolSection"]["identificationModule"]["nctId"])


async def test_the_same_bytes_are_unchanged_without_reading_them_other_bytes_are_compared(
    env: Env,
) -> None:
    studies = env.state.ctgov
    assert isinstance(studies, list)
    first = await env.run("ctgov", full=True)
    assert first.counts.created == len(studies)
    for study in studies[:3]:
        assert (await env.doc(_key(study)))["_source"]["served_hash"] == _served_hash(study)

    # A stored content hash no study has: only a run that decodes and hashes the study notices
    tampered, derived_only = studies[0], studies[1]
    await env.es.update(
        index=env.names.trials, id=_key(tampered), doc={"content_hash": "x"}, refresh=True
    )
    derived_only["derivedSection"] = {"miscInfoModule": {"versionHolder": "2099-01-01"}}
    writes = await env.index_total()
    again = await env.run("ctgov", full=True)
    assert again.counts.unchanged == len(studies)  # the tampered one too: its bytes are the same
    assert await env.index_total() == writes
    assert (await env.doc(_key(tampered)))["_source"]["content_hash"] == "x"

    # Other bytes: compared by content hash, so the tampered study is now read (and rewritten)
    tampered["derivedSection"] = {"miscInfoModule": {"versionHolder": "2099-01-02"}}
    third = await env.run("ctgov", full=True)
    assert third.counts.updated == 1
    assert third.counts.unchanged == len(studies) - 1  # derived_only: other bytes, same content
    stored = (await env.doc(_key(tampered)))["_source"]
    assert stored["content_hash"] != "x"
    assert stored["served_hash"] == _served_hash(tampered)


async def test_a_removed_study_served_again_with_the_same_bytes_is_restored(env: Env) -> None:
    studies = env.state.ctgov
    assert isinstance(studies, list)
    await env.run("ctgov", full=True)
    gone = studies.pop()
    removed = await env.run("ctgov", full=True)
    assert removed.counts.removed == 1
    studies.append(gone)
    back = await env.run("ctgov", full=True)
    assert back.counts.restored == 1
    assert back.counts.unchanged == len(studies) - 1
    stored = (await env.doc(_key(gone)))["_source"]
    assert "removed_at" not in stored
    assert stored["served_hash"] == _served_hash(gone)
