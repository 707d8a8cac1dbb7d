"""Every failure as an RFC 9457 `application/problem+json` response, from one middleware.

    Problem                      a decision a route made (status chosen by the subclass)
    ├── InvalidParameters  400   names each offending parameter in `errors`
    ├── Unauthorized       401   ├── Forbidden 403   ├── NotFound 404   ├── Conflict 409
    └── Unavailable        503   carries Retry-After

The middleware also turns aiohttp's own HTTP errors (404, 405, 413 …) and Elasticsearch failures
into problems: unreachable node → 503 with Retry-After (the client reconnects by itself on the
next request), a rejected query → 400, any other ES error → 502, anything else → 500 without a
traceback in the body.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, NoReturn

from aiohttp import web
from elasticsearch import (
    ApiError,
    BadRequestError,
    ConnectionError,
    ConnectionTimeout,
    NotFoundError,
)
from marshmallow import ValidationError

from service.compression import compress_when_worth_it
from service.jsonio import json_response
from service.requestid import HEADER as REQUEST_ID
from service.requestid import request_id

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_S = 5
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Problem(Exception):
    status = 500
    title = "Internal server error"
    slug = "internal"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = dict(headers or {})

    def response(self, request: web.Request) -> web.Response:
        return problem_response(
            request,
            self.status,
            self.title,
            self.detail,
            self.slug,
            self.errors,
            self.headers,
        )


class InvalidParameters(Problem):
    status, title, slug = 400, "Invalid request parameters", "invalid-parameters"

    @classmethod
    def one(cls, name: str, reason: str, where: str = "query") -> InvalidParameters:
        return cls(f"{name}: {reason}", errors=[{"name": name, "in": where, "reason": reason}])


class Unauthorized(Problem):
    status, title, slug = 401, "Authentication required", "unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="trials-admin"'})


class Forbidden(Problem):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(Problem):
    status, title, slug = 404, "Not found", "not-found"


class Conflict(Problem):
    status, title, slug = 409, "Conflict", "conflict"


class Unavailable(Problem):
    status, title, slug = 503, "Service unavailable", "unavailable"

    def __init__(self, detail: str, *, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail, errors=errors, headers={"Retry-After": str(RETRY_AFTER_S)})


def problem_response(
    request: web.Request,
    status: int,
    title: str,
    detail: str,
    slug: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """The problem body; `instance` is the request's path, `request_id` its X-Request-Id."""
    body: dict[str, Any] = {
        "type": f"urn:trials:problem:{slug}" if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
        "request_id": request_id(request),
    }
    if errors:
        body["errors"] = errors
    return json_response(body, status=status, headers=headers, content_type=PROBLEM_JSON)


def _passed_headers(exc: web.HTTPException) -> dict[str, str]:
    return {k: v for k, v in exc.headers.items() if k in ("Allow", "Retry-After")}


def _bad_gateway(request: web.Request) -> web.Response:
    return problem_response(
        request, 502, "Bad gateway", "the search backend failed", "backend-error"
    )


@web.middleware
async def problem_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Finishes every response: failures become problems; each carries X-Request-Id (set
    here, not from an on_response_prepare signal: sending the signal was ~5% of a detail
    request's CPU); and it is compressed when worth it. A handler that prepares its own
    stream does both itself before (the export). One middleware rather than three: aiohttp
    wraps each middleware anew for every request."""
    try:
        response = await _answer(request, handler)
    except web.HTTPException as exc:  # below 400 (redirects): aiohttp answers from it
        exc.headers[REQUEST_ID] = request_id(request)
        raise
    if not response.prepared:
        response.headers[REQUEST_ID] = request_id(request)
        compress_when_worth_it(request, response)
    return response


async def _answer(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except Problem as problem:
        return problem.response(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        detail = exc.text if exc.text and not exc.text.startswith(f"{exc.status}:") else exc.reason
        return problem_response(
            request, exc.status, exc.reason, detail, headers=_passed_headers(exc)
        )
    except (ConnectionError, ConnectionTimeout) as exc:
        logger.warning("Elasticsearch unreachable: %s", exc)
        return Unavailable("the search backend is unreachable; retry shortly").response(request)
    except NotFoundError as exc:
        # Routes turn missing documents into NotFound themselves; a missing index is a setup
        # problem, anything else that 404s down there is the backend failing us.
        if exc.error != "index_not_found_exception":
            logger.error("Elasticsearch 404: %s", exc)
            return _bad_gateway(request)
        logger.error("Elasticsearch index missing: %s", exc)
        return Unavailable("the indices are not initialised; run `trials es init`").response(
            request
        )
    except BadRequestError as exc:
        logger.warning("Elasticsearch rejected a query: %s", exc)
        return problem_response(
            request,
            400,
            "Query rejected",
            "the search backend rejected the query",
            "query-rejected",
        )
    except ApiError as exc:
        if exc.meta.status in (429, 503):
            return Unavailable("the search backend is overloaded; retry shortly").response(request)
        logger.error("Elasticsearch error %s: %s", exc.meta.status, exc)
        return _bad_gateway(request)
    except Exception:
        logger.exception("error handling %s %s", request.method, request.path)
        return problem_response(
            request, 500, Problem.title, "unexpected error; it has been logged", Problem.slug
        )


def flatten_messages(messages: Any, location: str) -> list[dict[str, str]]:
    """webargs nests messages by location, then field; list items nest by index."""
    if isinstance(messages, Mapping):
        if set(messages) <= {"querystring", "json", "match_info", "headers"}:
            return [e for loc, inner in messages.items() for e in flatten_messages(inner, loc)]
        where = {"querystring": "query", "json": "body", "match_info": "path"}.get(
            location, location
        )
        found = []
        for name, reasons in messages.items():
            for reason in _reasons(reasons):
                found.append({"name": str(name), "in": where, "reason": reason})
        return found
    return [{"name": "request", "in": location, "reason": r} for r in _reasons(messages)]


def _reasons(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [r for inner in value.values() for r in _reasons(inner)]
    if isinstance(value, list):
        return [r for inner in value for r in _reasons(inner)]
    return [str(value)]


def raise_invalid_parameters(
    error: ValidationError, req: Any, schema: Any, *, error_status_code: Any, error_headers: Any
) -> NoReturn:
    """The validation layer's error_callback: a failed schema load becomes a 400 problem."""
    errors = flatten_messages(error.messages, "querystring")
    detail = "; ".join(f"{e['name']}: {e['reason']}" for e in errors)
    raise InvalidParameters(detail, errors=errors)
