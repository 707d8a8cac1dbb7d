"""RFC 9457 problem details, the body of every error response."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from service.apidocs import response
from service.errors import PROBLEM_JSON


class InvalidParamSchema(Schema):
    name = fields.String(metadata={"description": "The offending parameter", "example": "limit"})
    # `in` is a keyword in Python, hence data_key.
    in_ = fields.String(
        data_key="in",
        metadata={"description": "query, path, header or body", "example": "query"},
    )
    reason = fields.String(
        metadata={"description": "What is wrong with it", "example": "Must be between 1 and 100."}
    )


class ProblemSchema(Schema):
    type = fields.String(
        metadata={
            "description": "A URN naming the kind of problem; about:blank for plain HTTP errors",
            "example": "urn:trials:problem:invalid-parameters",
        }
    )
    title = fields.String(metadata={"example": "Invalid request parameters"})
    status = fields.Integer(metadata={"example": 400})
    detail = fields.String(
        metadata={
            "example": "limit: Must be greater than or equal to 1 and less than or equal to 100."
        }
    )
    instance = fields.String(metadata={"example": "/api/v1/trials"})
    errors = fields.List(
        fields.Nested(InvalidParamSchema),
        metadata={"description": "One entry per offending parameter (400 only)"},
    )
    request_id = fields.String(
        metadata={
            "description": "The request's X-Request-Id (the client's, when sane, else one we "
            "made): quote it when reporting the problem, it is in our access log",
            "example": "5f0c3a1e9b7d4c2a8e6f1b3d5a7c9e0f",
        }
    )


def problem(
    status: int,
    description: str,
    example: dict[str, Any] | None = None,
    *,
    detail: str | None = None,
    instance: str = "/api/v1/trials",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A `responses` entry for @docs: the problem schema as `application/problem+json`, with an
    example body."""
    body = example or {
        "type": "about:blank",
        "title": description,
        "status": status,
        "detail": detail or description,
        "instance": instance,
    }
    return response(description, ProblemSchema, body, media_type=PROBLEM_JSON, headers=headers)


BAD_PARAMETER = problem(
    400,
    "A parameter is invalid",
    {
        "type": "urn:trials:problem:invalid-parameters",
        "title": "Invalid request parameters",
        "status": 400,
        "detail": "limit: Must be greater than or equal to 1 and less than or equal to 100.",
        "instance": "/api/v1/trials",
        "request_id": "5f0c3a1e9b7d4c2a8e6f1b3d5a7c9e0f",
        "errors": [
            {
                "name": "limit",
                "in": "query",
                "reason": "Must be greater than or equal to 1 and less than or equal to 100.",
            }
        ],
    },
)
UNAVAILABLE = problem(
    503,
    "Elasticsearch is unreachable; retry after the number of seconds in Retry-After",
    {
        "type": "urn:trials:problem:unavailable",
        "title": "Service unavailable",
        "status": 503,
        "detail": "the search backend is unreachable; retry shortly",
        "instance": "/api/v1/trials",
        "request_id": "5f0c3a1e9b7d4c2a8e6f1b3d5a7c9e0f",
    },
    headers={"Retry-After": "Seconds to wait before retrying"},
)
