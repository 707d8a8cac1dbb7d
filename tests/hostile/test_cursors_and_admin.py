"""Forged, altered, foreign and expired cursors, and hostile admin requests: each a 4xx
problem, never a 5xx. (tests/service/test_sync_runs.py covers the plain missing / wrong token
cases; these add hostile encodings and bodies.)"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
from urllib.parse import quote, urlsplit

import pytest

from tests.hostile.api import Api
from tests.hostile.checks import assert_refused_cleanly
from tests.hostile.conftest import ADMIN_TOKEN

T = "/api/v1/trials"
RUNS = "/api/v1/sync-runs"
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"}


def _cursor(api: Api, path: str) -> str:
    reply = api.get(path)
    assert reply.status == 200, reply.body[:300]
    token = reply.json()["next_cursor"]
    assert token
    return str(token)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _payload(token: str) -> dict[str, object]:
    body = token.partition(".")[0]
    return dict(json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))


def _next(api: Api, token: str) -> object:
    reply = api.get(f"{T}?cursor={quote(token, safe='')}&limit=2")
    assert_refused_cleanly(reply)
    return reply


def test_altered_cursors_are_refused(api: Api) -> None:
    token = _cursor(api, f"{T}?cursor=*&limit=2&sort=changed_at")
    body, _, mac = token.partition(".")
    payload = _payload(token)
    payload["n"] = 10**12  # claims a deep offset
    altered = [
        body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + mac,
        _b64(json.dumps(payload).encode()) + "." + mac,
        body + "." + _b64(b"\x00" * 32),
        body,
        "." + mac,
        token + token,
    ]
    for forged in altered:
        reply = api.get(f"{T}?cursor={quote(forged, safe='')}&limit=2")
        assert_refused_cleanly(reply)
        assert reply.status == 400, forged
        assert reply.json()["errors"][0]["name"] == "cursor"


def test_a_cursor_signed_with_a_guessed_secret_is_refused(api: Api) -> None:
    payload = _payload(_cursor(api, f"{T}?cursor=*&limit=2"))
    raw = json.dumps(payload).encode()
    for guess in (b"", b"secret", hashlib.sha256(b"").digest()):
        forged = _b64(raw) + "." + _b64(hmac.new(guess, raw, hashlib.sha256).digest())
        reply = api.get(f"{T}?cursor={quote(forged, safe='')}")
        assert_refused_cleanly(reply)
        assert reply.status == 400


def test_a_cursor_of_another_endpoint_or_query_is_refused(api: Api) -> None:
    recent = _cursor(api, "/api/v1/trials/recent?cursor=*&limit=1&updated_from=2000-01-01")
    reply = api.get(f"{T}?cursor={quote(recent, safe='')}")
    assert_refused_cleanly(reply)
    assert reply.status == 400
    assert "another endpoint" in reply.json()["detail"]
    search = _cursor(api, f"{T}?cursor=*&limit=2&source=demo")
    reply = api.get(f"{T}?cursor={quote(search, safe='')}&source=cris")
    assert_refused_cleanly(reply)
    assert reply.status == 400


def test_an_expired_cursor_is_a_clear_400(api: Api, es_url: str) -> None:
    token = _cursor(api, f"{T}?cursor=*&limit=2&sort=changed_at")
    parts = urlsplit(es_url)
    node = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 9200)
    body = json.dumps({"id": _payload(token)["p"]})
    node.request("DELETE", "/_pit", body, {"Content-Type": "application/json"})
    assert node.getresponse().status == 200  # the point in time is gone, as after 5 minutes
    node.close()
    reply = api.get(f"{T}?cursor={quote(token, safe='')}&limit=2")
    assert_refused_cleanly(reply)
    assert reply.status == 400
    assert "expired" in reply.json()["detail"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Authorization": "Bearer " + ADMIN_TOKEN[:-1]}, 403),  # a prefix of the token
        ({"Authorization": "bearer"}, 401),
        ({"Authorization": "Token " + ADMIN_TOKEN}, 401),
        ({"Authorization": "Bearer " + "é" * 40}, 403),  # not ASCII on the wire
        ({"Authorization": "Bearer " + "x" * 20_000}, 403),
        ({"X-Admin-Token": ADMIN_TOKEN}, 401),
    ],
)
def test_admin_refuses_hostile_credentials(api: Api, headers: dict[str, str], status: int) -> None:
    sent = {k: v.encode("utf-8").decode("latin-1") for k, v in headers.items()}
    reply = api.post(RUNS, b'{"sources": ["demo"]}', {**sent, "Content-Type": "application/json"})
    assert_refused_cleanly(reply)
    assert reply.status == status


def test_admin_token_in_the_query_string_is_not_accepted(api: Api) -> None:
    reply = api.post(f"{RUNS}?token={ADMIN_TOKEN}&access_token={ADMIN_TOKEN}", b"{}")
    assert_refused_cleanly(reply)
    assert reply.status == 401


def test_an_oversized_unauthenticated_body_is_refused_without_reading_it(api: Api) -> None:
    reply = api.post(RUNS, b"x" * (8 * 1024 * 1024), {"Content-Type": "application/json"})
    assert_refused_cleanly(reply)
    assert reply.status == 401


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # nesting deeper than any parser should follow
        b'{"sources": ["cris"], "full": 1e999999}',
        b'{"sources": ["cris"], "full": NaN}',
        b'{"sources": "cris"}',
        b'{"sources": [' + b'"cris",' * 10_000 + b'"cris"], "full": "no"}',
        b'{"sources": [{"$ne": null}]}',
        b'{"sources": ["../../etc/passwd"]}',
        b"\xff\xfe{\x00}",
        b"",
        b"null",
    ],
)
def test_admin_refuses_hostile_bodies(api: Api, body: bytes) -> None:
    reply = api.post(RUNS, body, AUTH)
    assert_refused_cleanly(reply)
    assert reply.status in (400, 413), reply.body[:200]
