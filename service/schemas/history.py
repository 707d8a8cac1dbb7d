"""Schemas of a trial's history (GET /api/v1/trials/{trial_id}/history) and of the Atom feed's
query (GET /api/v1/feeds/trials: the search's parameters, without its paging)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.schemas.fields import cursor, limit, offset
from service.schemas.trials import PageFields, TrialSearchQuerySchema

CHANGES = ("created", "updated", "restored", "removed")
FEED_LIMIT = 50
FEED_MAX = 200


class HistoryQuerySchema(Schema):
    offset = offset()
    limit = limit()
    cursor = cursor()


class FieldChangeSchema(Schema):
    field = fields.String(metadata={"description": "Field name; nested ones dotted"})
    old = fields.Raw(allow_none=True, metadata={"description": "Before (absent: none)"})
    new = fields.Raw(allow_none=True, metadata={"description": "After (absent: none)"})
    added = fields.List(fields.String(), metadata={"description": "Lists: items added"})
    removed = fields.List(fields.String(), metadata={"description": "Lists: items removed"})
    excerpt = fields.Boolean(
        metadata={"description": "True when old/new are excerpts (long texts, long lists)"}
    )


class HistoryEntrySchema(Schema):
    id = fields.String(metadata={"description": "The change's id: trial id @ version it left"})
    trial_id = fields.String()
    source = fields.String()
    registry_id = fields.String()
    change = fields.String(validate=validate.OneOf(CHANGES))
    at = fields.String(metadata={"description": "When the change was written (the run's start)"})
    run_id = fields.String(metadata={"description": "The sync run that wrote it"})
    changed_fields = fields.List(fields.String())
    fields_ = fields.List(
        fields.Nested(FieldChangeSchema),
        data_key="fields",
        metadata={"description": "What changed"},
    )


class HistoryPageSchema(PageFields):
    items = fields.List(fields.Nested(HistoryEntrySchema))


class FeedQuerySchema(TrialSearchQuerySchema):
    """The search's filters and query; the newest `limit` changed trials, no paging."""

    class Meta:
        exclude = ("offset", "cursor", "facets", "sort", "fields_")

    limit = fields.Integer(
        load_default=FEED_LIMIT,
        validate=validate.Range(1, FEED_MAX),
        metadata={"description": f"Entries, newest first (default {FEED_LIMIT}, max {FEED_MAX})"},
    )
