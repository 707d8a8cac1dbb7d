"""The detail returns the whole record, list items a compact form; the detail schema declares
every field the trials mapping stores (the spec forbids properties it does not name, so a field
added to the mapping alone would break every detail response)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aiohttp.test_utils import TestClient
from marshmallow import Schema, fields

import mappings
from service.formatting import HIDDEN_FIELDS
from service.schemas import examples
from service.schemas.trial_views import TrialDetailSchema
from service.schemas.trials import RecentPageSchema, SearchPageSchema
from tests.service.named_trials import BUSAN, GOYANG

Client = TestClient[Any, Any]


def mapped(properties: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Object paths the documents hold (multi-fields are the same value, not listed), with
    the fields only `copy_to` fills (indexed, never in a document)."""
    for name, spec in properties.items():
        if spec.get("type", "object") == "object" and "properties" in spec:
            yield from mapped(spec["properties"], f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


def copy_sources(properties: dict[str, Any], prefix: str = "") -> dict[str, set[str]]:
    """Each field named by some `copy_to`, with the paths of the fields copied into it."""
    sources: dict[str, set[str]] = {}
    for name, spec in properties.items():
        for target in spec.get("copy_to", []):
            sources.setdefault(target, set()).add(prefix + name)
        for target, inner in copy_sources(spec.get("properties", {}), f"{prefix}{name}.").items():
            sources.setdefault(target, set()).update(inner)
    return sources


def declared(schema: Schema, prefix: str = "") -> Iterator[str]:
    for name, field in schema.fields.items():
        yield f"{prefix}{name}"  # a nested schema too: a geo_point is one mapped field
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            nested = inner.schema
            assert isinstance(nested, Schema)
            yield from declared(nested, f"{prefix}{name}.")


def test_the_detail_schema_declares_every_mapped_field() -> None:
    properties = mappings.load("trials").properties
    copies = set(copy_sources(properties))
    assert copies == {"text_titles", "text_subject", "text_all"}  # search fields, not stored
    stored = set(mapped(properties)) - set(HIDDEN_FIELDS) - copies
    assert stored - set(declared(TrialDetailSchema())) == set()


COMPACT = {
    *("id", "source", "registry_id", "url", "synthetic", "title", "title_en"),
    *("status", "phase", "study_type", "conditions", "institution"),
    *("eligibility", "regions", "countries"),
    *("registered_at", "source_updated_at", "first_seen_at", "changed_at", "last_change"),
}


async def test_list_items_are_compact_and_the_detail_complete(client: Client) -> None:
    found = await (await client.get("/api/v1/trials?q=semaglutide")).json()
    (item,) = found["items"]
    assert set(item) == COMPACT | {"score", "highlight"}
    assert item["eligibility"] == {"min_age_years": 18, "sex": "all", "healthy_volunteers": False}
    assert (item["regions"], item["countries"]) == (["경기도", "부산광역시"], ["KR"])

    detail = await (await client.get(f"/api/v1/trials/{item['id']}")).json()
    assert {k: detail[k] for k in COMPACT - {"eligibility", "regions", "countries"}} == {
        k: item[k] for k in COMPACT - {"eligibility", "regions", "countries"}
    }
    assert detail["eligibility"]["criteria"].startswith("Inclusion Criteria")
    assert [s["geo"] for s in detail["sites"]] == [GOYANG, BUSAN]
    assert detail["outcomes"][0]["measure"] == "Change in HbA1c"
    assert detail["keywords"] == ["GLP-1 receptor agonist", "semaglutide"]
    assert {"official_title", "summary", "collaborators", "raw", "content_hash"} <= set(detail)


async def test_recent_items_are_compact(client: Client) -> None:
    body = await (await client.get("/api/v1/trials/recent?include_removed=true")).json()
    for item in body["items"]:
        assert set(item) - {"removed_at", "title_ko", "change", "changed_fields"} <= COMPACT
        assert "sites" not in item
        assert "summary" not in item
    removed = next(i for i in body["items"] if i["id"] == "cris:KCT0000001")
    assert removed["removed_at"]
    assert removed["regions"] == ["서울특별시"]
    assert removed["eligibility"] == {"min_age_years": 30, "max_age_years": 60, "sex": "all"}


def test_the_swagger_examples_fit_their_schemas() -> None:
    pairs = [
        (TrialDetailSchema(), {**examples.TRIAL, "raw": {"trial_id": "KCT0011569"}}),
        (SearchPageSchema(), examples.SEARCH_PAGE),
        (RecentPageSchema(), examples.RECENT_PAGE),
    ]
    for schema, example in pairs:
        assert schema.validate(example) == {}
    assert "criteria" not in examples.SEARCH_ITEM["eligibility"]  # compact, as served
