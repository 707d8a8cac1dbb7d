"""The one HTTP client every source uses: timeouts, capped retries with exponential backoff and
jitter on timeouts / 429 / 5xx (honouring Retry-After), and the portals' error bodies turned
into named errors (`indexer.errors`).

Query strings are built here, not by aiohttp, so a data.go.kr service key reaches the portal
exactly once encoded (see `encode_service_key`).
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson
from yarl import URL

from indexer.errors import BadKey, BadResponse, QuotaExceeded, TransientSourceError
from indexer.portal import Verdict, read_json_error, read_xml_error
from trials.settings import Settings

_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


@dataclass(frozen=True)
class HttpOptions:
    timeout_s: float = 30.0
    retries: int = 5
    backoff_s: float = 0.5
    backoff_max_s: float = 30.0
    retry_after_max_s: float = 120.0

    @classmethod
    def from_settings(cls, settings: Settings) -> HttpOptions:
        return cls(timeout_s=settings.http_timeout_s, retries=max(settings.http_retries, 0))


def encode_service_key(key: str) -> str:
    """The key as it must appear in a query string: the portal's "Encoding" key (already
    percent-escaped) is used verbatim; the "Decoding" key (`+`, `/`, `=`) is escaped once."""
    return key if _PERCENT_ESCAPE.search(key) else quote(key, safe="")


def query_string(params: Sequence[tuple[str, str | int]], service_key: str | None = None) -> str:
    parts = [f"{quote(name, safe='.[]:')}={quote(str(value), safe='')}" for name, value in params]
    if service_key is not None:
        parts.append(f"serviceKey={encode_service_key(service_key)}")
    return "&".join(parts)


def _retry_after_s(header: str | None) -> float | None:
    if not header:
        return None
    try:
        return max(float(header), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _raise_verdict(source: str, verdict: Verdict) -> None:
    if verdict.kind == "bad_key":
        raise BadKey(source, verdict.cause)
    if verdict.kind == "quota":
        raise QuotaExceeded(source, verdict.cause)
    raise BadResponse(source, verdict.cause)


class RegistryClient:
    """GETs JSON from one registry; every failure ends as a `SourceError` naming its cause."""

    def __init__(
        self,
        source: str,
        session: aiohttp.ClientSession,
        options: HttpOptions,
        rng: random.Random | None = None,
    ) -> None:
        self.source = source
        self.session = session
        self.options = options
        self.rng = rng or random.Random()
        self.requests = 0

    def _backoff_s(self, attempt: int) -> float:
        ceiling = min(self.options.backoff_max_s, self.options.backoff_s * 2**attempt)
        return self.rng.uniform(ceiling / 2, ceiling)  # "equal jitter": never zero, never herds

    async def get_json(
        self,
        base_url: str,
        query: str,
        *,
        allow_no_data: bool = False,
        decode: Callable[[bytes], Any] = orjson.loads,
    ) -> Any:
        """GET `base_url?query` (query already encoded). `allow_no_data` turns the portal's
        NODATA answer into None instead of an error (CRIS past its last page). `decode` reads
        the body (a ValueError: not JSON)."""
        url = URL(f"{base_url}?{query}" if query else base_url, encoded=True)
        timeout = aiohttp.ClientTimeout(total=self.options.timeout_s)
        for attempt in range(self.options.retries + 1):
            delay: float | None
            try:
                self.requests += 1
                async with self.session.get(url, timeout=timeout) as response:
                    body = await response.read()
                    status, retry_after = response.status, response.headers.get("Retry-After")
            except (TimeoutError, aiohttp.ClientError) as exc:
                problem, delay = f"{type(exc).__name__}: {exc}".rstrip(": "), None
            else:
                payload = self._decode(body, status, allow_no_data, decode)
                if status < 400:
                    return payload
                problem, delay = f"HTTP {status}", _retry_after_s(retry_after)
                if status != 429 and status < 500:
                    raise BadResponse(self.source, f"HTTP {status}: {_excerpt(body)}")
            if attempt == self.options.retries:
                tries = self.options.retries + 1
                raise TransientSourceError(self.source, f"{problem} (gave up after {tries} tries)")
            if delay is None:
                delay = self._backoff_s(attempt)
            await asyncio.sleep(min(delay, self.options.retry_after_max_s))
        raise AssertionError("unreachable")

    def _decode(
        self, body: bytes, status: int, allow_no_data: bool, decode: Callable[[bytes], Any]
    ) -> Any:
        """The JSON payload, or a named error when the body is a portal error of any shape."""
        verdict = read_xml_error(body)
        payload: Any = None
        if verdict is None:
            try:
                payload = decode(body)
            except ValueError:  # orjson's and msgspec's decode errors are ValueErrors
                if status < 400:
                    raise BadResponse(self.source, f"not JSON: {_excerpt(body)}") from None
                return None
            verdict = read_json_error(payload)
        if verdict is None:
            return payload
        if verdict.kind == "no_data" and allow_no_data:
            return None
        if verdict.kind == "error" and (status == 429 or status >= 500):
            return payload  # a transient server error: let the caller retry
        _raise_verdict(self.source, verdict)
        raise AssertionError("unreachable")


def _excerpt(body: bytes) -> str:
    return body[:300].decode("utf-8", "replace").strip() or "(empty body)"
