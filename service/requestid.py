"""X-Request-Id: the client's, when it is sane, else one we make; answered in the response
header, written in the access log and in problem bodies, so one id ties a user's report to our
log line."""

from __future__ import annotations

import itertools
import re
import secrets
from functools import cache

from aiohttp.web import BaseRequest

HEADER = "X-Request-Id"
KEY = "request_id"
# Printable and short: it is echoed in a header and a log line, so nothing that could split
# either (no spaces, quotes or control characters).
SANE = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


_SERIAL = itertools.count()


@cache
def _process_prefix() -> str:
    return secrets.token_hex(8)


def new_id() -> str:
    """Unique without asking the OS for randomness each time (uuid4 did, on every request):
    a random prefix per process and a serial number."""
    return f"{_process_prefix()}{next(_SERIAL):016x}"


def request_id(request: BaseRequest) -> str:
    """The id of `request`, chosen once: the client's when sane, else a new one."""
    chosen = request.get(KEY)
    if chosen is None:
        given = request.headers.get(HEADER, "")
        chosen = given if SANE.fullmatch(given) else new_id()
        request[KEY] = chosen
    return str(chosen)
