"""One access-log line per request, cheap enough for every request.

Text: `GET /api/v1/trials?q=... 200 12.3ms 2048B 127.0.0.1 5f0c3a1e…`. JSON: the same message
plus `method`, `path`, `status`, `duration_ms`, `size` (bytes sent, headers included, after
compression), `remote` and `request_id` (the X-Request-Id answered) as fields (the text
formatter leaves out what the message already says). Credentials travel
in headers, which are never logged; the query string is, and the log handler masks any
configured secret in it.
"""

from __future__ import annotations

import logging

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

from service.requestid import request_id

LOGGER_NAME = "service.access"
FIELDS = ("method", "path", "status", "duration_ms", "size", "remote", "request_id")


class AccessLogger(AbstractAccessLogger):
    """Passed to aiohttp as `access_log_class`, with `logging.getLogger(LOGGER_NAME)`."""

    @property
    def enabled(self) -> bool:
        # aiohttp asks once per connection; when off, it skips even the timing
        return self.logger.isEnabledFor(logging.INFO)

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        method, path, status = request.method, request.path_qs, response.status
        duration_ms, size, remote = round(time * 1000, 1), response.body_length, request.remote
        rid = request_id(request)
        self.logger.info(
            "%s %s %d %.1fms %dB %s %s",
            method,
            path,
            status,
            duration_ms,
            size,
            remote,
            rid,
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
                "size": size,
                "remote": remote,
                "request_id": rid,
                "_in_message": FIELDS,
            },
        )
