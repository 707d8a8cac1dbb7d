"""Response schemas of the operational endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields


class HealthSchema(Schema):
    status = fields.String(metadata={"example": "ok"})


class CheckSchema(Schema):
    name = fields.String(metadata={"example": "trials alias"})
    ok = fields.Boolean()
    detail = fields.String(metadata={"example": "test-trials -> test-trials-v1-20260203180000"})


class ReadySchema(Schema):
    status = fields.String(metadata={"example": "ready"})
    checks = fields.List(fields.Nested(CheckSchema))


class LastSyncSchema(Schema):
    run_id = fields.String()
    finished_at = fields.String(allow_none=True)
    counts = fields.Dict(allow_none=True)


class VersionSchema(Schema):
    app = fields.String(metadata={"example": "0.1.0"})
    mappings = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        metadata={
            "description": "Per index: the version the code expects and the one found",
            "example": {"trials": {"expected": 1, "found": 1}},
        },
    )
    last_sync = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(LastSyncSchema, allow_none=True),
        metadata={"description": "Last completed run per source (null if none): data freshness"},
    )
