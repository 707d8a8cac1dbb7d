"""gzip or deflate, when the client accepts it, for responses of 1 KiB and more.

The middleware that finishes every response decides, after the handler (and after a failure
became a problem): a JSON or problem body of `MIN_SIZE` bytes or more, and the Swagger UI's
scripts and styles. Smaller bodies gain nothing worth the CPU. The export
stream, whose size is unknown when it starts, asks `coding_for` itself.
"""

from __future__ import annotations

from functools import lru_cache

from aiohttp import hdrs, web
from aiohttp.web_response import ContentCoding

MIN_SIZE = 1024
# Preferred first when the client weighs them alike
CODINGS = {"gzip": ContentCoding.gzip, "deflate": ContentCoding.deflate}
STATIC_TEXT = (".js", ".css")


def _weights(header: str) -> dict[str, float]:
    """Accept-Encoding as {coding: q}; a q that is not a number counts as 0."""
    weights = {}
    for part in header.lower().split(","):
        name, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if name:
            weights[name] = weight
    return weights


@lru_cache(maxsize=256)  # clients send a handful of distinct headers, each request parsed it
def coding_for(accept_encoding: str) -> ContentCoding | None:
    """The coding to answer with: the best weighted of gzip and deflate (`*` stands for
    both unless named), none when neither is acceptable."""
    weights = _weights(accept_encoding)
    best, best_weight = None, 0.0
    for name, coding in CODINGS.items():
        weight = weights.get(name, weights.get("*", 0.0))
        if weight > best_weight:
            best, best_weight = coding, weight
    return best


def compress(request: web.Request, response: web.StreamResponse) -> None:
    """Declares that the body depends on Accept-Encoding, and compresses it when accepted."""
    response.headers.add(hdrs.VARY, hdrs.ACCEPT_ENCODING)
    coding = coding_for(request.headers.get(hdrs.ACCEPT_ENCODING, ""))
    if coding is not None:
        response.enable_compression(coding)


def _worth_it(request: web.Request, response: web.StreamResponse) -> bool:
    # HEAD: no body to compress, and a compressed file's HEAD sent the gzip stream's 20 bytes
    # of header and trailer after the headers, which the next response on the connection
    # was then read from
    if request.method == hdrs.METH_HEAD:
        return False
    if response.prepared or hdrs.CONTENT_ENCODING in response.headers:
        return False
    if isinstance(response, web.FileResponse):
        return request.path.endswith(STATIC_TEXT)
    if isinstance(response, web.Response):
        body = response.body
        return isinstance(body, bytes) and len(body) >= MIN_SIZE
    return False


def compress_when_worth_it(request: web.Request, response: web.StreamResponse) -> None:
    """For the middleware that finishes every response (`service.errors`), problems too."""
    if _worth_it(request, response):
        compress(request, response)
