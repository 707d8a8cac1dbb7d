"""The generated ClinicalTrials.gov studies of the scale benchmark (testkit.synthetic_ctgov):
deterministic, varied, made of recorded parts, and read by the real ctgov source (paging,
normaliser) from the fake registry as it reads the recorded studies."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import aiohttp
import orjson

from indexer.http import HttpOptions, RegistryClient
from indexer.pipeline import normalized
from indexer.sources.base import Served
from indexer.sources.ctgov import CtgovSource
from testkit.registry import records
from testkit.registry.server import GeneratedRows, RegistryState, start_registry
from testkit.synthetic_ctgov import (
    UPDATED_FROM,
    UPDATED_TO,
    ctgov_study,
    generated_nct_id,
    last_updated,
)
from tests.indexer.elsewhere import output_elsewhere

_DIGEST = (
    "import hashlib, sys, orjson\n"
    "from testkit.synthetic_ctgov import ctgov_study\n"
    "seed, n = int(sys.argv[1]), int(sys.argv[2])\n"
    "studies = [ctgov_study(i, seed) for i in range(1, n + 1)]\n"
    "print(hashlib.sha256(orjson.dumps(studies, option=orjson.OPT_SORT_KEYS)).hexdigest())\n"
)


def _digest_here(seed: int, count: int) -> str:
    studies = [ctgov_study(i, seed) for i in range(1, count + 1)]
    return hashlib.sha256(orjson.dumps(studies, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _digest_elsewhere(seed: int, count: int) -> str:
    return output_elsewhere(_DIGEST, str(seed), str(count)).strip()


def _protocol(index: int, seed: int = 0) -> dict[str, Any]:
    return dict(ctgov_study(index, seed)["protocolSection"])


def test_a_study_depends_on_its_index_and_seed_alone() -> None:
    assert _digest_elsewhere(3, 50) == _digest_here(3, 50)
    assert _digest_here(4, 50) != _digest_here(3, 50)
    for i in (1, 77, 499_999):  # the seed moves the content, never the id
        ids = {_protocol(i, seed)["identificationModule"]["nctId"] for seed in (0, 1)}
        assert ids == {generated_nct_id(i)}
        assert _protocol(i, 0) != _protocol(i, 1)


def test_ids_are_unique_well_formed_and_never_a_recorded_one() -> None:
    ids = [generated_nct_id(i) for i in range(0, 500_001)]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"NCT9\d{7}", nct) for nct in ids[:1000] + ids[-1000:])
    recorded = {
        s["protocolSection"]["identificationModule"]["nctId"] for s in records.ctgov_studies()
    }
    assert not recorded & set(ids)


def _drawn(protocols: list[dict[str, Any]]) -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """The titles, conditions and (city, country) of the sites of `protocols`."""
    titles = {p["identificationModule"]["briefTitle"] for p in protocols}
    conditions = {c for p in protocols for c in p["conditionsModule"].get("conditions", [])}
    cities = {
        (site.get("city"), site.get("country"))
        for p in protocols
        for site in (p.get("contactsLocationsModule") or {}).get("locations") or []
    }
    return titles, conditions, cities


def test_studies_vary_and_draw_titles_conditions_and_sites_from_the_recorded_ones() -> None:
    titles, conditions, cities = _drawn([s["protocolSection"] for s in records.ctgov_studies()])
    made_titles, made_conditions, made_cities = _drawn([_protocol(i) for i in range(1, 2001)])
    assert made_titles <= titles
    assert len(made_titles) > 150
    assert made_conditions <= conditions
    assert len(made_conditions) > 200
    assert made_cities <= cities
    assert len(made_cities) > 300
    years = {last_updated(i).year for i in range(1, 2001)}
    assert years == set(range(UPDATED_FROM.year, UPDATED_TO.year + 1))


def test_the_ctgov_normaliser_reads_every_generated_study() -> None:
    source = CtgovSource(None, "", "")  # type: ignore[arg-type]  # never asked to fetch
    for i in range(1, 401):
        trial = normalized(source, ctgov_study(i))
        assert trial.registry_id == generated_nct_id(i)
        assert UPDATED_FROM <= last_updated(i) <= UPDATED_TO
        updated = last_updated(i).isoformat()
        assert trial.source_updated_at == f"{updated}T00:00:00.000Z"
        assert trial.registered_at is not None
        assert trial.registered_at[:10] <= updated
        assert trial.study_period.start is not None
        assert trial.study_period.start <= trial.registered_at[:10]
        assert trial.conditions
        assert trial.status


async def test_the_fake_registry_serves_them_in_pages_the_source_follows() -> None:
    state = RegistryState(ctgov=GeneratedRows(2_345, make=ctgov_study))
    runner, base = await start_registry(state)
    try:
        async with aiohttp.ClientSession() as session:
            client = RegistryClient("ctgov", session, HttpOptions(timeout_s=30.0, retries=0))
            source = CtgovSource(client, f"{base}/ctgov", "", per_page=1_000)
            served = [study async for study in source.fetch()]
            sizes = [await _page_size(session, f"{base}/ctgov", asked) for asked in (7, 5_000)]
    finally:
        await runner.cleanup()
    # each study as served: its id read from its bytes, which decode to the study itself
    assert all(isinstance(study, Served) for study in served)
    ids = [study.registry_id for study in served if isinstance(study, Served)]
    assert ids == [generated_nct_id(i) for i in range(1, 2_346)]
    first = served[0]
    assert isinstance(first, Served)
    assert first.decoded() == ctgov_study(1)
    assert first.digest == hashlib.sha256(orjson.dumps(ctgov_study(1))).hexdigest()
    assert len(state.requests) == 3 + 2  # pages of 1,000, 1,000, 345; then the two asked
    assert sizes == [7, 1_000]  # as many as asked, at most 1,000


async def _page_size(session: aiohttp.ClientSession, url: str, asked: int) -> int:
    async with session.get(f"{url}/studies", params={"pageSize": asked}) as response:
        return len((await response.json())["studies"])
