"""Bad records are judged in one place, the pipeline: a record a source cannot read — a field it
rejects or a shape it does not expect — is counted `rejected`, named, and the run goes on."""

from __future__ import annotations

from typing import Any

import pytest

from indexer.errors import RecordRejected
from indexer.pipeline import normalized
from indexer.sources.cris import CrisSource
from indexer.sources.demo import DemoSource, demo_study
from indexer.sources.icreat import IcreatSource
from testkit.registry import records
from tests.indexer.conftest import Env
from trials.model import doc_id


async def _errors(env: Env, run_id: str) -> dict[str, list[str]]:
    found = await env.es.get(index=env.names.sync_log, id=run_id)
    return {e["reason"]: e["ids"] for e in found["_source"]["errors"]}


def _nct(study: dict[str, Any]) -> str:
    return str(study["protocolSection"]["identificationModule"]["nctId"])


async def test_studies_of_the_wrong_shape_are_rejected_named_and_the_run_goes_on(
    env: Env,
) -> None:
    studies = env.state.ctgov
    studies[0]["protocolSection"]["statusModule"] = "withdrawn"  # an object expected
    studies[1]["protocolSection"]["conditionsModule"] = {"conditions": 5}  # a list expected
    bad = {doc_id("ctgov", _nct(studies[0])), doc_id("ctgov", _nct(studies[1]))}

    run = await env.run("ctgov")

    assert run.status == "completed", run.message
    assert (run.counts.rejected, run.counts.created) == (2, len(studies) - 2)
    named = {
        key: ids for key, ids in (await _errors(env, run.run_id)).items() if "wrong shape" in key
    }
    assert sorted(i for ids in named.values() for i in ids) == sorted(bad)
    assert any("AttributeError" in reason for reason in named)
    assert any("TypeError" in reason for reason in named)


# sources that are never asked to fetch here need no client
_ICREAT = IcreatSource(None, "http://x", "key")  # type: ignore[arg-type]
_CRIS = CrisSource(None, "http://x", "key")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "raw", "reason"),
    [
        (_ICREAT, {"과제번호": "C1", "과제명": ["t"]}, "과제명: expected text"),
        (_CRIS, {"list": {"trial_id": "KCT1"}, "detail": ["a list"]}, "wrong shape: Attri"),
        (DemoSource(), {"list": {"trial_id": "DEMO-000001"}}, "wrong shape: KeyError"),
    ],
)
def test_every_source_s_bad_records_become_one_kind_of_rejection(
    source: Any, raw: dict[str, Any], reason: str
) -> None:
    with pytest.raises(RecordRejected, match=reason):
        normalized(source, raw)


def test_a_good_record_goes_through_unchanged() -> None:
    source = DemoSource()
    assert normalized(source, demo_study(3)) == source.normalize(demo_study(3))
    raw = records.icreat_records()[0]
    assert normalized(_ICREAT, raw).registry_id == raw["과제번호"]
