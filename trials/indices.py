"""Index and alias names, and the admin operations on them: init and the atomic alias swap.

Documents are always written and read through aliases (`trials`, `trials-sync-log`,
`trials-locks`, `trials-suggest`, `trials-history`, each with `TRIALS_INDEX_PREFIX` in front).
Behind each alias is one concrete index named `<alias>-v<mapping version>-<UTC timestamp>`,
so a reindex is a new index plus a swap of the alias in one `_aliases` call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from elasticsearch import AsyncElasticsearch, NotFoundError

import mappings
from trials.settings import Settings

ALIAS_OF_SPEC = {
    "trials": "trials",
    "sync_log": "trials-sync-log",
    "locks": "trials-locks",
    "suggest": "trials-suggest",
    "trial_history": "trials-history",
}


@dataclass(frozen=True)
class Names:
    prefix: str

    def alias(self, spec_name: str) -> str:
        return f"{self.prefix}{ALIAS_OF_SPEC[spec_name]}"

    @property
    def trials(self) -> str:
        return self.alias("trials")

    @property
    def sync_log(self) -> str:
        return self.alias("sync_log")

    @property
    def locks(self) -> str:
        return self.alias("locks")

    @property
    def suggest(self) -> str:
        return self.alias("suggest")

    @property
    def history(self) -> str:
        return self.alias("trial_history")

    def new_index(self, spec_name: str, now: datetime | None = None) -> str:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias(spec_name)}-v{mappings.load(spec_name).version}-{stamp}"

    @classmethod
    def from_settings(cls, settings: Settings) -> Names:
        return cls(prefix=settings.index_prefix)


async def indices_behind(es: AsyncElasticsearch, alias: str) -> list[str]:
    try:
        found = await es.indices.get_alias(name=alias)
    except NotFoundError:
        return []
    return sorted(found.body)


async def create_index(es: AsyncElasticsearch, settings: Settings, spec_name: str) -> str:
    names = Names.from_settings(settings)
    index = names.new_index(spec_name)
    body = mappings.load(spec_name).with_shards(settings.index_shards, settings.index_replicas)
    await es.indices.create(index=index, settings=body["settings"], mappings=body["mappings"])
    return index


async def ensure_indices(es: AsyncElasticsearch, settings: Settings) -> dict[str, str]:
    """Create each missing index behind its alias; safe to repeat. Returns alias → index."""
    names = Names.from_settings(settings)
    result: dict[str, str] = {}
    for spec_name in mappings.NAMES:
        alias = names.alias(spec_name)
        existing = await indices_behind(es, alias)
        if existing:
            result[alias] = existing[-1]
            await _add_new_fields(es, alias, spec_name)
            continue
        index = await create_index(es, settings, spec_name)
        await es.indices.put_alias(index=index, name=alias, is_write_index=True)
        result[alias] = index
    await es.cluster.health(index=list(result.values()), wait_for_status="yellow", timeout="30s")
    return result


async def _add_new_fields(es: AsyncElasticsearch, alias: str, spec_name: str) -> None:
    """Fields added to a spec without a version bump (additive, so no reindex is needed) are
    put into the existing index; a `dynamic: strict` index would reject documents with them."""
    spec = mappings.load(spec_name)
    found = await es.indices.get_mapping(index=alias)
    for body in found.body.values():
        mapping = body["mappings"]
        if int(mapping.get("_meta", {}).get("version", 0)) != spec.version:
            continue  # another version is for `trials reindex`, not for an in-place change
        missing = _missing(spec.properties, mapping["properties"])
        if missing:
            await es.indices.put_mapping(index=alias, properties=missing)


def _missing(wanted: dict[str, Any], present: dict[str, Any]) -> dict[str, Any]:
    """The fields of `wanted` that `present` lacks, at any depth (a new count inside an
    object: ES merges the object's properties)."""
    missing: dict[str, Any] = {}
    for name, spec in wanted.items():
        if name not in present:
            missing[name] = spec
        elif "properties" in spec:
            inner = _missing(spec["properties"], present[name].get("properties", {}))
            if inner:
                missing[name] = {**spec, "properties": inner}
    return missing


async def swap_alias(es: AsyncElasticsearch, alias: str, new_index: str) -> list[str]:
    """Point `alias` at `new_index` only, atomically; returns the indices it left."""
    old = await indices_behind(es, alias)
    actions: list[dict[str, dict[str, object]]] = [
        {"remove": {"index": index, "alias": alias}} for index in old if index != new_index
    ]
    actions.append({"add": {"index": new_index, "alias": alias, "is_write_index": True}})
    await es.indices.update_aliases(actions=actions)
    return [index for index in old if index != new_index]


async def mapping_version(es: AsyncElasticsearch, alias: str) -> int | None:
    """`_meta.version` of the index behind `alias`, or None when the alias is missing."""
    try:
        found = await es.indices.get_mapping(index=alias)
    except NotFoundError:
        return None
    for body in found.body.values():
        return int(body["mappings"].get("_meta", {}).get("version", 0))
    return None
