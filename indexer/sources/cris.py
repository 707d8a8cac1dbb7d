"""CRIS (Clinical Research Information Service) from the data.go.kr API (dataset 3033869).

The list (≤ 50 rows a page, newest first) lacks what the detail adds: status, summary, target
size and sites. A record is `{"list": <list item>, "detail": <detail>}`, and its content hash
covers both, so a change made only in the detail is an update. The detail is read for new and
changed list items, and again within a maximum age for the others (`indexer.refresh`); between
reads the stored detail is reused. A detail the portal answers with no data fails that record
(its stored version is kept and it is read again next run), never stores a trial without it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from indexer.errors import BadKey, BadResponse, RecordRejected
from indexer.http import RegistryClient, query_string
from indexer.sources import cris_record, paging, parsing
from indexer.sources.base import Raw
from trials.model import Trial

PAGE_SIZE_MAX = 50
_ENVELOPE = frozenset({"resultCode", "resultMsg"})


class CrisSource:
    name = "cris"
    normalizer = 2  # 2: concepts tagged (indexer.tagging)
    selection = ""  # every record of the registry
    reads_details = True

    def __init__(self, client: RegistryClient, url: str, key: str, per_page: int = 50) -> None:
        self.client = client
        self.url = url.rstrip("/")
        self.key = key
        self.reported_total: int | None = None  # the registry's totalCount, once read
        self.full_fetch = True  # the list cannot be asked for changes only
        self.shortfall: str | None = None
        self.per_page = min(per_page, PAGE_SIZE_MAX)

    async def fetch(self) -> AsyncIterator[Raw]:
        if not self.key:
            raise BadKey(self.name, "no service key: set TRIALS_DATA_GO_KR_KEY")
        page = 1
        while True:
            params: list[tuple[str, str | int]] = [
                ("resultType", "json"),
                ("pageNo", page),
                ("numOfRows", self.per_page),
            ]
            query = query_string(params, self.key)
            payload = await self.client.get_json(f"{self.url}/list", query, allow_no_data=True)
            items = _items(payload, page)
            for item in items:
                yield item
            total = payload.get("totalCount") if isinstance(payload, dict) else None
            total = parsing.integer(total, "totalCount") if isinstance(total, int | str) else None
            self.reported_total = total if total is not None else self.reported_total
            self.shortfall = paging.capped(_served(payload, page, self.per_page, len(items), total))
            ended = total is not None and page * self.per_page >= total
            if not items or self.shortfall or ended:
                return
            page += 1

    def identify(self, raw: Raw) -> str:
        item = raw.get("list", raw) if isinstance(raw, dict) else None
        registry_id = parsing.text(item.get("trial_id"), "trial_id") if item else None
        if registry_id is None:
            raise RecordRejected("no trial_id")
        return registry_id

    def hashed_content(self, raw: Raw) -> Any:
        detail = raw.get("detail")
        return {
            "list": parsing.canonical_flat(raw["list"]),
            "detail": parsing.canonical_flat(detail) if isinstance(detail, dict) else None,
        }

    async def complete(self, raw: Raw) -> Raw:
        query = query_string([("resultType", "json"), ("crisNumber", self.identify(raw))], self.key)
        detail = await self.client.get_json(f"{self.url}/detail", query, allow_no_data=True)
        if detail is None:
            raise BadResponse(self.name, "detail: the portal answered no data (NODATA)")
        if not isinstance(detail, dict):
            raise BadResponse(self.name, "detail: expected a JSON object")
        return {"list": raw, "detail": {k: v for k, v in detail.items() if k not in _ENVELOPE}}

    def reuse(self, raw: Raw, stored: Raw) -> Raw:
        return {"list": raw, "detail": stored.get("detail")}

    def normalize(self, raw: Raw) -> Trial:
        registry_id = self.identify(raw)
        return normalize_record(registry_id, raw.get("list", raw), raw.get("detail") or {})


def _served(payload: Any, page: int, asked: int, rows: int, total: int | None) -> paging.Served:
    echo = payload if isinstance(payload, dict) else {}
    page_no, size = paging.echoed(echo.get("pageNo")), paging.echoed(echo.get("numOfRows"))
    return paging.Served(page, asked, rows, total, page_no, size)


def _items(payload: Any, page: int) -> list[Raw]:
    if payload is None:  # NODATA past the last page
        return []
    if not isinstance(payload, dict):
        raise BadResponse("cris", f"page {page}: expected a JSON object")
    items = payload.get("items") or []
    if isinstance(items, dict):  # one row may come back as an object, not a list
        items = [items.get("item", items)]
    if not isinstance(items, list):
        raise BadResponse("cris", f"page {page}: `items` is not a list")
    return items


def normalize_record(registry_id: str, item: Raw, detail: Raw) -> Trial:
    """A Trial from a CRIS list item and its detail (which may be empty): `cris_record`."""
    return cris_record.normalize_record(registry_id, item, detail)
