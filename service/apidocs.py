"""The OpenAPI 3 layer: aiohttp-apigami's decorators with types, the shapes of responses and
parameters as OpenAPI 3.0 writes them, and building the spec from the routes.

Why aiohttp-apigami and not aiohttp-apispec 3.0.0b2: the latter constructs its `APISpec` with
`openapi_version="2.0"` fixed (passing another version is a duplicate keyword) and writes
Swagger 2 shapes (`type` on path parameters, `schema` directly under a response). apigami, its
maintained fork, keeps the same decorators and validation middleware and takes
`openapi_version` (3.0.x): request bodies become `requestBody`, responses `content`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import aiohttp_apigami
from aiohttp import web
from aiohttp_apigami import AiohttpApiSpec
from marshmallow import Schema

H = TypeVar("H", bound=Callable[..., Any])
OPENAPI_VERSION = "3.0.3"
JSON = "application/json"


def docs(**kwargs: Any) -> Callable[[H], H]:
    """`operation_id` defaults to the handler's name (client generators name methods by it)."""

    def decorate(handler: H) -> H:
        kwargs.setdefault("operation_id", handler.__name__)
        return aiohttp_apigami.docs(**kwargs)(handler)

    return decorate


def querystring_schema(schema: type[Schema]) -> Callable[[H], H]:
    """Documents the query parameters and makes validation_middleware load them into
    `request["querystring"]` (errors go to the error_callback → 400 problem)."""
    return aiohttp_apigami.querystring_schema(schema)


def json_body(schema: type[Schema]) -> dict[str, Any]:
    """A required JSON request body (validated by the route itself)."""
    return {"required": True, "content": {JSON: {"schema": schema}}}


def response(
    description: str,
    schema: Any = None,
    example: Any = None,
    *,
    media_type: str = JSON,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A `responses` entry: its body under `content[media_type]`, headers described by name."""
    entry: dict[str, Any] = {"description": description}
    if schema is not None:
        content: dict[str, Any] = {"schema": schema}
        if example is not None:
            content["example"] = example
        entry["content"] = {media_type: content}
    if headers:
        entry["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in headers.items()
        }
    return entry


def parameter(
    where: str, name: str, description: str, example: str | None = None
) -> dict[str, Any]:
    """A string parameter in the path (required) or a header (optional)."""
    entry: dict[str, Any] = {
        "in": where,
        "name": name,
        "required": where == "path",
        "description": description,
        "schema": {"type": "string"},
    }
    if example is not None:
        entry["example"] = example
    return entry


def build_spec(app: web.Application, error_callback: Any, **options: Any) -> dict[str, Any]:
    """The OpenAPI 3 document of every route documented with `docs`, added so far to `app`;
    also installs the validation parser's error callback. Serving it is the caller's."""
    spec = AiohttpApiSpec(
        url="",  # no spec route nor UI from apigami: service.docsui serves both
        error_callback=error_callback,
        openapi_version=OPENAPI_VERSION,
        **options,
    )
    _restore_docs(app)
    spec.spec.components.security_scheme(
        "admin_token",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "Admin endpoints: `Authorization: Bearer <TRIALS_ADMIN_TOKEN>`",
        },
    )
    with warnings.catch_warnings():  # apigami keeps the spec under a plain string key
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        spec.register(app, in_place=True)
    return _tidied(spec.swagger_dict())


PRISTINE = "__trials_apispec__"


def _restore_docs(app: web.Application) -> None:
    """apispec resolves the schemas in `content` and `requestBody` in place, turning each
    into a `$ref` in the dict the decorator keeps; the next app (tests make many) would find
    only refs and register no schema. So each build starts from a copy of the untouched docs,
    kept the first time."""
    for route in app.router.routes():
        handler: Any = route.handler
        docs = getattr(handler, "__apispec__", None)
        if docs is None:
            continue
        if not hasattr(handler, PRISTINE):
            setattr(handler, PRISTINE, _fresh(docs))
        handler.__apispec__ = _fresh(getattr(handler, PRISTINE))


def _fresh(value: Any) -> Any:
    """Dicts and lists copied, everything else (schemas among them) shared."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


def _tidied(document: dict[str, Any]) -> dict[str, Any]:
    """HEAD is every GET without its body (documenting it would double every operation), and
    apigami adds Swagger 2's `produces`, which OpenAPI 3 replaced by each response's
    `content`."""
    for operations in document["paths"].values():
        operations.pop("head", None)
        for operation in operations.values():
            operation.pop("produces", None)
    return document
