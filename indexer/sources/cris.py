"""CRIS (Clinical Research Information Service) from the data.go.kr API (dataset 3033869).

The list (≤ 50 rows a page, newest first) carries the fields the content hash covers; the
detail, fetched only for new or changed records, adds status, summary, target size and sites.
A record is stored as `{"list": <list item>, "detail": <detail or null>}`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from indexer.errors import BadKey, BadResponse, RecordRejected
from indexer.http import RegistryClient, query_string
from indexer.sources import parsing, vocab
from indexer.sources.base import Raw
from trials.model import StudyPeriod, Trial, content_hash, day_start

PAGE_SIZE_MAX = 50
_ENVELOPE = frozenset({"resultCode", "resultMsg"})


class CrisSource:
    name = "cris"

    def __init__(self, client: RegistryClient, url: str, key: str, per_page: int = 50) -> None:
        self.client = client
        self.url = url.rstrip("/")
        self.key = key
        self.reported_total: int | None = None  # the registry's totalCount, once read
        self.full_fetch = True  # the list cannot be asked for changes only
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
            if not items or (total is not None and page * self.per_page >= total):
                return
            page += 1

    def identify(self, raw: Raw) -> str:
        item = raw.get("list", raw) if isinstance(raw, dict) else None
        registry_id = parsing.text(item.get("trial_id"), "trial_id") if item else None
        if registry_id is None:
            raise RecordRejected("no trial_id")
        return registry_id

    def hashed_content(self, raw: Raw) -> Any:
        return parsing.canonical_flat(raw)

    async def complete(self, raw: Raw) -> Raw:
        query = query_string([("resultType", "json"), ("crisNumber", self.identify(raw))], self.key)
        detail = await self.client.get_json(f"{self.url}/detail", query, allow_no_data=True)
        if isinstance(detail, dict):
            detail = {k: v for k, v in detail.items() if k not in _ENVELOPE}
        return {"list": raw, "detail": detail or None}

    def normalize(self, raw: Raw) -> Trial:
        registry_id = self.identify(raw)
        return normalize_record(registry_id, raw.get("list", raw), raw.get("detail") or {})


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


def _first(items: Any, key: str) -> str | None:
    for item in items if isinstance(items, list) else []:
        found = parsing.text(item.get(key), key) if isinstance(item, dict) else None
        if found:
            return found
    return None


def _date(value: Any, name: str) -> str | None:
    day = parsing.calendar_date(value, name)
    return day_start(day) if day else None


def normalize_record(registry_id: str, item: Raw, detail: Raw) -> Trial:
    """A Trial from a CRIS list item and its detail (which may be empty)."""

    def pick(key: str) -> str | None:
        return parsing.text(detail.get(key), key) or parsing.text(item.get(key), key)

    title_ko, title_en = pick("scientific_title_kr"), pick("scientific_title_en")
    title = title_ko or title_en or pick("public_title_kr") or pick("public_title_en")
    if title is None:
        raise RecordRejected("no title")
    start = parsing.calendar_date(pick("date_enrolment"), "date_enrolment")
    end = parsing.calendar_date(pick("results_date_completed"), "results_date_completed")
    phase_raw = pick("phase_kr") or pick("phase_en")
    type_raw = pick("study_type_kr")
    status_raw = pick("recruitment_status_en") or pick("recruitment_status_kr")
    interventions = pick("i_freetext_kr")
    conditions = [c for c in (pick("hc_code_kr"), pick("hc_code_en")) if c]
    return Trial(
        source="cris",
        registry_id=registry_id,
        title=title,
        title_ko=title_ko,
        title_en=title_en,
        content_hash=content_hash(parsing.canonical_flat(item)),
        raw={"list": item, "detail": detail or None},
        summary=pick("study_summary_kr") or pick("study_summary_en"),
        conditions=conditions,
        interventions=[interventions] if interventions else [],
        institution=pick("affiliation_kr") or _first(detail.get("research_items"), "site_name_kr"),
        sponsor=pick("primary_sponsor_kr")
        or _first(detail.get("sponsor_items"), "primary_sponsor_kr"),
        phase=vocab.phase(phase_raw),
        phase_raw=phase_raw,
        study_type=vocab.study_type(type_raw),
        study_type_raw=type_raw,
        status=vocab.status(status_raw),
        status_raw=status_raw,
        target_size=parsing.integer(detail.get("target_size"), "target_size"),
        study_period=StudyPeriod(
            start=start.isoformat() if start else None,
            end=end.isoformat() if end else None,
            months=parsing.months_between(start, end),
        ),
        registered_at=_date(pick("date_registration"), "date_registration"),
        source_updated_at=_date(pick("date_updated"), "date_updated"),
    )
