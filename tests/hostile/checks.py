"""What every hostile request must get, and what must never reach Elasticsearch."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from service.app import MAX_REQUEST_LINE
from tests.faults.evidence import note
from tests.hostile.api import Reply
from tests.hostile.conftest import Served

BOUND_S = 5.0  # a safety bound against runaway queries, not a performance target
# Query types that run scripts or expand patterns (regexp, wildcard, fuzzy, prefix), or
# parse a query language of their own (query_string, simple_query_string, intervals).
FORBIDDEN = frozenset(
    {
        "query_string",
        "simple_query_string",
        "regexp",
        "wildcard",
        "fuzzy",
        "prefix",
        "script",
        "script_score",
        "script_fields",
        "runtime_mappings",
        "intervals",
        "fuzziness",
    }
)
# aiohttp's HTTP parser answers a request line over its limit with a plain-text 400 before
# any application code runs (service/app.py, MAX_REQUEST_LINE); below it, every 4xx is ours.
PARSER_LIMIT = MAX_REQUEST_LINE


def _shown(request: str) -> str:
    if len(request) <= 160:
        return request
    return f"{request[:120]}… ({len(request):,} characters)"


def assert_refused_cleanly(reply: Reply, request_bytes: int = 0) -> None:
    note(
        "hostile",
        request=_shown(reply.request),
        status=reply.status,
        seconds=round(reply.seconds, 4),
        problem=reply.is_problem if reply.status >= 400 else None,
    )
    assert reply.status < 500, reply.body[:300]
    assert reply.seconds < BOUND_S, f"{reply.seconds:.2f} s"
    assert b"Traceback" not in reply.body
    if reply.status >= 400 and request_bytes <= PARSER_LIMIT:
        assert reply.is_problem, (reply.status, reply.content_type, reply.body[:200])


def keys_of(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from keys_of(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys_of(inner)


def bodies(text: bytes) -> list[Any]:
    """A request body: one JSON document, or NDJSON lines (msearch / bulk)."""
    if not text.strip():
        return []
    try:
        return [json.loads(text)]
    except ValueError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def assert_nothing_dangerous_sent(served: Served, since: int) -> None:
    """Every request the service sent the node since `since`: read-only, to our indices (or
    a point in time, or cluster health), and with no scripting or pattern query anywhere."""
    prefix = "/" + served.settings.index_prefix
    for sent in served.proxy.sent[since:]:
        path = sent.path.split("?")[0]
        allowed = (prefix, "/_alias" + prefix, "/_search", "/_pit", "/_cluster/health")
        assert path.startswith(allowed), sent.path
        assert ".." not in path.split("/"), sent.path
        assert sent.method in ("GET", "HEAD", "POST", "DELETE"), sent
        if sent.method == "DELETE":
            # closing a point in time or a scroll (the suggestion map's read) are the only deletes
            assert path in ("/_pit", "/_search/scroll"), sent.path
        for body in bodies(sent.body):
            found = FORBIDDEN & set(keys_of(body))
            assert not found, (found, sent.path, body)
        if sent.method == "POST":
            read = ("/_search", "/_search/scroll", "/_pit", "/_count", "/_mget")
            assert path.endswith(read), sent.path
