"""mappings/ → versioned indices behind aliases, created idempotently, swapped atomically."""

from __future__ import annotations

from elasticsearch import AsyncElasticsearch

import mappings
from trials.indices import (
    Names,
    create_index,
    ensure_indices,
    indices_behind,
    mapping_version,
    swap_alias,
)
from trials.settings import Settings


async def test_init_creates_every_alias_with_its_mapping_version(
    es: AsyncElasticsearch, settings: Settings, initialised: dict[str, str]
) -> None:
    names = Names.from_settings(settings)
    for spec_name in mappings.NAMES:
        alias = names.alias(spec_name)
        assert alias.startswith(settings.index_prefix)
        assert await indices_behind(es, alias) == [initialised[alias]]
        assert await mapping_version(es, alias) == mappings.load(spec_name).version


async def test_init_is_idempotent(
    es: AsyncElasticsearch, settings: Settings, initialised: dict[str, str]
) -> None:
    assert await ensure_indices(es, settings) == initialised


async def test_swap_alias_moves_reads_and_writes_at_once(
    es: AsyncElasticsearch, settings: Settings
) -> None:
    names = Names(prefix=f"{settings.index_prefix}swap-")
    alias = names.alias("locks")
    first = await create_index(es, settings, "locks")
    await swap_alias(es, alias, first)
    second = await create_index(es, settings, "locks")
    assert await swap_alias(es, alias, second) == [first]
    assert await indices_behind(es, alias) == [second]
    await es.index(index=alias, id="x", document={"owner": "test"}, refresh=True)
    assert (await es.count(index=second))["count"] == 1
