"""Query, request and response schemas of the sync-run endpoints (the sync log)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from service.schemas.fields import MAX_VALUES, cursor, limit, offset
from service.schemas.trials import PageFields
from trials.launcher import SOURCE_NAMES, TRIGGERS
from trials.runs import RUN_STATUSES

STATUSES: tuple[str, ...] = RUN_STATUSES


class JsonBoolean(fields.Boolean):
    """true or false only: JSON 0, 1 or "yes" are not booleans (marshmallow would take them)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class SyncRunQuerySchema(Schema):
    source = fields.List(
        fields.String(validate=validate.OneOf(SOURCE_NAMES)),
        validate=validate.Length(max=MAX_VALUES),
        metadata={"description": "Only runs of these sources (repeatable)"},
    )
    status = fields.List(
        fields.String(validate=validate.OneOf(STATUSES)),
        validate=validate.Length(max=MAX_VALUES),
        metadata={"description": "Only runs in these states (repeatable)"},
    )
    run_id = fields.List(
        fields.String(validate=validate.Length(1, 200)),
        validate=validate.Length(max=MAX_VALUES),
        metadata={"description": "Only these runs (repeatable)"},
    )
    offset = offset()
    limit = limit()
    cursor = cursor()


class CountsSchema(Schema):
    fetched = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    renormalized = fields.Integer(
        metadata={
            "description": "Unchanged in the registry, rewritten because normalising it again "
            "(a new normaliser) gave another document; not a registry update"
        }
    )
    stale = fields.Integer()
    rejected = fields.Integer()
    failed = fields.Integer()
    removed = fields.Integer()
    restored = fields.Integer()
    history = fields.Integer(
        metadata={"description": "History entries written: one per registry change"}
    )


class RunErrorSchema(Schema):
    kind = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    ids = fields.List(fields.String(), allow_none=True)


class SyncRunSchema(Schema):
    run_id = fields.String()
    source = fields.String(metadata={"description": "One of " + ", ".join(SOURCE_NAMES)})
    trigger = fields.String(metadata={"description": "One of " + ", ".join(TRIGGERS)})
    status = fields.String(metadata={"description": "One of " + ", ".join(STATUSES)})
    full = fields.Boolean(allow_none=True)
    started_at = fields.String(allow_none=True)
    heartbeat_at = fields.String(allow_none=True)
    finished_at = fields.String(allow_none=True)
    duration_ms = fields.Integer(allow_none=True)
    host = fields.String(allow_none=True)
    pid = fields.Integer(allow_none=True)
    message = fields.String(allow_none=True)
    normalizer = fields.Integer(
        allow_none=True, metadata={"description": "The source's normaliser version it wrote with"}
    )
    counts = fields.Nested(CountsSchema, allow_none=True)
    created_ids = fields.List(fields.String(), allow_none=True)
    updated_ids = fields.List(fields.String(), allow_none=True)
    removed_ids = fields.List(fields.String(), allow_none=True)
    errors = fields.List(fields.Nested(RunErrorSchema), allow_none=True)


class SyncRunPageSchema(PageFields):
    """The trial lists' page envelope, over runs."""

    total = fields.Integer(metadata={"description": "Matching runs (see total_relation)"})
    items = fields.List(fields.Nested(SyncRunSchema))


class StartSyncSchema(Schema):
    sources = fields.List(
        fields.String(validate=validate.OneOf(SOURCE_NAMES)),
        validate=validate.Length(min=1, max=len(SOURCE_NAMES)),
        required=True,
        metadata={
            "description": "Sources to sync, each in its own background run",
            "example": ["cris"],
        },
    )
    full = JsonBoolean(
        load_default=False,
        metadata={
            "description": "Fetch everything, ignoring the last cursor (also detects "
            "trials removed upstream)"
        },
    )


class StartedRunSchema(Schema):
    run_id = fields.String()
    source = fields.String()
    href = fields.String(metadata={"description": "Where to follow the run"})


class StartedSchema(Schema):
    runs = fields.List(fields.Nested(StartedRunSchema))
