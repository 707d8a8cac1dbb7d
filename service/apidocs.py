"""aiohttp-apispec's decorators with types, so `mypy --strict` can see through them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import aiohttp_apispec
from marshmallow import Schema

H = TypeVar("H", bound=Callable[..., Any])
# Every operation can answer with a problem; aiohttp-apispec would declare JSON alone.
PRODUCES = ["application/json", "application/problem+json"]


def docs(**kwargs: Any) -> Callable[[H], H]:
    kwargs.setdefault("produces", PRODUCES)
    return cast(Callable[[H], H], aiohttp_apispec.docs(**kwargs))


def querystring_schema(schema: type[Schema]) -> Callable[[H], H]:
    """Documents the query parameters and makes validation_middleware load them into
    `request["querystring"]` (errors go to the error_callback → 400 problem)."""
    return cast(Callable[[H], H], aiohttp_apispec.querystring_schema(schema))
