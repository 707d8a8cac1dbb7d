"""The Kibana saved objects: they parse, every reference resolves, every field exists in mappings/,
and the committed NDJSON is what `kibana/objects.py` writes."""

from __future__ import annotations

import json
import re
import runpy
from collections.abc import Iterator
from typing import Any

import pytest

import mappings
from kibana.saved_objects import OBJECTS_FILE, for_names, load_objects, to_ndjson
from trials.indices import Names

from .conftest import REPO

SPEC_OF_TITLE = {
    "trials": "trials",
    "trials-sync-log": "sync_log",
    "trials-history": "trial_history",
}
KQL_FIELD = re.compile(r"([\w.]+)\s*:")


def field_paths(properties: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Every searchable name in a mapping: object sub-fields and multi-fields included."""
    for name, spec in properties.items():
        path = f"{prefix}{name}"
        yield path
        yield from field_paths(spec.get("properties", {}), f"{path}.")
        yield from field_paths(spec.get("fields", {}), f"{path}.")


def mapped_fields(spec: str) -> set[str]:
    return set(field_paths(mappings.load(spec).properties))


@pytest.fixture(scope="module")
def objects() -> list[dict[str, Any]]:
    return load_objects()


@pytest.fixture(scope="module")
def by_id(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in objects}


def view_fields(obj: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> set[str]:
    """The mapped fields of the one data view an object reads from."""
    (view_id,) = {r["id"] for r in obj["references"] if r["type"] == "index-pattern"}
    return mapped_fields(SPEC_OF_TITLE[by_id[view_id]["attributes"]["title"]])


def used_fields(obj: dict[str, Any]) -> set[str]:
    attributes = obj["attributes"]
    if obj["type"] == "index-pattern":
        return {attributes["timeFieldName"]}
    if obj["type"] == "search":
        source = json.loads(attributes["kibanaSavedObjectMeta"]["searchSourceJSON"])
        kql = set(KQL_FIELD.findall(source["query"]["query"]))
        return set(attributes["columns"]) | {field for field, _ in attributes["sort"]} | kql
    if obj["type"] == "lens":
        layers = attributes["state"]["datasourceStates"]["formBased"]["layers"].values()
        columns = [c for layer in layers for c in layer["columns"].values()]
        return {c["sourceField"] for c in columns} - {"___records___"}
    return set()


def test_the_file_is_ndjson_with_unique_typed_objects(objects: list[dict[str, Any]]) -> None:
    lines = OBJECTS_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(objects) >= 5
    for obj in objects:
        assert {"type", "id", "attributes", "references"} <= obj.keys()
        assert obj["attributes"]["title"]
    assert len({o["id"] for o in objects}) == len(objects)


def test_the_file_is_what_the_generator_writes(objects: list[dict[str, Any]]) -> None:
    build = runpy.run_path(str(REPO / "kibana" / "objects.py"))["build"]
    assert build() == objects, "run: python -m kibana.objects > kibana/saved_objects.ndjson"


def test_data_views_for_trials_and_sync_log(objects: list[dict[str, Any]]) -> None:
    views = {
        o["attributes"]["title"]: o["attributes"]["timeFieldName"]
        for o in objects
        if o["type"] == "index-pattern"
    }
    assert views == {
        "trials": "changed_at",
        "trials-sync-log": "started_at",
        "trials-history": "at",
    }


def test_every_reference_resolves_to_an_object_of_its_type(
    objects: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]
) -> None:
    for obj in objects:
        for ref in obj["references"]:
            assert ref["id"] in by_id, f"{obj['id']} references missing {ref['id']}"
            assert by_id[ref["id"]]["type"] == ref["type"]


def test_searches_and_charts_name_their_data_view(objects: list[dict[str, Any]]) -> None:
    for obj in objects:
        names = {r["name"] for r in obj["references"]}
        if obj["type"] == "search":
            source = json.loads(obj["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
            assert source["indexRefName"] in names
        if obj["type"] == "lens":
            layers = obj["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
            assert {f"indexpattern-datasource-layer-{layer}" for layer in layers} == names


def test_dashboard_panels_match_references(by_id: dict[str, dict[str, Any]]) -> None:
    board = by_id["trials-dashboard"]
    panels = json.loads(board["attributes"]["panelsJSON"])
    refs = {r["name"]: r for r in board["references"]}
    assert {f"{p['panelIndex']}:{p['panelRefName']}" for p in panels} == set(refs)
    shown = {refs[f"{p['panelIndex']}:{p['panelRefName']}"]["id"]: p["type"] for p in panels}
    assert all(by_id[obj_id]["type"] == kind for obj_id, kind in shown.items())
    expected = {
        "trials-sync-runs-over-time",
        "trials-failed-sync-runs",
        "trials-latest-changed",
        *(f"trials-by-{f}" for f in ("phase", "status", "source", "department")),
        *(f"trials-by-{f}" for f in ("region", "country", "sex", "min-age", "max-age")),
        *("trials-changes-over-time", "trials-changed-fields", "trials-changes"),
    }
    assert set(shown) == expected


def test_every_field_used_exists_in_the_mappings(
    objects: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]
) -> None:
    checked = 0
    for obj in objects:
        used = used_fields(obj)
        if obj["type"] == "index-pattern":
            known = mapped_fields(SPEC_OF_TITLE[obj["attributes"]["title"]])
        elif used:
            known = view_fields(obj, by_id)
        missing = used - known
        assert not missing, f"{obj['type']} {obj['id']} uses unmapped fields {sorted(missing)}"
        checked += len(used)
    assert checked >= 25


def test_the_field_walk_sees_nested_and_multi_fields() -> None:
    trials, runs = mapped_fields("trials"), mapped_fields("sync_log")
    assert {"title.exact", "title_en.ko", "study_period.start", "department.text"} <= trials
    assert {"counts.created", "errors.reason.keyword"} <= runs
    assert "counts.nonexistent" not in runs
    # the check itself catches a misspelt field
    broken = {
        "type": "search",
        "attributes": {
            "columns": ["titel"],
            "sort": [["changed_at", "desc"]],
            "kibanaSavedObjectMeta": {"searchSourceJSON": '{"query":{"query":"statsu : x"}}'},
        },
    }
    assert used_fields(broken) - trials == {"titel", "statsu"}


def test_import_points_data_views_at_prefixed_aliases(objects: list[dict[str, Any]]) -> None:
    adapted = for_names(objects, Names(prefix="acme-"))
    titles = {o["attributes"]["title"] for o in adapted if o["type"] == "index-pattern"}
    assert titles == {"acme-trials", "acme-trials-sync-log", "acme-trials-history"}
    assert [o["id"] for o in adapted] == [o["id"] for o in objects]
    assert for_names(objects, Names(prefix="")) == objects
    assert to_ndjson(objects).count(b"\n") == len(objects)
