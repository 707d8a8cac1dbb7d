"""The served Swagger 2.0 spec documents every route, and schemathesis, generating requests
from it, finds no 5xx and no response that breaks it."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

Client = TestClient[Any, Any]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
ROUTES = {
    ("get", "/api/v1/trials"),
    ("get", "/api/v1/trials/recent"),
    ("get", "/api/v1/trials/{trial_id}"),
    ("get", "/api/v1/sync-runs"),
    ("post", "/api/v1/sync-runs"),
    ("get", "/api/v1/sync-runs/{run_id}"),
    ("get", "/health"),
    ("get", "/ready"),
    ("get", "/api/v1/version"),
}


async def test_spec_documents_every_route(client: Client) -> None:
    spec = await (await client.get("/api/docs/swagger.json")).json()
    assert spec["swagger"] == "2.0"
    documented = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert documented == ROUTES
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            assert op.get("summary"), (method, path)
            assert "200" in op["responses"] or "202" in op["responses"], (method, path)
            errors = {code for code in op["responses"] if code >= "400"}
            if path.startswith("/api/"):
                assert "503" in errors, (method, path)
            for code in errors:
                assert op["responses"][code]["schema"] == {"$ref": "#/definitions/Problem"}


async def test_examples_include_korean(client: Client) -> None:
    spec = await (await client.get("/api/docs/swagger.json")).json()
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
        f"{base}/api/docs/swagger.json",
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
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text
