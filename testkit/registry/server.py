"""A fake registry: one aiohttp app on 127.0.0.1 serving the three APIs with their own
pagination, envelopes and error shapes, replaying the real recorded records. Switches on
`RegistryState` inject faults; it counts each fault it serves (`injected`) and when each
request arrived (`arrivals`), so a test can report what it injected and how the client
retried. This is the only fake in the tests (Elasticsearch is real)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote

import orjson
from aiohttp import web

from testkit.registry import essie, records
from testkit.synthetic import demo_record

CTGOV_PARAMS = frozenset(
    ["format", "pageSize", "pageToken", "countTotal", "fields", "sort", "markupFormat"]
    + [f"query.{a}" for a in ("cond", "term", "locn", "titles", "intr", "outc", "spons")]
    + [f"query.{a}" for a in ("lead", "id", "patient")]
    + [f"filter.{a}" for a in ("overallStatus", "geo", "ids", "advanced", "synonyms")]
)


class Rows(Protocol):
    def __len__(self) -> int: ...
    def __getitem__(self, index: slice) -> Sequence[dict[str, Any]]: ...


class GeneratedRows:
    """`count` synthetic records, built per page, never all held in memory: iCReaT-shaped by
    default, or whatever `make(i, seed)` builds (`testkit.synthetic_ctgov.ctgov_study`)."""

    def __init__(
        self, count: int, seed: int = 0, make: Callable[[int, int], dict[str, Any]] = demo_record
    ) -> None:
        self.count, self.seed, self.make = count, seed, make

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.make(i + 1, self.seed) for i in range(*index.indices(self.count))]


@dataclass
class Faults:
    status_500: int = 0  # the next N requests answer 500
    status_429: int = 0  # the next N requests answer 429 with Retry-After
    retry_after: str = "1"
    timeouts: int = 0  # the next N requests hang for `hang_s`
    hang_s: float = 3.0
    xml_error_code: str | None = None  # answer with the data.go.kr gateway's XML error
    overlap: bool = False  # iCReaT pages overlap like the gateway's LIMIT bug would make them
    delay_s: float = 0.0  # every request waits this long (lets a test kill a run mid-way)
    detail_status: int | None = None  # CRIS detail requests answer this HTTP status
    total_extra: int = 0  # totalCount says more than the pages hold (a crawl skipped some)
    malformed_json: int = 0  # the next N requests answer 200 with a body that is not JSON
    cut_json: int = 0  # the next N requests answer 200 with the JSON cut in half
    truncated: int = 0  # the next N requests drop the connection half-way through the body
    # iCReaT page switches (1-based page numbers)
    xml_error_page: int | None = None  # this page answers the gateway's XML application error
    empty_page: int | None = None  # this page answers an empty `data` list
    duplicate_page: int | None = None  # this page repeats the first record of page 1
    extra_rows: int = 0  # every page carries this many rows more than perPage asked for
    # iCReaT and CRIS: every page is page 1 with this many rows, whatever is asked (0: off), as
    # the data.go.kr gateway serves a development key (API_NOTES §1.1: page=1, perPage=10)
    page_cap: int = 0
    # CRIS detail requests for these trial ids answer the portal's NODATA_ERROR
    detail_no_data: set[str] = field(default_factory=set)


@dataclass
class RegistryState:
    key: str = "test+Key/with=="
    icreat: Rows = field(default_factory=records.icreat_records)
    cris_items: list[dict[str, Any]] = field(default_factory=records.cris_list_items)
    cris_details: dict[str, dict[str, Any]] = field(default_factory=dict)
    ctgov: Rows = field(default_factory=records.ctgov_studies)  # or GeneratedRows
    faults: Faults = field(default_factory=Faults)
    requests: list[str] = field(default_factory=list)  # raw path?query of every request
    arrivals: list[float] = field(default_factory=list)  # time.monotonic() of every request
    injected: Counter[str] = field(default_factory=Counter)  # faults served, by switch
    received_keys: list[str] = field(default_factory=list)  # serviceKey exactly as sent

    def __post_init__(self) -> None:
        if not self.cris_details:
            sample = records.cris_detail_sample()
            self.cris_details[sample["trial_id"]] = sample


STATE = web.AppKey("state", RegistryState)


def _raw_param(request: web.Request, name: str) -> str | None:
    for part in request.rel_url.raw_query_string.split("&"):
        key, _, value = part.partition("=")
        if key == name:
            return value
    return None


async def _faults(request: web.Request) -> web.StreamResponse | None:
    state = request.app[STATE]
    state.requests.append(str(request.rel_url))
    state.arrivals.append(time.monotonic())
    faults = state.faults
    if faults.delay_s:
        await asyncio.sleep(faults.delay_s)
    if faults.timeouts > 0:
        faults.timeouts -= 1
        state.injected["timeouts"] += 1
        await asyncio.sleep(faults.hang_s)
    if faults.status_500 > 0:
        faults.status_500 -= 1
        state.injected["status_500"] += 1
        return web.Response(status=500, text="Internal Server Error")
    if faults.status_429 > 0:
        faults.status_429 -= 1
        state.injected["status_429"] += 1
        return web.Response(status=429, headers={"Retry-After": faults.retry_after})
    return None


async def _broken_body(request: web.Request, body: bytes) -> web.StreamResponse | None:
    """The body-level faults, applied to a response that would otherwise be sent whole."""
    state = request.app[STATE]
    faults = state.faults
    if faults.malformed_json > 0:
        faults.malformed_json -= 1
        state.injected["malformed_json"] += 1
        return web.Response(body=b"<html>Bad Gateway</html>", content_type="application/json")
    if faults.cut_json > 0:
        faults.cut_json -= 1
        state.injected["cut_json"] += 1
        return web.Response(body=body[: len(body) // 2], content_type="application/json")
    if faults.truncated > 0:
        faults.truncated -= 1
        state.injected["truncated"] += 1
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = len(body)
        await response.prepare(request)
        await response.write(body[: len(body) // 2])
        assert request.transport is not None
        request.transport.close()  # the client sees a payload shorter than Content-Length
        return response
    return None


def _key_error(request: web.Request, odcloud: bool) -> web.Response | None:
    state = request.app[STATE]
    sent = _raw_param(request, "serviceKey")
    if sent is not None:
        state.received_keys.append(sent)
    code = state.faults.xml_error_code
    if code is None and sent == quote(state.key, safe=""):
        return None
    state.injected["xml_error_code" if code else "key_refused"] += 1
    if code is None and odcloud:
        msg = "인증키는 필수 항목 입니다." if not sent else "유효하지 않은 인증키 입니다."
        return web.json_response({"code": -401, "msg": msg}, status=401)
    code = code or "30"
    auth = {"22": "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"}.get(
        code, "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"
    )
    return _xml_error(code, auth)


def _xml_error(code: str, auth: str) -> web.Response:
    """The data.go.kr gateway's error body, sent with HTTP 200 although JSON was asked for."""
    xml = (
        "<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg>"
        f"<returnAuthMsg>{auth}</returnAuthMsg><returnReasonCode>{code}</returnReasonCode>"
        "</cmmMsgHeader></OpenAPI_ServiceResponse>"
    )
    return web.Response(text=xml, content_type="text/xml")


def _int(request: web.Request, name: str, default: int) -> int:
    try:
        return int(request.query.get(name, default))
    except ValueError:
        return default


def _capped(state: RegistryState, page: int, per_page: int) -> tuple[int, int]:
    """The page and page size served: page 1 of `page_cap` rows when the switch is on."""
    if not state.faults.page_cap:
        return page, per_page
    state.injected["page_cap"] += 1
    return 1, min(per_page, state.faults.page_cap)


async def icreat(request: web.Request) -> web.StreamResponse:
    refused = await _faults(request) or _key_error(request, odcloud=True)
    if refused is not None:
        return refused
    state = request.app[STATE]
    page, per_page = max(_int(request, "page", 1), 1), max(_int(request, "perPage", 10), 1)
    page, per_page = _capped(state, page, per_page)
    start = (page - 1) * per_page
    # the gateway's `limit (page-1)*perPage, page*perPage` reads page*perPage rows (API_NOTES §1.3)
    faults = state.faults
    count = page * per_page if faults.overlap else per_page + faults.extra_rows
    data = list(state.icreat[start : start + count])
    if page == faults.empty_page:
        data = []
    if page == faults.duplicate_page:
        data.append(state.icreat[0:1][0])
    switches = {
        "overlap": faults.overlap,
        "extra_rows": faults.extra_rows > 0,
        "empty_page": page == faults.empty_page,
        "duplicate_page": page == faults.duplicate_page,
        "xml_error_page": page == faults.xml_error_page,
    }
    state.injected.update(name for name, on in switches.items() if on)
    if page == faults.xml_error_page:
        return _xml_error("01", "APPLICATION_ERROR")
    total = len(state.icreat)
    body = {"currentCount": len(data), "data": data, "matchCount": total, "page": page}
    body.update(perPage=per_page, totalCount=total)
    encoded = orjson.dumps(body)
    broken = await _broken_body(request, encoded)
    return broken or web.Response(body=encoded, content_type="application/json")


async def cris_list(request: web.Request) -> web.StreamResponse:
    refused = await _faults(request) or _key_error(request, odcloud=False)
    if refused is not None:
        return refused
    state = request.app[STATE]
    page, rows = max(_int(request, "pageNo", 1), 1), _int(request, "numOfRows", 10)
    if not 1 <= rows <= 50:
        return web.json_response(
            {"resultCode": "10", "resultMsg": "INVALID_REQUEST_PARAMETER_ERROR"}
        )
    page, rows = _capped(state, page, rows)
    items = state.cris_items[(page - 1) * rows : page * rows]
    if state.faults.total_extra:
        state.injected["total_extra"] += 1
    return web.json_response(
        {
            "resultCode": "00",
            "resultMsg": "NORMAL_SERVICE",
            "totalCount": len(state.cris_items) + state.faults.total_extra,
            "pageNo": page,
            "numOfRows": rows,
            "items": items,
        }
    )


async def cris_detail(request: web.Request) -> web.StreamResponse:
    refused = await _faults(request) or _key_error(request, odcloud=False)
    if refused is not None:
        return refused
    state = request.app[STATE]
    if state.faults.detail_status is not None:
        state.injected["detail_status"] += 1
        return web.Response(status=state.faults.detail_status, text="Service Unavailable")
    trial_id = request.query.get("crisNumber", "")
    if trial_id in state.faults.detail_no_data:
        state.injected["detail_no_data"] += 1
        return web.json_response({"resultCode": "03", "resultMsg": "NODATA_ERROR"})
    detail = state.cris_details.get(trial_id)
    if detail is None:  # no recorded detail: answer with the list fields, as a detail would
        detail = next((i for i in state.cris_items if i.get("trial_id") == trial_id), None)
    if detail is None:
        return web.json_response({"resultCode": "03", "resultMsg": "NODATA_ERROR"})
    return web.json_response({**detail, "resultCode": "00", "resultMsg": "NORMAL_SERVICE"})


def _ctgov_page(
    rows: Rows, wanted: essie.Test, start: int, size: int
) -> tuple[list[dict[str, Any]], int]:
    """Up to `size` studies `wanted` selects from row `start` on, and the row after the last
    one read. A page token points into the whole list, so filtering generated rows reads
    each of them once per crawl."""
    found: list[dict[str, Any]] = []
    end = start
    while len(found) < size and end < len(rows):
        chunk = rows[end : end + size - len(found)]
        found += [study for study in chunk if wanted(study)]
        end += len(chunk)
    return found, end


async def ctgov_studies(request: web.Request) -> web.StreamResponse:
    refused = await _faults(request)
    if refused is not None:
        return refused
    state = request.app[STATE]
    for name, _ in parse_qsl(request.rel_url.raw_query_string, keep_blank_values=True):
        if name not in CTGOV_PARAMS:
            state.injected["unknown_parameter"] += 1
            return web.Response(status=400, text=f"`{name}` is unknown parameter")
    try:  # filter.advanced is evaluated (the date range of an incremental run), query.* not
        wanted = essie.selector(request.query.get("filter.advanced", ""))
    except essie.UnsupportedExpression as exc:
        return web.Response(status=400, text=str(exc))
    size = min(max(_int(request, "pageSize", 10), 1), 1000)
    token = request.query.get("pageToken")
    offset = int(token.removeprefix("NF0g"), 16) if token else 0
    studies, end = _ctgov_page(state.ctgov, wanted, offset, size)
    body: dict[str, Any] = {"studies": studies}
    if end < len(state.ctgov):
        body["nextPageToken"] = f"NF0g{end:x}"
    # orjson: a benchmark's pages of 1,000 generated studies are ~11 MB each
    return web.Response(body=orjson.dumps(body), content_type="application/json")


def create_registry_app(state: RegistryState) -> web.Application:
    app = web.Application()
    app[STATE] = state
    app.router.add_get("/icreat", icreat)
    app.router.add_get("/cris/list", cris_list)
    app.router.add_get("/cris/detail", cris_detail)
    app.router.add_get("/ctgov/studies", ctgov_studies)
    return app


async def start_registry(state: RegistryState, port: int = 0) -> tuple[web.AppRunner, str]:
    """Serve on 127.0.0.1 (a random free port by default); returns the runner and base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    runner = web.AppRunner(create_registry_app(state), access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    return runner, f"http://127.0.0.1:{sock.getsockname()[1]}"
