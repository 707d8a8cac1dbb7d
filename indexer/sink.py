"""The one writer of trial documents: reads what is stored, writes new, changed, re-normalised
and re-read trials with external versioning, tombstones records gone upstream, and classifies
every bulk item.

Version = the run's start time in epoch milliseconds, so versions grow from run to run and a
stale or concurrent writer gets 409 (counted `stale`) instead of overwriting newer data.

Every write stores `document_hash`, over the document as normalised (`document_hash`), so a
run that normalises again can tell which documents a changed parser changes.

Every registry change (created, updated with a visible difference, restored, removed) also
writes one history document (`indexer.history`), in the same `_bulk` request and just before
the trial's item, so a request cut between the two leaves the history, never the trial alone:
the rerun makes the same change again and its history `create` is a no-op 409. Only for those
writes is the stored document read (`_before`), to diff against.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_scan, async_streaming_bulk

from indexer import history
from indexer.stored import Stored, look_up
from indexer.tally import Outcome, Tally
from trials.model import Trial, content_hash

# What a write supplies beside normalisation's output, and what is not normalisation's at all
# (the registry's record and its hash): left out of `document_hash`.
NOT_NORMALISED = frozenset(
    {"raw", "content_hash", "document_hash", "served_hash", "detail_read_at", "first_seen_at"}
    | {"changed_at"}
    | {"last_change", "removed_at", "last_run_id", "changed_fields"}
)
BULK_CHUNK = 500
# A request carries a batch's trials (`RunOptions.batch_size`) with their history documents:
# one round trip a batch rather than two
BULK_ACTIONS = 2 * BULK_CHUNK
# Only what each item's outcome is read from: the rest of an item (_index, _version, _shards,
# _seq_no ...) was most of the response's bytes, parsed for nothing
BULK_RESPONSE = ("errors", *(f"items.*.{name}" for name in ("_id", "status", "result", "error")))
# aiohttp warns (and may block the loop) on request bodies over 1 MiB; stay under it
BULK_MAX_BYTES = 1_000_000


# A bulk action as `_as_built` hands it to the helper: {"header": {"index": {...}}, "document": ...}
Action = dict[str, Any]

# What a write is: new content from the registry (created / updated / restored by what is
# stored), the same content normalised into another document, or the same content re-read
# (CRIS's detail: the write records when). The last two keep `changed_at` and `last_change`,
# which say when the registry's content last changed.
WriteKind = Literal["content", "renormalized", "reread"]


@dataclass(frozen=True)
class Pending:
    trial: Trial
    stored: Stored | None
    kind: WriteKind = "content"


def document_hash(body: dict[str, Any]) -> str:
    """The hash of a document body as normalised (`Trial.document`), without what the write
    supplies and without the registry's record."""
    normalised = dict(body)
    for name in NOT_NORMALISED:  # cheaper than a comprehension over every key: 9 of ~30
        normalised.pop(name, None)
    return content_hash(normalised)


def trial_hash(trial: Trial) -> str:
    """`document_hash` of the body `trial` would be written as."""
    return document_hash(trial.document(first_seen_at="", changed_at="", run_id=""))


class Sink:
    def __init__(
        self,
        es: AsyncElasticsearch,
        alias: str,
        run_id: str,
        version: int,
        now: str,
        tally: Tally,
        *,
        history: str | None = None,  # the history alias; None writes no history
    ) -> None:
        self.es = es
        self.alias = alias
        self.history = history
        self.run_id = run_id
        self.version = version
        self.now = now
        self.tally = tally
        # The index held no document of the run's source when the run started (a first load):
        # nothing is stored to compare with, and `stored` answers without asking the node.
        self.nothing_stored = False

    async def holds_none_of(self, source: str) -> bool:
        """Whether the index holds no document of `source`, removed ones included."""
        found = await self.es.count(index=self.alias, query={"term": {"source": source}})
        return int(found["count"]) == 0

    async def stored(
        self, ids: Sequence[str], *, with_raw: bool = False, hashes_only: bool = False
    ) -> dict[str, Stored]:
        """What is stored for `ids` (`indexer.stored`); the large `_source` only `with_raw`
        (its `raw`: the registry's record, for sources whose stored details are reused).

        A search, so near-real-time: the run refreshes the index once at its start, and within
        a run an id is looked up only once (the run de-duplicates), so nothing is missed. The
        run holds its source's lock, so when the index held none of the source's documents at
        its start (`nothing_stored`), none of them is stored but by this run's own writes."""
        if not ids or self.nothing_stored:
            return {}
        return await look_up(self.es, self.alias, ids, with_raw=with_raw, hashes_only=hashes_only)

    async def write(self, pending: Iterable[Pending]) -> None:
        """Index each trial and count the outcome of each item: created / updated / restored
        for new content, `renormalized`, or `unchanged` for a re-read that found no change."""
        items = list(pending)
        before = await self._before(items)
        kinds: dict[str, Outcome] = {}
        actions: list[Action] = []
        for item in items:
            body = self._body(item)
            actions.extend(self._history_of(item, body, before.get(item.trial.id)))
            body["document_hash"] = document_hash(body)
            actions.append(self._index_action(item.trial.id, body))
            if item.kind != "content":
                kinds[item.trial.id] = "unchanged" if item.kind == "reread" else "renormalized"
            elif item.stored is not None and item.stored.removed_at:
                kinds[item.trial.id] = "restored"
        await self._bulk(actions, lambda doc_id, result: _written(result, kinds.get(doc_id)))

    async def _before(self, items: list[Pending]) -> dict[str, dict[str, Any]]:
        """The stored bodies (without the registry's record) of the content writes that
        replace a document: what their history diffs against."""
        ids = [i.trial.id for i in items if i.kind == "content" and i.stored is not None]
        if self.history is None or not ids:
            return {}
        found = await self.es.mget(index=self.alias, ids=ids, source_excludes=["raw"])
        return {doc["_id"]: doc["_source"] for doc in found["docs"] if doc.get("found")}

    def _history_of(
        self, item: Pending, body: dict[str, Any], old: dict[str, Any] | None
    ) -> list[Action]:
        """The history action of `item`'s write, if it is a registry change with something to
        show; sets the body's `changed_fields` (kept as stored by other writes)."""
        stored = item.stored
        if item.kind != "content":
            if stored is not None and stored.changed_fields:
                body["changed_fields"] = list(stored.changed_fields)
            return []
        change = _change_kind(stored)
        fields = history.diff(old, body) if old is not None else []
        body["changed_fields"] = [entry["field"] for entry in fields]
        if self.history is None or (change == "updated" and not fields):
            return []  # new content that changes nothing shown (say, an unmapped field)
        from_version = stored.version if stored is not None else None
        doc = history.document(
            body, change, fields, run_id=self.run_id, at=self.now, from_version=from_version
        )
        return [self._history_action(history.history_id(item.trial.id, from_version), doc)]

    def _history_action(self, doc_id: str, doc: dict[str, Any]) -> Action:
        # `create`: the change's id exists when a killed run's rerun makes it again (409)
        return {"header": {"create": {"_index": self.history, "_id": doc_id}}, "document": doc}

    def _body(self, item: Pending) -> dict[str, Any]:
        stored = item.stored
        first_seen = stored.first_seen_at if stored and stored.first_seen_at else self.now
        changed_at: str = self.now
        last_change: str | None = _change_kind(stored)
        if item.kind != "content" and stored is not None:
            # the registry's content did not change: neither does when it last did
            changed_at, last_change = stored.changed_at or self.now, stored.last_change
        return item.trial.document(
            first_seen_at=first_seen,
            changed_at=changed_at,
            run_id=self.run_id,
            last_change=last_change,
        )

    async def history_searchable(self) -> None:
        """Refresh the history alias when this run recorded changes, so a reader right after
        the run (`trials history`, the feeds) finds every one: within a second of the last
        write, a search of a shard that was searched lately may not (`refresh_interval`)."""
        if self.history is not None and self.tally.counts.history:
            await self.es.indices.refresh(index=self.history)

    async def tombstone(
        self, source: str, seen: Container[str], live_seen: int | None = None
    ) -> None:
        """Mark every live document of `source` that the complete fetch did not return.

        `live_seen`, when known, is how many of `seen` are live documents now; if the index
        holds exactly that many live documents of the source, none is missing and the scan of
        every id is skipped (the common case, and most of an unchanged resync's time)."""
        await self.es.indices.refresh(index=self.alias)
        query = {
            "bool": {
                "filter": [{"term": {"source": source}}],
                "must_not": [{"exists": {"field": "removed_at"}}],
            }
        }
        if live_seen is not None:
            live = await self.es.count(index=self.alias, query=query)
            if live["count"] == live_seen:
                return
        batch: list[str] = []
        async for hit in async_scan(
            self.es, index=self.alias, query={"query": query, "_source": False}, size=1000
        ):
            if hit["_id"] not in seen:
                batch.append(hit["_id"])
            if len(batch) >= BULK_CHUNK:
                await self._remove(batch)
                batch = []
        await self._remove(batch)

    async def _remove(self, ids: list[str]) -> None:
        if not ids:
            return
        found = await self.es.mget(index=self.alias, ids=ids)
        actions = []
        for doc in found["docs"]:
            if doc.get("found"):
                # changed_at and last_change stay: they describe the last content write
                body = dict(doc["_source"], removed_at=self.now, last_run_id=self.run_id)
                if self.history is not None:
                    version = doc.get("_version")
                    entry = history.document(
                        body, "removed", [], run_id=self.run_id, at=self.now, from_version=version
                    )
                    actions.append(
                        self._history_action(history.history_id(doc["_id"], version), entry)
                    )
                actions.append(self._index_action(doc["_id"], body))
        await self._bulk(actions, lambda _id, _result: "removed")

    def _index_action(self, doc_id: str, body: dict[str, Any]) -> Action:
        meta = {"_index": self.alias, "_id": doc_id, "version": self.version}
        return {"header": {"index": {**meta, "version_type": "external"}}, "document": body}

    async def _bulk(
        self, actions: list[Action], outcome_of: Callable[[str, str | None], Outcome]
    ) -> None:
        if not actions:
            return
        async for ok, item in async_streaming_bulk(
            self.es,
            actions,
            expand_action_callback=_as_built,
            chunk_size=BULK_ACTIONS,
            max_chunk_bytes=BULK_MAX_BYTES,
            filter_path=BULK_RESPONSE,
            max_retries=3,
            raise_on_error=False,
            raise_on_exception=False,
            require_alias=True,
        ):
            op, info = next(iter(item.items()))
            doc_id = info.get("_id")
            if op == "create":  # a history document
                self._history_written(ok, info)
            elif ok:
                self.tally.add(outcome_of(doc_id, info.get("result")), doc_id)
            elif info.get("status") == 409:
                self.tally.add("stale", doc_id, "a newer version is stored (409)")
            else:
                self.tally.add("failed", doc_id, _reason(info))

    def _history_written(self, ok: bool, info: dict[str, Any]) -> None:
        """Counted when created; a 409 is the change recorded already (a rerun), and a failure
        is an error of the run (the trial's own item is counted on its own)."""
        if ok:
            self.tally.counts.history += 1
        elif info.get("status") != 409:
            self.tally.error("history", _reason(info), info.get("_id"))


def _as_built(action: bytes | str | Action) -> tuple[dict[str, Any], dict[str, Any]]:
    """The sink builds each action's header line itself: the helper's own expansion (a copy of
    each action, twenty keys looked for) was a tenth of its time."""
    assert isinstance(action, dict)  # the helper's type allows what the sink never sends
    return action["header"], action["document"]


def _change_kind(stored: Stored | None) -> str:
    """The document's `last_change`, decided from what is stored, as `first_seen_at` is (the
    run holds the source's lock, so the stored state is what the write will replace)."""
    if stored is None:
        return "created"
    return "restored" if stored.removed_at else "updated"


def _written(result: str | None, kind: Outcome | None) -> Outcome:
    if result == "created":  # whatever was planned, nothing was stored
        return "created"
    return kind or "updated"


def _reason(info: dict[str, Any]) -> str:
    error = info.get("error")
    if isinstance(error, dict):
        return f"{error.get('type')}: {error.get('reason')}"
    if error:
        return str(error)
    return str(info.get("exception") or f"HTTP {info.get('status')}")
