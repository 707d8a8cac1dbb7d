"""Source of `saved_objects.ndjson`: the Kibana data views, searches, Lens charts and dashboard.

Kibana stores nested JSON as strings (`searchSourceJSON`, `panelsJSON`), which nobody can review
in the NDJSON itself, so it is written from here:

    python -m kibana.objects > kibana/saved_objects.ndjson

`tests/ops/test_kibana_objects.py` fails when the file and this script disagree. Shapes follow
the sample data that Kibana 9 ships (data view 7.11.0, search 7.9.3, Lens 8.9.0 with the
`formBased` datasource, dashboard 8.7.0 with by-reference panels); Kibana migrates them on import.
Data view titles are the unprefixed aliases; `trials kibana import` applies TRIALS_INDEX_PREFIX.
"""

from __future__ import annotations

import json
import sys
from typing import Any

CORE = "8.8.0"
TRIALS_VIEW = "trials-data-view"
RUNS_VIEW = "trials-sync-log-data-view"
HISTORY_VIEW = "trials-history-data-view"
KQL_ALL = {"query": "", "language": "kuery"}
ALL_TIME = {"from": "now-30y", "to": "now"}  # distributions count every trial, not a window


def compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def data_view(view_id: str, title: str, name: str, time_field: str) -> dict[str, Any]:
    return {
        "type": "index-pattern",
        "id": view_id,
        "attributes": {
            "title": title,
            "name": name,
            "timeFieldName": time_field,
            "fields": "[]",
            "runtimeFieldMap": "{}",
        },
        "references": [],
        "coreMigrationVersion": CORE,
        "typeMigrationVersion": "7.11.0",
    }


def search(
    search_id: str, title: str, view_id: str, columns: list[str], sort: str, kql: str
) -> dict[str, Any]:
    source = {
        "query": {"query": kql, "language": "kuery"},
        "filter": [],
        "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index",
    }
    return {
        "type": "search",
        "id": search_id,
        "attributes": {
            "title": title,
            "description": "",
            "columns": columns,
            "sort": [[sort, "desc"]],
            "kibanaSavedObjectMeta": {"searchSourceJSON": compact(source)},
        },
        "references": [
            {
                "type": "index-pattern",
                "id": view_id,
                "name": "kibanaSavedObjectMeta.searchSourceJSON.index",
            }
        ],
        "coreMigrationVersion": CORE,
        "typeMigrationVersion": "7.9.3",
    }


def metric(label: str, operation: str, field: str) -> dict[str, Any]:
    return {
        "label": label,
        "customLabel": True,
        "dataType": "number",
        "operationType": operation,
        "sourceField": field,
        "isBucketed": False,
        "scale": "ratio",
        "params": {"emptyAsNull": True},
    }


def top_values(field: str, size: int, order_by: str) -> dict[str, Any]:
    return {
        "label": f"Top {size} values of {field}",
        "dataType": "string",
        "operationType": "terms",
        "sourceField": field,
        "isBucketed": True,
        "scale": "ordinal",
        "params": {
            "size": size,
            "orderBy": {"type": "column", "columnId": order_by},
            "orderDirection": "desc",
            "otherBucket": True,
            "missingBucket": False,
            "parentFormat": {"id": "terms"},
        },
    }


def histogram(field: str) -> dict[str, Any]:
    return {
        "label": field,
        "dataType": "date",
        "operationType": "date_histogram",
        "sourceField": field,
        "isBucketed": True,
        "scale": "interval",
        "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False},
    }


def lens_xy(
    lens_id: str,
    title: str,
    view_id: str,
    series: str,
    columns: dict[str, dict[str, Any]],
    x: str,
    split: str | None = None,
) -> dict[str, Any]:
    """One Lens XY chart over one data view: x = column `x`, y = every metric column."""
    layer_id = f"{lens_id}-layer"
    metrics = [key for key, col in columns.items() if not col["isBucketed"]]
    layer: dict[str, Any] = {
        "layerId": layer_id,
        "layerType": "data",
        "seriesType": series,
        "xAccessor": x,
        "accessors": metrics,
    }
    if split:
        layer["splitAccessor"] = split
    buckets = ([split] if split else []) + [x]
    state = {
        "datasourceStates": {
            "formBased": {
                "layers": {
                    layer_id: {
                        "columns": columns,
                        "columnOrder": buckets + metrics,
                        "incompleteColumns": {},
                    }
                }
            }
        },
        "visualization": {
            "legend": {"isVisible": True, "position": "right"},
            "valueLabels": "hide",
            "fittingFunction": "None",
            "preferredSeriesType": series,
            "layers": [layer],
        },
        "query": KQL_ALL,
        "filters": [],
        "internalReferences": [],
        "adHocDataViews": {},
    }
    return {
        "type": "lens",
        "id": lens_id,
        "attributes": {
            "title": title,
            "description": "",
            "visualizationType": "lnsXY",
            "state": state,
        },
        "references": [
            {
                "type": "index-pattern",
                "id": view_id,
                "name": f"indexpattern-datasource-layer-{layer_id}",
            }
        ],
        "coreMigrationVersion": CORE,
        "typeMigrationVersion": "8.9.0",
    }


def sync_runs_chart() -> dict[str, Any]:
    columns = {
        "source": top_values("source", 10, "created"),
        "started": histogram("started_at"),
        "created": metric("Created", "sum", "counts.created"),
        "updated": metric("Updated", "sum", "counts.updated"),
        "failed": metric("Failed", "sum", "counts.failed"),
    }
    return lens_xy(
        "trials-sync-runs-over-time",
        "Sync runs over time: created, updated, failed per source",
        RUNS_VIEW,
        "bar_stacked",
        columns,
        x="started",
        split="source",
    )


def changes_chart() -> dict[str, Any]:
    """The registry changes the indexer recorded (trials-history), per day and kind."""
    columns = {
        "change": top_values("change", 4, "count"),
        "at": histogram("at"),
        "count": metric("Changes", "count", "___records___"),
    }
    return lens_xy(
        "trials-changes-over-time",
        "Trial changes over time: created, updated, removed, restored",
        HISTORY_VIEW,
        "bar_stacked",
        columns,
        x="at",
        split="change",
    )


def changed_fields_chart() -> dict[str, Any]:
    columns = {
        "value": top_values("changed_fields", 20, "count"),
        "count": metric("Changes", "count", "___records___"),
    }
    return lens_xy(
        "trials-changed-fields",
        "Fields the registries changed most",
        HISTORY_VIEW,
        "bar_horizontal",
        columns,
        "value",
    )


def trials_by(
    field: str, size: int, slug: str | None = None, label: str | None = None
) -> dict[str, Any]:
    columns = {
        "value": top_values(field, size, "count"),
        "count": metric("Trials", "count", "___records___"),  # Lens' name for "documents"
    }
    slug, label = slug or field, label or field
    return lens_xy(
        f"trials-by-{slug}", f"Trials by {label}", TRIALS_VIEW, "bar_horizontal", columns, "value"
    )


# Age bands, in years, for the eligibility bounds: children, adults by the thresholds the
# registries use (18, and 19 in Korea), middle age, older people.
AGE_BANDS = ((0, 18, "under 18"), (18, 20, "18-19"), (20, 40, "20-39"), (40, 65, "40-64"))


def age_bands(field: str) -> dict[str, Any]:
    """A Lens `range` column: the bands above and 65 or more (a missing bound is counted in
    none)."""
    ranges = [{"from": lo, "to": hi, "label": label} for lo, hi, label in AGE_BANDS]
    ranges.append({"from": 65, "to": None, "label": "65 and over"})
    return {
        "label": field,
        "dataType": "string",
        "operationType": "range",
        "sourceField": field,
        "isBucketed": True,
        "scale": "ordinal",
        "params": {
            "type": "range",
            "ranges": ranges,
            "maxBars": "auto",
            "includeEmptyRows": True,
            "parentFormat": {
                "id": "range",
                "params": {"template": "arrow_right", "replaceInfinity": True},
            },
        },
    }


def trials_by_age(bound: str, label: str) -> dict[str, Any]:
    columns = {
        "band": age_bands(f"eligibility.{bound}_age_years"),
        "count": metric("Trials", "count", "___records___"),
    }
    return lens_xy(
        f"trials-by-{bound}-age", f"Trials by {label}", TRIALS_VIEW, "bar", columns, "band"
    )


def panel(index: int, kind: str, x: int, y: int, w: int, h: int, **config: Any) -> dict[str, Any]:
    return {
        "version": "8.11.0",
        "type": kind,
        "gridData": {"x": x, "y": y, "w": w, "h": h, "i": str(index)},
        "panelIndex": str(index),
        "embeddableConfig": {"enhancements": {}, **config},
        "panelRefName": f"panel_{index}",
    }


def dashboard(panels: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """`panels` pairs each panel with the saved object it shows (by reference)."""
    return {
        "type": "dashboard",
        "id": "trials-dashboard",
        "attributes": {
            "title": "Trials: sync and data",
            "description": "Sync runs per source, failed runs, and what the trials index holds: "
            "phases, statuses, registries, departments, where trials run and whom they accept",
            "timeRestore": True,
            "timeFrom": "now-30d",
            "timeTo": "now",
            "refreshInterval": {"pause": True, "value": 60000},
            "optionsJSON": compact(
                {"useMargins": True, "syncColors": False, "hidePanelTitles": False}
            ),
            "panelsJSON": compact([p for p, _ in panels]),
            "kibanaSavedObjectMeta": {
                "searchSourceJSON": compact({"query": KQL_ALL, "filter": []})
            },
        },
        "references": [
            {"name": f"{p['panelIndex']}:{p['panelRefName']}", "type": obj["type"], "id": obj["id"]}
            for p, obj in panels
        ],
        "coreMigrationVersion": CORE,
        "typeMigrationVersion": "8.7.0",
    }


def build() -> list[dict[str, Any]]:
    latest = search(
        "trials-latest-changed",
        "Trials: latest changed",
        TRIALS_VIEW,
        ["source", "registry_id", "title", "status", "phase", "department", "sponsor"],
        "changed_at",
        "",
    )
    failed = search(
        "trials-failed-sync-runs",
        "Sync runs that failed or partly failed",
        RUNS_VIEW,
        ["source", "status", "trigger", "message", "counts.failed", "counts.rejected", "run_id"],
        "started_at",
        'status : ("failed" or "partial")',
    )
    runs = sync_runs_chart()
    changes = search(
        "trials-changes",
        "Trial changes (history)",
        HISTORY_VIEW,
        ["trial_id", "change", "changed_fields", "title", "run_id"],
        "at",
        "",
    )
    history = [changes_chart(), changed_fields_chart()]
    charts = [
        *(
            trials_by(field, size)
            for field, size in (("phase", 20), ("status", 20), ("source", 10), ("department", 20))
        ),
        trials_by("sites.region", 17, "region", "site region (시/도)"),
        trials_by("sites.country", 20, "country", "site country"),
        trials_by("eligibility.sex", 3, "sex", "sex accepted"),
        trials_by_age("min", "youngest age accepted"),
        trials_by_age("max", "oldest age accepted"),
    ]
    panels = [
        (panel(1, "lens", 0, 0, 48, 14), runs),
        (panel(2, "search", 0, 14, 48, 12), failed),
    ]
    for n, chart in enumerate(charts):
        at = panel(3 + n, "lens", 24 * (n % 2), 26 + 12 * (n // 2), 24, 12, timeRange=ALL_TIME)
        panels.append((at, chart))
    below = 26 + 12 * ((len(charts) + 1) // 2)
    panels.append((panel(3 + len(charts), "search", 0, below, 48, 16), latest))
    n = 4 + len(charts)
    panels.append((panel(n, "lens", 0, below + 16, 24, 14), history[0]))
    panels.append((panel(n + 1, "lens", 24, below + 16, 24, 14), history[1]))
    panels.append((panel(n + 2, "search", 0, below + 30, 48, 16), changes))
    views = [
        data_view(TRIALS_VIEW, "trials", "Trials", "changed_at"),
        data_view(RUNS_VIEW, "trials-sync-log", "Trials sync runs", "started_at"),
        data_view(HISTORY_VIEW, "trials-history", "Trial changes", "at"),
    ]
    return [*views, latest, failed, changes, runs, *charts, *history, dashboard(panels)]


def main() -> None:
    for obj in build():
        sys.stdout.write(compact(obj) + "\n")


if __name__ == "__main__":
    main()
