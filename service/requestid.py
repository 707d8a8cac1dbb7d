"""X-Request-Id: the client's, when it is sane, else one we make; answered in the response
header, written in the access log and in problem bodies, so one id ties a user's report to our
log line."""

from __future__ import annotations

import re
import uuid

from aiohttp import web
from aiohttp.web import BaseRequest

HEADER = "X-Request-Id"
KEY = "request_id"
# Printable and short: it is echoed in a header and a log line, so nothing that could split
# either (no spaces, quotes or control characters).
SANE = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def request_id(request: BaseRequest) -> str:
    """The id of `request`, chosen once: the client's when sane, else a new one."""
    chosen = request.get(KEY)
    if chosen is None:
        given = request.headers.get(HEADER, "")
        chosen = given if SANE.fullmatch(given) else uuid.uuid4().hex
        request[KEY] = chosen
    return str(chosen)


async def answer_request_id(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: every response carries it, errors and static files included."""
    response.headers[HEADER] = request_id(request)
