"""ClinicalTrials.gov API v2 studies, following `nextPageToken`, a page at a time.

The query (`TRIALS_CTGOV_QUERY`) selects the studies; an empty one asks for every study, the
whole registry (about 560,000), with no query parameter at all. An incremental run adds a date
range on `LastUpdatePostDate`. Pages are of 1,000 studies, the API's maximum, and each is let
go once its studies are yielded, so memory does not grow with the registry.

The hash covers everything but `derivedSection`: that section (MeSH browse lists whose order
churns, `miscInfoModule.versionHolder` = the registry's daily snapshot date) changes without the
study changing (API_NOTES §3.4). Dates carry no zone and are taken as UTC calendar days.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, date
from typing import Any
from urllib.parse import parse_qsl, urlencode

import msgspec
import orjson

from indexer.errors import BadResponse, RecordRejected
from indexer.http import RegistryClient, query_string
from indexer.sources import ctgov_sections as sections
from indexer.sources import parsing, vocab
from indexer.sources.base import Listed, Raw, Served
from trials.model import StudyPeriod, Trial, content_hash, day_start

HASHED_SECTIONS = ("protocolSection", "resultsSection", "annotationSection", "documentSection")
PAGE_SIZE_MAX = 1000  # the API's maximum `pageSize`

log = logging.getLogger(__name__)


class CtgovSource:
    name = "ctgov"
    normalizer = 2  # 2: concepts tagged (indexer.tagging)
    reads_details = False

    def __init__(
        self,
        client: RegistryClient,
        url: str,
        query: str,
        per_page: int = PAGE_SIZE_MAX,
        since: date | None = None,
    ) -> None:
        self.client = client
        self.url = url.rstrip("/")
        self.params: list[tuple[str, str | int]] = list(parse_qsl(query, keep_blank_values=True))
        self.per_page = per_page
        self.reported_total: int | None = None  # not asked for (countTotal costs a query)
        self.full_fetch = since is None
        self.shortfall: str | None = None  # token paging: no page can be cut short unseen
        self.scope = _scope(query.strip(), since)
        self.selection = selection_of(query)
        if since is not None:  # incremental: only studies posted as updated since the cursor
            self._and_advanced(f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]")

    def _and_advanced(self, expression: str) -> None:
        for i, (name, value) in enumerate(self.params):
            if name == "filter.advanced":
                self.params[i] = (name, f"({value}) AND {expression}")
                return
        self.params.append(("filter.advanced", expression))

    async def fetch(self) -> AsyncIterator[Listed]:
        log.info("%s: reading %s, %s a page", self.name, self.scope, f"{self.per_page:,}")
        token: str | None = None
        while True:
            page = await self._page(token)
            studies = page.studies
            token = page.nextPageToken if studies else None  # an empty page ends the crawl
            studies.reverse()
            while studies:  # each study leaves the page as it is yielded: no page outlives
                yield _served(studies.pop())  # its studies, none is held while the next one
            if not token:
                return

    async def _page(self, token: str | None) -> _Page:
        """A page: its studies' bytes, each apart, and the token of the next page."""
        params = [*self.params, ("format", "json"), ("pageSize", self.per_page)]
        if token:
            params.append(("pageToken", token))
        page: _Page = await self.client.get_json(
            f"{self.url}/studies", query_string(params), decode=self._read_page
        )
        return page

    def _read_page(self, body: bytes) -> _Page:
        try:
            return _PAGE.decode(body)
        except msgspec.ValidationError as exc:  # JSON, but not a page (a DecodeError: not JSON)
            raise BadResponse(self.name, f"no `studies` list in the response ({exc})") from None

    def identify(self, raw: Raw) -> str:
        ident = _get(raw, "protocolSection", "identificationModule")
        nct = parsing.text(ident.get("nctId"), "nctId") if isinstance(ident, dict) else None
        if nct is None:
            raise RecordRejected("no protocolSection.identificationModule.nctId")
        return nct

    def hashed_content(self, raw: Raw) -> Any:
        return {key: raw.get(key) for key in HASHED_SECTIONS if raw.get(key) is not None}

    async def complete(self, raw: Raw) -> Raw:
        return raw

    def reuse(self, raw: Raw, stored: Raw) -> Raw:
        return raw

    def normalize(self, raw: Raw) -> Trial:
        return _normalize(self.identify(raw), raw, content_hash(self.hashed_content(raw)))


def selection_of(query: str) -> str:
    """The query's parameters in one order, so the same selection reads the same."""
    return urlencode(sorted(parse_qsl(query.strip(), keep_blank_values=True)))


def _scope(query: str, since: date | None) -> str:
    """What a fetch reads, in words, for the run's log."""
    studies = f"the studies `{query}` selects" if query else "every study (the whole registry)"
    return f"{studies} updated since {since.isoformat()}" if since else f"{studies}, in full"


class _Page(msgspec.Struct):
    """A page of the API's answer: each study's bytes, undecoded (`msgspec.Raw`)."""

    studies: list[msgspec.Raw]
    nextPageToken: str | None = None


class _Identification(msgspec.Struct):
    nctId: Any = None


class _Protocol(msgspec.Struct):
    identificationModule: _Identification | None = None


class _Identified(msgspec.Struct):
    """Only what names a study: the rest of its bytes is skipped, not decoded."""

    protocolSection: _Protocol | None = None


_PAGE = msgspec.json.Decoder(_Page)
_IDENTIFIED = msgspec.json.Decoder(_Identified)


def _served(study: msgspec.Raw) -> Listed:
    """A study as served, named by its NCT id; decoded at once when no id can be read that way
    (the pipeline then rejects it, naming why, as it does any record without one)."""
    body = bytes(study)  # its own copy: the page's buffer goes once its studies are read
    try:
        protocol = _IDENTIFIED.decode(body).protocolSection
    except msgspec.ValidationError:  # a study of another shape
        protocol = None
    ident = protocol.identificationModule if protocol else None
    nct = ident.nctId if ident else None
    if not isinstance(nct, str) or not nct.strip():
        decoded: Listed = orjson.loads(body)
        return decoded
    return Served.of(nct.strip(), body)


def _get(raw: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(raw, dict):
            return None
        raw = raw.get(key)
    return raw


def _utc_day(value: Any, name: str) -> str | None:
    day = parsing.calendar_date(value, name)
    return day_start(day, UTC) if day else None


def _phase_raw(phases: Any) -> str | None:
    if not phases:
        return None
    if not isinstance(phases, list):
        raise RecordRejected("designModule.phases: expected a list")
    return ", ".join(str(p) for p in phases)


def _period(status: dict[str, Any]) -> StudyPeriod:
    """Start and completion as calendar days ("2023-05" → the 1st), each with its type."""
    start_struct = status.get("startDateStruct") or {}
    end_struct = status.get("completionDateStruct") or {}
    start = parsing.calendar_date(start_struct.get("date"), "startDate")
    end = parsing.calendar_date(end_struct.get("date"), "completionDate")
    return StudyPeriod(
        start=start.isoformat() if start else None,
        end=end.isoformat() if end else None,
        months=parsing.months_between(start, end),
        start_type=vocab.date_type(start_struct.get("type")) if start else None,
        end_type=vocab.date_type(end_struct.get("type")) if end else None,
    )


def _texts(values: Any, name: str) -> list[str]:
    found = (parsing.text(v, name) for v in values or [])
    return list(dict.fromkeys(v for v in found if v))


def _normalize(nct: str, raw: Raw, digest: str) -> Trial:
    protocol = raw.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    status = protocol.get("statusModule") or {}
    design = protocol.get("designModule") or {}
    conditions = protocol.get("conditionsModule") or {}
    title = parsing.text(ident.get("briefTitle"), "briefTitle") or parsing.text(
        ident.get("officialTitle"), "officialTitle"
    )
    if title is None:
        raise RecordRejected("no briefTitle")
    phase_raw = _phase_raw(design.get("phases"))
    interventions = _get(protocol, "armsInterventionsModule", "interventions") or []
    sponsor, institution = sections.sponsor_and_institution(protocol)
    return Trial(
        source="ctgov",
        registry_id=nct,
        title=title,
        title_en=title,
        content_hash=digest,
        raw=raw,
        url=f"https://clinicaltrials.gov/study/{nct}",
        summary=parsing.text(_get(protocol, "descriptionModule", "briefSummary"), "briefSummary"),
        official_title=parsing.text(ident.get("officialTitle"), "officialTitle"),
        description=parsing.text(
            _get(protocol, "descriptionModule", "detailedDescription"), "detailedDescription"
        ),
        conditions=_texts(conditions.get("conditions"), "conditions"),
        keywords=_texts(conditions.get("keywords"), "keywords"),
        interventions=[str(i.get("name")) for i in interventions if i.get("name")],
        intervention_types=sections.intervention_types(protocol),
        institution=institution,
        sponsor=sponsor,
        collaborators=sections.collaborators(protocol),
        phase=vocab.phase(phase_raw),
        phase_raw=phase_raw,
        study_type=vocab.study_type(design.get("studyType")),
        study_type_raw=design.get("studyType"),
        status=vocab.status(status.get("overallStatus")),
        status_raw=status.get("overallStatus"),
        target_size=parsing.integer(_get(design, "enrollmentInfo", "count"), "enrollment"),
        study_period=_period(status),
        eligibility=sections.eligibility(protocol),
        sites=sections.sites(protocol),
        outcomes=sections.outcomes(protocol),
        registered_at=_utc_day(
            _get(status, "studyFirstPostDateStruct", "date"), "studyFirstPostDate"
        ),
        source_updated_at=_utc_day(
            _get(status, "lastUpdatePostDateStruct", "date"), "lastUpdatePostDate"
        ),
    )
