"""The suggestion index (`trials-suggest`), what GET /api/v1/suggest completes from: the
vocabulary concepts the trials are tagged with (one entry per language, each carrying both
names), and the interventions and lead institutions the trials name, each with how many trials
have it and its keys (`trials.suggest_keys`).

Rebuilt from aggregations over the trials alias at the end of a run that wrote something (or
when it is empty), in place: entries that changed are written, entries no trial has any more
are deleted, the rest left alone, so readers never see an empty index and a rebuild that
changes nothing writes nothing. A delete holds only while the entry is as it was read, so of
two builds at once neither deletes what the other has just written.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from functools import cache
from typing import Any

import orjson
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_scan, async_streaming_bulk

from indexer.tally import Counts
from trials.concepts.hangul import has_hangul
from trials.concepts.vocabulary import Concept, Lang, load
from trials.indices import Names
from trials.suggest_keys import chosung_keys, keys, prefixes

log = logging.getLogger(__name__)

TOP_NAMES = 5000  # interventions and institutions: the most frequent this many of each
# The names trials carry as free text: the suggestion's kind → the keyword field
NAMED = {"intervention": "interventions.keyword", "institution": "institution.keyword"}
LIVE = {"bool": {"must_not": [{"exists": {"field": "removed_at"}}]}}
LANGS: tuple[Lang, ...] = ("ko", "en")


class SuggestionsNotWritten(RuntimeError):
    """The node refused to store some suggestion entries."""


@dataclass(frozen=True)
class Entry:
    text: str
    kind: str
    count: int
    keys: list[str]
    chosung: list[str]
    concept: str | None = None
    ko: str | None = None
    en: str | None = None

    @property
    def doc_id(self) -> str:
        key = f"{self.kind}\x00{self.concept or ''}\x00{self.text}"
        return hashlib.sha1(key.encode()).hexdigest()

    def source(self) -> dict[str, Any]:
        """The document, with every prefix of its keys (what is typed is looked up among
        them) and a digest of it all, so an unchanged entry is not written again."""
        body = {**asdict(self), "prefixes": prefixes((*self.keys, *self.chosung))}
        return {**body, "digest": hashlib.sha1(orjson.dumps(body)).hexdigest()}


def wrote(counts: Counts) -> bool:
    changed = (counts.created, counts.updated, counts.removed, counts.restored)
    return any(changed) or counts.renormalized > 0


async def after_run(es: AsyncElasticsearch, names: Names, counts: Counts) -> None:
    """The end of a sync run: rebuild when it wrote something or the index is empty. A
    failure is logged, not raised: the run is done, and the next one rebuilds."""
    try:
        if wrote(counts) or not await _count(es, names.suggest):
            await rebuild(es, names)
    except Exception:  # boundary: suggestions never fail a run that has ended
        log.exception("suggestions were not rebuilt")


async def rebuild(es: AsyncElasticsearch, names: Names) -> int:
    """Every entry from the trials as they are now; returns how many entries changed (written
    or deleted). Entries that did not change are not written again."""
    await es.indices.refresh(index=names.trials)  # what the run just wrote is searched
    entries = [*await concept_entries(es, names.trials), *await named_entries(es, names.trials)]
    wanted = {e.doc_id: e.source() for e in entries}
    stored = await _stored(es, names.suggest)
    actions = [
        {"_index": names.suggest, "_id": doc_id, "_source": source}
        for doc_id, source in wanted.items()
        if doc_id not in stored or stored[doc_id].digest != source["digest"]
    ]
    actions += [
        _delete(names.suggest, doc_id, held)
        for doc_id, held in stored.items()
        if doc_id not in wanted
    ]
    failed = [
        item["index"]
        async for ok, item in async_streaming_bulk(es, actions, raise_on_error=False)
        if not ok and "index" in item  # a failed delete: changed since read (another build's)
    ]
    if failed:
        raise SuggestionsNotWritten(f"{len(failed)} entries, e.g. {failed[0]}")
    if actions:
        await es.indices.refresh(index=names.suggest)
    log.info("suggestions: %d entries, %d written or deleted", len(wanted), len(actions))
    return len(actions)


@dataclass(frozen=True)
class _Held:
    """An entry as stored: its digest, and the sequence number a delete must still find."""

    digest: str
    seq_no: int
    primary_term: int


async def _stored(es: AsyncElasticsearch, alias: str) -> dict[str, _Held]:
    hits = async_scan(
        es, index=alias, query={"seq_no_primary_term": True}, _source=["digest"], size=2000
    )
    return {
        hit["_id"]: _Held(hit["_source"].get("digest", ""), hit["_seq_no"], hit["_primary_term"])
        async for hit in hits
    }


def _delete(alias: str, doc_id: str, held: _Held) -> dict[str, Any]:
    """Deleted only if unchanged since read: an entry another build just wrote is kept."""
    return {
        "_op_type": "delete",
        "_index": alias,
        "_id": doc_id,
        "if_seq_no": held.seq_no,
        "if_primary_term": held.primary_term,
    }


async def concept_entries(es: AsyncElasticsearch, alias: str) -> list[Entry]:
    """Each concept a trial is tagged with, or is a broader concept of one, counted as a search
    for it finds trials: tagged with it or with a narrower one."""
    vocabulary = load()
    counts = await _concept_counts(es, alias, await _concepts_present(es, alias))
    return [
        entry
        for concept_id, count in counts.items()
        if concept_id in vocabulary
        for entry in _concept_entries(vocabulary.get(concept_id), count)
    ]


async def named_entries(es: AsyncElasticsearch, alias: str) -> list[Entry]:
    aggs = {kind: _terms(field, TOP_NAMES) for kind, field in NAMED.items()}
    found = await es.search(index=alias, size=0, query=LIVE, aggs=aggs)
    return [
        _named(kind, bucket["key"], bucket["doc_count"])
        for kind in NAMED
        for bucket in found["aggregations"][kind]["buckets"]
        if bucket["key"].strip()
    ]


def _concept_entries(concept: Concept, count: int) -> Iterator[Entry]:
    for lang in LANGS:
        yield replace(_concept_entry(concept.id, lang), count=count)


@cache
def _concept_entry(concept_id: str, lang: Lang) -> Entry:
    """A concept's entry in one language, but for its count (the keys are computed once)."""
    concept = load().get(concept_id)
    names = concept.names(lang)
    forms = (*names.forms, *names.abbreviations)
    return Entry(
        text=names.preferred,
        kind=concept.kind,
        count=0,
        keys=keys(forms),
        chosung=chosung_keys(forms) if lang == "ko" else [],
        concept=concept.id,
        ko=concept.ko.preferred,
        en=concept.en.preferred,
    )


def _named(kind: str, text: str, count: int) -> Entry:
    korean = has_hangul(text)
    return Entry(
        text=text,
        kind=kind,
        count=count,
        keys=keys([text]),
        chosung=chosung_keys([text]),
        ko=text if korean else None,
        en=None if korean else text,
    )


async def _concepts_present(es: AsyncElasticsearch, alias: str) -> set[str]:
    size = len(load())
    aggs = {"ids": _terms("concepts.id", size), "ancestors": _terms("concept_ancestors", size)}
    found = await es.search(index=alias, size=0, query=LIVE, aggs=aggs)
    return {b["key"] for agg in found["aggregations"].values() for b in agg["buckets"]}


async def _concept_counts(
    es: AsyncElasticsearch, alias: str, concept_ids: set[str]
) -> dict[str, int]:
    """Trials tagged with each concept or with a narrower one (a trial with both counts once),
    in one `filters` aggregation."""
    if not concept_ids:
        return {}
    filters = {c: _carries(c) for c in sorted(concept_ids)}
    found = await es.search(
        index=alias, size=0, query=LIVE, aggs={"concepts": {"filters": {"filters": filters}}}
    )
    buckets = found["aggregations"]["concepts"]["buckets"]
    return {c: int(b["doc_count"]) for c, b in buckets.items() if b["doc_count"]}


def _carries(concept_id: str) -> dict[str, Any]:
    return {
        "bool": {
            "should": [
                {"term": {"concepts.id": concept_id}},
                {"term": {"concept_ancestors": concept_id}},
            ]
        }
    }


def _terms(field: str, size: int) -> dict[str, Any]:
    return {"terms": {"field": field, "size": size}}


async def _count(es: AsyncElasticsearch, alias: str) -> int:
    found = await es.count(index=alias)
    return int(found["count"])
