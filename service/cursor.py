"""Opaque page cursors: base64url JSON signed with HMAC-SHA256, so a client can hold them but
cannot forge or alter them. A cursor pins everything a walk needs: the point in time (PIT) it
reads, the sort values to continue after, the query it was issued for and the moment it began
(so a rolling default window does not drift between pages)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Literal

import orjson

VERSION = 1
# The list endpoints that hand out cursors; a cursor is refused by every other one.
ListKind = Literal["search", "recent", "sync-runs", "history"]


class InvalidCursor(ValueError):
    """The token was not issued by us, was altered, or is for another endpoint."""


@dataclass(frozen=True)
class CursorState:
    kind: str  # the endpoint (a ListKind) that issued it
    pit: str
    after: list[Any] | None
    query: list[list[str]]  # the request's other parameters, sorted [name, value] pairs
    began: str  # ISO-8601 instant the walk started
    served: int  # items handed out before this page


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:  # the decoder ignores a last character's spare bits: refuse them
        raise ValueError("not the base64url this API writes")
    return data


class CursorCodec:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._secret, payload, hashlib.sha256).digest()

    def encode(self, state: CursorState) -> str:
        payload = orjson.dumps(
            {
                "v": VERSION,
                "k": state.kind,
                "p": state.pit,
                "a": state.after,
                "q": state.query,
                "t": state.began,
                "n": state.served,
            }
        )
        return f"{_b64(payload)}.{_b64(self._sign(payload))}"

    def decode(self, token: str, kind: ListKind) -> CursorState:
        try:
            body, _, mac = token.partition(".")
            payload = _unb64(body)
            signature = _unb64(mac)
        except (binascii.Error, ValueError) as exc:
            raise InvalidCursor("not a cursor issued by this API") from exc
        if not hmac.compare_digest(signature, self._sign(payload)):
            raise InvalidCursor("not a cursor issued by this API, or it was altered")
        data = orjson.loads(payload)
        if data.get("v") != VERSION or data.get("k") != kind:
            raise InvalidCursor(f"this cursor belongs to another endpoint, not {kind!r}")
        return CursorState(
            kind=data["k"],
            pit=data["p"],
            after=data["a"],
            query=data["q"],
            began=data["t"],
            served=data["n"],
        )
