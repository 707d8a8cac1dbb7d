"""Query and page schemas of the trial lists: search and recent changes (the trial itself:
`service.schemas.trial_views`)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.schemas.fields import MAX_VALUES, cursor, instant, limit, offset
from service.schemas.trial_views import TrialSchema
from service.search import CHANGES, SORTS
from trials.model import PHASES, STATUSES, STUDY_TYPES
from trials.registries import SOURCE_NAMES

DATES_NOTE = (
    " Inclusive. A date without a time means the whole day in Asia/Seoul; a date-time without "
    "an offset is read as Asia/Seoul."
)


def _source_filter() -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(SOURCE_NAMES)),
        validate=validate.Length(max=MAX_VALUES),
        metadata={"description": "Only these registries (repeatable)."},
    )


def _keywords(description: str, vocabulary: tuple[str, ...] | None = None) -> fields.List:
    check = validate.OneOf(vocabulary) if vocabulary else validate.Length(1, 100)
    return fields.List(
        fields.String(validate=check),
        validate=validate.Length(max=MAX_VALUES),
        metadata={"description": description + " (repeatable; any of the values)"},
    )


class TrialSearchQuerySchema(Schema):
    q = fields.String(
        validate=validate.Length(1, 500),
        metadata={
            "description": "Full-text query over Korean and English titles (the official one "
            "too), conditions, keywords, interventions, summary, institution, sponsor, site "
            "names and department, and, weighing less, the description, eligibility criteria, "
            "outcome measures, collaborators and funding; analysed with the Korean "
            "morphological analyser (particles dropped, compounds split, hanja read as hangul). "
            "Plain text: operators and special characters have no meaning. Registry ids "
            "(KCT0011569, NCT05923281) match exactly.",
            "x-example": "당뇨병",
        },
    )
    source = _source_filter()
    phase = _keywords("Normalised phase", PHASES)
    status = _keywords("Normalised recruitment status", STATUSES)
    study_type = _keywords("Normalised study type", STUDY_TYPES)
    department = _keywords("Department, case-insensitive, e.g. Pediatrics")
    institution = fields.String(
        validate=validate.Length(1, 200),
        metadata={
            "description": "Lead institution contains all these words",
            "example": "서울아산병원",
        },
    )
    registered_from = instant("Registered on or after." + DATES_NOTE, "2025-01-01")
    registered_to = instant("Registered on or before." + DATES_NOTE, "2026-12-31")
    updated_from = instant("Changed in our index on or after." + DATES_NOTE, "2025-01-01")
    updated_to = instant("Changed in our index on or before." + DATES_NOTE, "2026-12-31")
    include_removed = fields.Boolean(
        metadata={"description": "Include trials removed from their registry (default false)"}
    )
    sort = fields.String(
        validate=validate.OneOf(SORTS),
        metadata={
            "description": "relevance (default when q is given), changed_at (default otherwise) "
            "or registered_at; newest first, ties broken by id."
        },
    )
    offset = offset()
    limit = limit()
    cursor = cursor()


class RecentQuerySchema(Schema):
    updated_from = instant(
        "Window start. Default: 7 days before `updated_to` (or before now)." + DATES_NOTE,
        "2026-02-01",
    )
    updated_to = instant("Window end. Default: now." + DATES_NOTE, "2026-02-03")
    change = fields.String(
        validate=validate.OneOf(CHANGES),
        metadata={
            "description": "created: first seen in the window. updated: its content changed "
            "in the window (`changed_at` in it, and `last_change` updated or restored), "
            "however recently it was first seen. any (default): either, each trial once, "
            "tagged with its `change`.",
        },
    )
    source = _source_filter()
    include_removed = fields.Boolean(
        metadata={"description": "Include trials removed from their registry (default false)"}
    )
    offset = offset()
    limit = limit()
    cursor = cursor()


class SearchItemSchema(TrialSchema):
    score = fields.Float(
        allow_none=True,
        metadata={"description": "Relevance score; null unless q is given and sort=relevance"},
    )
    highlight = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={
            "description": "Matched fragments per field (title, title_ko, title_en, "
            "official_title, summary, conditions, keywords, interventions, institution, "
            "sponsor, sites.name; description: one passage), terms wrapped in <em>"
        },
    )


class RecentItemSchema(TrialSchema):
    change = fields.String(
        validate=validate.OneOf(("created", "updated")),
        metadata={
            "description": "The list the trial is in: `change` when created or updated was "
            "asked; under any, created when first seen in the window, otherwise updated"
        },
    )


class FacetBucketSchema(Schema):
    value = fields.String()
    count = fields.Integer()


class FacetsSchema(Schema):
    phase = fields.List(fields.Nested(FacetBucketSchema))
    status = fields.List(fields.Nested(FacetBucketSchema))
    source = fields.List(fields.Nested(FacetBucketSchema))
    department = fields.List(fields.Nested(FacetBucketSchema))


class PageFields(Schema):
    total = fields.Integer(metadata={"description": "Matching trials (see total_relation)"})
    total_relation = fields.String(
        validate=validate.OneOf(("eq", "gte")),
        metadata={"description": "eq: exact; gte: at least that many (counted up to 10,000)"},
    )
    offset = fields.Integer(metadata={"description": "Items before this page"})
    limit = fields.Integer()
    next_cursor = fields.String(
        allow_none=True,
        metadata={
            "description": "Pass as `cursor` for the next page; null on the last page "
            "and when paging by offset"
        },
    )


class SearchPageSchema(PageFields):
    items = fields.List(fields.Nested(SearchItemSchema))
    facets = fields.Nested(FacetsSchema)


class RecentPageSchema(PageFields):
    items = fields.List(fields.Nested(RecentItemSchema))
