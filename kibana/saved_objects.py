"""Kibana saved objects: the NDJSON shipped with this package, adapted to our index names, and
its import.

The file names the unprefixed aliases (`trials`, `trials-sync-log`); `for_names` points the data
views at the aliases of this deployment (`TRIALS_INDEX_PREFIX`). Importing goes through Kibana's
saved-objects API with `overwrite=true`, so running it again replaces the same objects by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import aiohttp
import orjson

from trials.indices import Names

OBJECTS_FILE = resources.files("kibana") / "saved_objects.ndjson"  # package data: works installed
IMPORT_PATH = "/api/saved_objects/_import"
# Data view titles in the file, by the spec whose alias they stand for.
DATA_VIEW_SPECS = {"trials": "trials", "trials-sync-log": "sync_log"}
DATA_VIEW_SPECS["trials-history"] = "trial_history"


class KibanaError(RuntimeError):
    """Kibana could not be reached, or refused the import (the message says which objects)."""


@dataclass(frozen=True)
class ImportResult:
    success_count: int
    objects: int


def load_objects(path: Traversable = OBJECTS_FILE) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [orjson.loads(line) for line in lines if line.strip()]


def for_names(objects: list[dict[str, Any]], names: Names) -> list[dict[str, Any]]:
    """The objects with each data view's title (its index pattern) set to our alias names."""
    adapted = []
    for obj in objects:
        title = obj["attributes"].get("title")
        if obj["type"] == "index-pattern" and title in DATA_VIEW_SPECS:
            attributes = {**obj["attributes"], "title": names.alias(DATA_VIEW_SPECS[title])}
            obj = {**obj, "attributes": attributes}
        adapted.append(obj)
    return adapted


def to_ndjson(objects: list[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(obj) + b"\n" for obj in objects)


async def import_objects(
    kibana_url: str, objects: list[dict[str, Any]], timeout_s: float = 60.0
) -> ImportResult:
    """POST the objects as one multipart NDJSON file; raise KibanaError unless all imported."""
    form = aiohttp.FormData()
    form.add_field(
        "file", to_ndjson(objects), filename=OBJECTS_FILE.name, content_type="application/ndjson"
    )
    url = f"{kibana_url.rstrip('/')}{IMPORT_PATH}"
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(
                url, params={"overwrite": "true"}, data=form, headers={"kbn-xsrf": "trials"}
            ) as response,
        ):
            body = await response.read()
            status = response.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        reason = str(exc) or type(exc).__name__
        raise KibanaError(f"Kibana is unreachable at {kibana_url}: {reason}") from exc
    return _result(status, body, len(objects))


def _result(status: int, body: bytes, sent: int) -> ImportResult:
    try:
        answer = orjson.loads(body)
    except orjson.JSONDecodeError:
        answer = None
    if status != 200 or not isinstance(answer, dict):
        detail = body[:300].decode(errors="replace")
        if isinstance(answer, dict):
            detail = str(answer.get("message", detail))
        raise KibanaError(f"Kibana refused the import (HTTP {status}): {detail}")
    if not answer.get("success") or answer.get("errors"):
        raise KibanaError("Kibana reported import errors:\n  " + "\n  ".join(_errors(answer)))
    return ImportResult(success_count=int(answer.get("successCount", 0)), objects=sent)


def _errors(answer: dict[str, Any]) -> list[str]:
    lines = []
    for error in answer.get("errors") or []:
        kind = error.get("error", {})
        reason = kind.get("message") or kind.get("type", "unknown error")
        missing = ", ".join(f"{r.get('type')}:{r.get('id')}" for r in kind.get("references", []))
        lines.append(f"{error.get('type')} {error.get('id')}: {reason} {missing}".rstrip())
    return lines or ["success=false without details"]
