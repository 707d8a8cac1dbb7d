"""A plain blocking HTTP client for the served API: the path goes on the wire exactly as
written (hostile encodings included), and every reply is timed."""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reply:
    request: str  # "METHOD path", as sent
    status: int
    content_type: str
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def is_problem(self) -> bool:
        if self.content_type != "application/problem+json":
            return False
        problem = self.json()
        return bool(problem.get("status") == self.status and problem.get("title"))


@dataclass
class Api:
    host: str
    port: int
    timeout_s: float = 30.0

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
        started = time.perf_counter()
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            sent = dict(headers or {})
            if body is not None:
                sent.setdefault("Content-Length", str(len(body)))
            for name, value in sent.items():
                connection.putheader(name, value)
            connection.endheaders(body)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        content_type = (response.getheader("Content-Type") or "").split(";")[0].strip()
        headers_in = dict(response.getheaders())
        return Reply(f"{method} {path}", response.status, content_type, headers_in, data, seconds)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> Reply:
        return self.request("POST", path, body, headers)
