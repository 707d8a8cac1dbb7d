"""The empty query loaded once (service.validation): the same answer apigami's parser gives,
only for schemas whose answer cannot change, and a query string still parsed every time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, make_mocked_request
from aiohttp_apigami.constants import APISPEC_PARSER, SCHEMAS_ATTR
from aiohttp_apigami.validation import ValidationSchema
from marshmallow import Schema, fields, post_load

from service.app import create_app
from service.validation import _empty_answer
from trials.settings import Settings

Client = TestClient[Any, Any]


def _schemas(app: web.Application) -> list[tuple[str, Any]]:
    found = []
    for route in app.router.routes():
        for validation in getattr(route.handler, SCHEMAS_ATTR, None) or []:
            found.append((route.resource.canonical if route.resource else "", validation))
    return found


async def test_a_kept_answer_is_what_the_parser_gives_for_an_empty_query(
    settings: Settings,
) -> None:
    app = create_app(settings)
    kept = 0
    for path, validation in _schemas(app):
        answer = _empty_answer(validation)
        if answer is None:
            continue
        kept += 1
        parsed = await app[APISPEC_PARSER].parse(
            argmap=validation.schema,
            req=make_mocked_request("GET", path, app=app),
            location=validation.location,
            unknown=None,
        )
        assert answer == parsed, path
    assert kept >= 2  # detail and history at least


class _Computed(Schema):
    until = fields.DateTime(load_default=lambda: datetime.now(UTC))


class _Hooked(Schema):
    limit = fields.Integer(load_default=10)

    @post_load
    def stamp(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {**data, "at": datetime.now(UTC)}


class _Required(Schema):
    q = fields.String(required=True)


class _Constant(Schema):
    limit = fields.Integer(load_default=10)


@pytest.mark.parametrize(
    ("schema", "kept"),
    [(_Computed, False), (_Hooked, False), (_Required, False), (_Constant, True)],
)
def test_only_an_answer_that_cannot_change_is_kept(schema: type[Schema], kept: bool) -> None:
    validation = ValidationSchema(schema=schema(), location="querystring", put_into="querystring")
    assert (_empty_answer(validation) is not None) is kept


def test_every_route_but_suggest_keeps_its_empty_answer(settings: Settings) -> None:
    app = create_app(settings)
    kept = {path for path, v in _schemas(app) if _empty_answer(v) is not None}
    assert "/api/v1/trials/{trial_id}" in kept
    assert "/api/v1/suggest" not in kept  # `q` is required: a 400 each time


async def test_with_and_without_a_query_string_the_detail_is_the_same(client: Client) -> None:
    bare = await client.get("/api/v1/trials/KCT0011569")
    parsed = await client.get("/api/v1/trials/KCT0011569?cache-buster=1")
    assert bare.status == parsed.status == 200
    assert await bare.json() == await parsed.json()
    chosen = await client.get("/api/v1/trials/KCT0011569?fields=id,title")
    assert set(await chosen.json()) == {"id", "title"}
    wrong = await client.get("/api/v1/trials/KCT0011569?fields=nope")
    assert wrong.status == 400
    assert wrong.headers["Content-Type"].startswith("application/problem+json")


def test_each_request_gets_its_own_copy(settings: Settings) -> None:
    app = create_app(settings)
    detail = next(v for path, v in _schemas(app) if path == "/api/v1/trials/{trial_id}")
    first = _empty_answer(detail)
    assert first is not None
    first["fields_"] = ["mutated"]  # as a handler may change what it was given
    assert _empty_answer(detail) == {}
