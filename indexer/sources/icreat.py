"""iCReaT clinical-research tasks from the odcloud portal (dataset 3074271).

Page-number pagination over a gateway whose pages can overlap (API_NOTES §1.3), so the run
de-duplicates by 과제번호 and this module never assumes `len(data) <= perPage`. There is no
update date: changes are found by the content hash alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from indexer.errors import BadKey, BadResponse, RecordRejected
from indexer.http import RegistryClient, query_string
from indexer.sources import paging, parsing, vocab
from indexer.sources.base import Raw
from trials.model import StudyPeriod, Trial, content_hash

ID_KEY = "과제번호"


class IcreatSource:
    name = "icreat"
    normalizer = 2  # 2: concepts tagged (indexer.tagging)
    selection = ""  # every record of the registry
    reads_details = False

    def __init__(self, client: RegistryClient, url: str, key: str, per_page: int = 500) -> None:
        self.client = client
        self.url = url
        self.key = key
        self.reported_total: int | None = None  # the registry's totalCount, once read
        self.full_fetch = True  # no update date to ask by: every run reads every task
        self.shortfall: str | None = None
        self.per_page = per_page

    async def fetch(self) -> AsyncIterator[Raw]:
        if not self.key:
            raise BadKey(self.name, "no service key: set TRIALS_DATA_GO_KR_KEY")
        page = 1
        while True:
            query = query_string([("page", page), ("perPage", self.per_page)], self.key)
            payload = await self.client.get_json(self.url, query)
            data = payload.get("data") if isinstance(payload, dict) else None
            if not isinstance(data, list):
                raise BadResponse(self.name, f"page {page}: no `data` list in the response")
            for item in data:
                yield item
            total = payload.get("totalCount")
            total = total if isinstance(total, int) else None
            self.reported_total = total if total is not None else self.reported_total
            self.shortfall = paging.capped(
                paging.Served(
                    page,
                    self.per_page,
                    len(data),
                    total,
                    paging.echoed(payload.get("page")),
                    paging.echoed(payload.get("perPage")),
                )
            )
            ended = total is not None and page * self.per_page >= total
            if not data or self.shortfall or ended:
                return
            page += 1

    def identify(self, raw: Raw) -> str:
        return identify(raw)

    def hashed_content(self, raw: Raw) -> Any:
        return parsing.canonical_flat(raw)

    async def complete(self, raw: Raw) -> Raw:
        return raw

    def reuse(self, raw: Raw, stored: Raw) -> Raw:
        return raw

    def normalize(self, raw: Raw) -> Trial:
        return normalize(self.name, raw)


def identify(raw: Raw) -> str:
    registry_id = parsing.text(raw.get(ID_KEY), ID_KEY) if isinstance(raw, dict) else None
    if registry_id is None:
        raise RecordRejected(f"no {ID_KEY} (task number)")
    return registry_id


def normalize(source: str, raw: Raw, *, synthetic: bool = False) -> Trial:
    registry_id = identify(raw)
    title = parsing.text(raw.get("과제명"), "과제명")
    if title is None:
        raise RecordRejected("과제명 (title) is empty")
    period = parsing.text(raw.get("연구기간"), "연구기간")
    phase_raw = parsing.text(raw.get("임상시험단계(연구모형)"), "임상시험단계(연구모형)")
    type_raw = parsing.text(raw.get("연구종류"), "연구종류")
    return Trial(
        source=source,
        registry_id=registry_id,
        title=title,
        title_ko=title if parsing.is_korean(title) else None,
        title_en=None if parsing.is_korean(title) else title,
        content_hash=content_hash(parsing.canonical_flat(raw)),
        raw=raw,
        synthetic=synthetic,
        department=parsing.text(raw.get("진료과"), "진료과"),
        institution=parsing.text(raw.get("연구책임기관"), "연구책임기관"),
        target_size=parsing.integer(raw.get("전체목표연구대상자수"), "전체목표연구대상자수"),
        study_period=StudyPeriod(raw=period, months=parsing.months_of(period)),
        study_type=vocab.study_type(type_raw),
        study_type_raw=type_raw,
        phase=vocab.phase(phase_raw),
        phase_raw=phase_raw,
        scope=parsing.text(raw.get("연구범위"), "연구범위"),
    )
