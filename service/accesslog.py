"""One access-log line per request, cheap enough for every request.

Text: `GET /api/v1/trials?q=... 200 12.3ms 2048B 127.0.0.1`. JSON: the same message plus
`method`, `path`, `status`, `duration_ms`, `size` (bytes sent, headers included) and `remote`
as fields (the text formatter leaves out what the message already says). Credentials travel
in headers, which are never logged; the query string is, and the log handler masks any
configured secret in it.
"""

from __future__ import annotations

import logging

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

LOGGER_NAME = "service.access"
FIELDS = ("method", "path", "status", "duration_ms", "size", "remote")


class AccessLogger(AbstractAccessLogger):
    """Passed to aiohttp as `access_log_class`, with `logging.getLogger(LOGGER_NAME)`."""

    @property
    def enabled(self) -> bool:
        # aiohttp asks once per connection; when off, it skips even the timing
        return self.logger.isEnabledFor(logging.INFO)

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        method, path, status = request.method, request.path_qs, response.status
        duration_ms, size, remote = round(time * 1000, 1), response.body_length, request.remote
        self.logger.info(
            "%s %s %d %.1fms %dB %s",
            method,
            path,
            status,
            duration_ms,
            size,
            remote,
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
                "size": size,
                "remote": remote,
                "_in_message": FIELDS,
            },
        )
