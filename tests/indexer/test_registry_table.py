"""The table of registries (`trials.registries`) against every place that lists sources: a
registry added, renamed or dropped in one place and not in another fails here."""

from __future__ import annotations

import argparse
import dataclasses
import re
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any

import aiohttp
import pytest
from marshmallow import Schema

import mappings
from cli import build_parser
from indexer.catalog import FACTORIES, Wiring, build_source, default_sources
from indexer.http import HttpOptions, RegistryClient
from indexer.sources.cris import normalize_record
from indexer.sources.ctgov import CtgovSource
from indexer.sources.demo import DemoSource, demo_id, demo_study
from indexer.sources.icreat import normalize as icreat_normalize
from service.schemas.sync_runs import StartSyncSchema, SyncRunQuerySchema
from service.schemas.trials import RecentQuerySchema, TrialSearchQuerySchema
from service.search import registry_doc_id
from testkit.registry import records
from trials import launcher
from trials.model import Trial, doc_id
from trials.registries import REAL_SOURCES, REGISTRIES, SOURCE_NAMES, registry_of_id
from trials.settings import Settings

SINCE = date(2026, 1, 1)


def _recorded_ids() -> dict[str, list[str]]:
    """Ids each registry really wrote (the recorded responses), and the demo's own."""
    nct = [s["protocolSection"]["identificationModule"]["nctId"] for s in records.ctgov_studies()]
    return {
        "icreat": [r["과제번호"] for r in records.icreat_records()],
        "cris": [i["trial_id"] for i in records.cris_list_items()],
        "ctgov": nct,
        "demo": [demo_study(i)["list"]["trial_id"] for i in range(1, 50)] + [demo_id(10**6)],
    }


def _one_document(name: str) -> Trial:
    """A document each registry's code makes from one of its records."""
    makers: dict[str, Callable[[], Trial]] = {
        "icreat": lambda: icreat_normalize("icreat", records.icreat_records()[0]),
        "cris": lambda: normalize_record("KCT0007888", {}, records.cris_detail_sample()),
        "ctgov": lambda: CtgovSource(None, "http://x", "").normalize(  # type: ignore[arg-type]
            records.ctgov_studies()[0]
        ),
        "demo": lambda: DemoSource().normalize(demo_study(1)),
    }
    assert set(makers) == set(SOURCE_NAMES)
    return makers[name]()


@pytest.fixture
async def client_for() -> AsyncIterator[Callable[[str], RegistryClient]]:
    async with aiohttp.ClientSession() as session:
        yield lambda name: RegistryClient(name, session, HttpOptions())


def test_the_catalog_binds_a_class_to_every_row_and_nothing_else() -> None:
    assert tuple(FACTORIES) == SOURCE_NAMES == tuple(REGISTRIES)
    assert launcher.SOURCE_NAMES == SOURCE_NAMES  # the launch contract's names are the table's


def test_every_setting_a_row_names_exists() -> None:
    known = {f.name for f in dataclasses.fields(Settings)}
    for registry in REGISTRIES.values():
        named = dataclasses.asdict(registry.settings)
        assert {v for v in named.values() if v} <= known, registry.name
        assert registry.real == (registry.settings.url is not None), registry.name
        assert registry.label


@pytest.mark.parametrize("name", SOURCE_NAMES)
async def test_each_row_builds_its_source_with_the_whole_protocol(
    name: str, client_for: Callable[[str], RegistryClient]
) -> None:
    registry = REGISTRIES[name]
    full = build_source(name, Settings(data_go_kr_key="k"), client_for)
    since = build_source(name, Settings(data_go_kr_key="k"), client_for, since=SINCE)
    for source in (full, since):
        assert source.name == name
        assert source.reported_total is None  # nothing read yet
        assert isinstance(source.full_fetch, bool)
    assert full.full_fetch
    assert since.full_fetch is not registry.incremental


@pytest.mark.parametrize("name", SOURCE_NAMES)
async def test_a_row_is_incremental_exactly_when_its_class_can_fetch_only_changes(
    name: str, client_for: Callable[[str], RegistryClient]
) -> None:
    """Given a date directly (the catalog gives it only to incremental rows), the class itself
    says whether it then reads only what changed."""
    wiring = Wiring(REGISTRIES[name], Settings(data_go_kr_key="k"), client_for, SINCE, None, 3)
    assert FACTORIES[name](wiring).full_fetch is not REGISTRIES[name].incremental


@pytest.mark.parametrize("name", ["icreat", "cris", "ctgov"])
async def test_sources_read_the_settings_their_row_names(
    name: str, client_for: Callable[[str], RegistryClient]
) -> None:
    registry = REGISTRIES[name]
    names = registry.settings
    assert names.url is not None
    given: dict[str, Any] = {names.url: f"http://{name}.example/api"}
    if names.key:
        given[names.key] = f"key-of-{name}"
    if names.query:
        given[names.query] = "query.term=x"
    settings = dataclasses.replace(Settings(), **given)
    source = build_source(name, settings, client_for)
    assert vars(source)["url"] == f"http://{name}.example/api"
    if registry.needs_key:
        assert vars(source)["key"] == f"key-of-{name}"
    if names.query:
        assert vars(source)["params"] == [("query.term", "x")]
    assert vars(source)["per_page"] == registry.page_size  # its default, unless a run says
    assert vars(build_source(name, settings, client_for, page_size=7))["per_page"] == 7


def test_every_registry_id_ever_recorded_names_its_registry_and_document() -> None:
    recorded = _recorded_ids()
    assert set(recorded) == set(SOURCE_NAMES)  # a new registry needs recorded ids here
    for name, ids in recorded.items():
        assert ids, name
        for registry_id in ids:
            assert registry_of_id(registry_id) is REGISTRIES[name], registry_id
            assert registry_doc_id(registry_id.lower()) == doc_id(name, registry_id)
    assert registry_of_id("KCT001156") is None
    assert registry_of_id("DEMO-7") is None


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_documents_carry_the_table_name_the_mapping_filters_on(name: str) -> None:
    trial = _one_document(name)
    assert (trial.source, trial.id) == (name, doc_id(name, trial.registry_id))
    assert REGISTRIES[name].owns_id(trial.registry_id)
    assert trial.synthetic is not REGISTRIES[name].real
    # `source` is an exact keyword (no normalizer) in both indices: names must be as written
    for index in ("trials", "sync_log"):
        assert mappings.load(index).properties["source"] == {"type": "keyword"}
    assert re.fullmatch(r"[a-z]+", name)


def test_default_sources_are_the_real_rows_with_a_key_else_the_synthetic_ones() -> None:
    assert tuple(n for n, r in REGISTRIES.items() if r.real) == REAL_SOURCES
    assert default_sources(Settings(data_go_kr_key="k")) == REAL_SOURCES
    assert default_sources(Settings()) == tuple(n for n, r in REGISTRIES.items() if not r.real)


def _choices(parser: argparse.ArgumentParser, command: str) -> tuple[str, ...]:
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    option = next(a for a in commands[command]._actions if "--source" in a.option_strings)
    return tuple(option.choices or ())


@pytest.mark.parametrize("command", ["index", "runs"])
def test_the_cli_offers_every_source(command: str) -> None:
    assert _choices(build_parser(), command) == SOURCE_NAMES


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        (TrialSearchQuerySchema, "source"),
        (RecentQuerySchema, "source"),
        (SyncRunQuerySchema, "source"),
        (StartSyncSchema, "sources"),
    ],
)
def test_the_api_accepts_every_source_and_no_other(schema: type[Schema], field: str) -> None:
    for name in SOURCE_NAMES:
        assert field not in schema().validate({field: [name]}), name
    assert field in schema().validate({field: ["pubmed"]})
