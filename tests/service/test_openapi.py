"""The served OpenAPI 3 spec documents every route, declares every error as
application/problem+json, validates with openapi-spec-validator, and schemathesis, generating
requests from it, finds no 5xx and no response that breaks it."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from elasticsearch import AsyncElasticsearch
from openapi_spec_validator import validate

from service.app import create_app
from trials.settings import Settings

Client = TestClient[Any, Any]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
ROUTES = {
    ("get", "/api/v1/trials"),
    ("get", "/api/v1/trials/export"),
    ("get", "/api/v1/trials/recent"),
    ("get", "/api/v1/trials/{trial_id}"),
    ("get", "/api/v1/trials/{trial_id}/history"),
    ("get", "/api/v1/feeds/trials"),
    ("get", "/api/v1/suggest"),
    ("get", "/api/v1/sync-runs"),
    ("post", "/api/v1/sync-runs"),
    ("get", "/api/v1/sync-runs/{run_id}"),
    ("get", "/health"),
    ("get", "/ready"),
    ("get", "/api/v1/version"),
}
PROBLEM = {"schema": {"$ref": "#/components/schemas/Problem"}}


async def spec_at(client: Client, url: str) -> dict[str, Any]:
    response = await client.get(url)
    assert response.status == 200
    assert response.content_type == "application/json"
    return dict(await response.json())


async def test_the_spec_is_openapi_3_and_valid(client: Client) -> None:
    spec = await spec_at(client, "/api/docs/openapi.json")
    assert spec["openapi"].startswith("3.0.")
    assert "swagger" not in spec
    validate(spec)  # raises on any violation of the OpenAPI 3.0 schema
    # the old URL answers the same 3.x document, for clients that kept it
    assert await spec_at(client, "/api/docs/swagger.json") == spec


async def test_every_app_serves_the_whole_spec(
    es: AsyncElasticsearch, svc_settings: Settings
) -> None:
    """The decorators' docs are shared by every app of the process (tests make many): building
    one spec must not leave the next without its schemas."""
    specs = []
    for _ in range(2):
        async with TestClient(TestServer(create_app(svc_settings, es=es))) as other:
            specs.append(await spec_at(other, "/api/docs/openapi.json"))
    assert specs[0] == specs[1]
    assert "Problem" in specs[1]["components"]["schemas"]
    validate(specs[1])


async def test_spec_documents_every_route(client: Client) -> None:
    spec = await spec_at(client, "/api/docs/openapi.json")
    documented = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert documented == ROUTES  # HEAD is implied by GET, not documented twice
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            assert op.get("summary"), (method, path)
            assert op.get("operationId"), (method, path)
            assert "produces" not in op  # Swagger 2 only
            assert "200" in op["responses"] or "202" in op["responses"], (method, path)
            errors = {code for code in op["responses"] if code >= "400"}
            if path.startswith("/api/"):
                assert "503" in errors, (method, path)
            for code in errors:
                content = op["responses"][code]["content"]
                assert list(content) == ["application/problem+json"], (method, path, code)
                assert content["application/problem+json"]["schema"] == PROBLEM["schema"]


async def test_examples_include_korean(client: Client) -> None:
    spec = await spec_at(client, "/api/docs/openapi.json")
    text = json.dumps(spec, ensure_ascii=False)
    assert "건성안" in text  # response examples
    assert "당뇨병" in text  # the q parameter's example


async def test_schemathesis_finds_no_server_error_or_spec_violation(
    client: Client, tmp_path: Path
) -> None:
    base = f"http://127.0.0.1:{client.port}"
    process = await asyncio.create_subprocess_exec(
        str(SCHEMATHESIS),
        "run",
        f"{base}/api/docs/openapi.json",
        "--checks",
        "not_a_server_error,response_schema_conformance,status_code_conformance,"
        "content_type_conformance,response_headers_conformance,negative_data_rejection,ignored_auth",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        "60",
        "--seed",
        "20260203",
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "10",
        "--no-color",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        cwd=tmp_path,  # it keeps a cache of crashes in its working directory
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=300)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text
