"""Realtime reads coalesced into `_mget`: each reader gets its own document (or None), reads
asked together share round trips, and failures reach every reader as a single GET's would."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
from elasticsearch import AsyncElasticsearch
from elasticsearch import ConnectionError as EsConnectionError

from service.batched_get import BatchedGet
from testkit.elastic_node import free_port
from trials.indices import Names
from trials.settings import Settings


class CountingClient(AsyncElasticsearch):
    """A real client that counts the `_mget` requests it sends."""

    def __init__(self, hosts: list[str]) -> None:
        super().__init__(hosts)
        self.mgets = 0
        self.sent = asyncio.Event()

    async def mget(self, *args: Any, **kwargs: Any) -> Any:
        self.mgets += 1
        self.sent.set()
        return await super().mget(*args, **kwargs)


@pytest.fixture
async def counting(svc_settings: Settings) -> AsyncIterator[CountingClient]:
    client = CountingClient(list(svc_settings.es_hosts))
    yield client
    await client.close()


async def test_concurrent_reads_each_get_their_own_document(
    counting: CountingClient, names: Names, loaded: dict[str, dict[str, Any]]
) -> None:
    docs = BatchedGet(counting)
    known = sorted(loaded)
    wanted = [*known, *known[:5], "cris:KCT9999999", "nope", "ctgov:NCT00000000"]
    random.Random(7).shuffle(wanted)
    reads = [docs.source(names.trials, doc_id) for doc_id in wanted]
    reads.append(docs.source(names.sync_log, "cris-run-1"))
    found = await asyncio.gather(*reads)
    for doc_id, source in zip(wanted, found, strict=False):
        assert source == loaded.get(doc_id), doc_id
    assert found[-1] is not None
    assert found[-1]["run_id"] == "cris-run-1"
    # One request per index asked in the same turn, not one per read.
    assert counting.mgets == 2 < len(reads)


async def test_reads_asked_while_a_batch_is_out_join_the_next_one(
    counting: CountingClient, names: Names, loaded: dict[str, dict[str, Any]]
) -> None:
    docs = BatchedGet(counting, max_in_flight=1)
    first = asyncio.ensure_future(docs.source(names.trials, "cris:KCT0011569"))
    await counting.sent.wait()  # the first batch is on its way
    later = await asyncio.gather(*(docs.source(names.trials, doc_id) for doc_id in loaded))
    assert [s and s["id"] for s in later] == list(loaded)
    assert (await first) == loaded["cris:KCT0011569"]
    assert counting.mgets == 2


async def test_batches_are_split_at_max_batch(
    counting: CountingClient, names: Names, loaded: dict[str, dict[str, Any]]
) -> None:
    docs = BatchedGet(counting, max_batch=4)
    ids = sorted(loaded)[:10]
    found = await asyncio.gather(*(docs.source(names.trials, doc_id) for doc_id in ids))
    assert [s and s["id"] for s in found] == ids
    assert counting.mgets == 3


async def test_a_missing_index_reads_as_absent_as_a_get_would(
    counting: CountingClient, svc_settings: Settings
) -> None:
    docs = BatchedGet(counting)
    missing = f"{svc_settings.index_prefix}no-such-index"
    found = await asyncio.gather(docs.source(missing, "a"), docs.source(missing, "b"))
    assert list(found) == [None, None]


async def test_an_unreachable_node_fails_every_reader() -> None:
    client = AsyncElasticsearch(f"http://127.0.0.1:{free_port()}", max_retries=0)
    try:
        docs = BatchedGet(client)
        outcomes = await asyncio.gather(
            *(docs.source("trials", f"cris:KCT00{n:05}") for n in range(5)),
            return_exceptions=True,
        )
    finally:
        await client.close()
    assert all(isinstance(o, EsConnectionError) for o in outcomes), outcomes


async def test_an_odd_id_does_not_spoil_the_batch_it_is_in(
    counting: CountingClient, names: Names, loaded: dict[str, dict[str, Any]]
) -> None:
    docs = BatchedGet(counting)
    odd = ["cris:" + "가" * 200, "cris:../../_cluster/settings", 'cris:"}]}', "cris:\u0000", ":"]
    known = sorted(loaded)[:3]
    found = await asyncio.gather(*(docs.source(names.trials, i) for i in [*odd, *known]))
    assert list(found) == [None] * len(odd) + [loaded[i] for i in known]
    assert counting.mgets == 1
