"""Query and page schemas of the trial lists: search and recent changes (the trial itself:
`service.schemas.trial_views`)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from service.filters import OTHER_SEX
from service.geo import DEFAULT_WITHIN_KM, MAX_WITHIN_KM
from service.recent import BASES, CHANGES
from service.schemas.concepts import condition_facet
from service.schemas.fields import (
    MAX_VALUES,
    CountryField,
    PointField,
    RegionField,
    cursor,
    field_names,
    instant,
    limit,
    offset,
)
from service.schemas.trial_views import TrialDetailSchema, TrialItemSchema
from service.search import SORTS
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


def _repeatable(inner: fields.Field, description: str) -> fields.List:
    return fields.List(
        inner,
        validate=validate.Length(max=MAX_VALUES),
        metadata={"description": description + " (repeatable; any of the values)"},
    )


def _keywords(description: str, vocabulary: tuple[str, ...] | None = None) -> fields.List:
    check = validate.OneOf(vocabulary) if vocabulary else validate.Length(1, 100)
    return fields.List(
        fields.String(validate=check),
        validate=validate.Length(max=MAX_VALUES),
        metadata={"description": description + " (repeatable; any of the values)"},
    )


class SearchItemSchema(TrialItemSchema):
    score = fields.Float(
        allow_none=True,
        metadata={"description": "Relevance score; null unless q is given and sort=relevance"},
    )
    distance_km = fields.Float(
        allow_none=True,
        metadata={"description": "With `near`: kilometres to the trial's nearest site"},
    )
    highlight = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={
            "description": "Matched fragments per field (title, title_ko, title_en, "
            "official_title, summary, conditions, keywords, interventions, institution, "
            "sponsor, sites.name; description: one passage; concepts.ko, concepts.en: the "
            "vocabulary concepts the query found, so a Korean query shows why an English "
            "trial matched), terms wrapped in <em>"
        },
    )


class RecentItemSchema(TrialItemSchema):
    change = fields.String(
        validate=validate.OneOf(("created", "updated")),
        metadata={
            "description": "The list the trial is in: `change` when created or updated was "
            "asked; under any, created when new in the window (first seen, or registered "
            "under basis=registry), otherwise updated"
        },
    )
    changed_fields = fields.List(
        fields.String(),
        metadata={
            "description": "The fields the trial's latest registry change changed (its "
            "`/history` has their old and new values); empty when it was created"
        },
    )


SEARCH_FIELDS = tuple(SearchItemSchema._declared_fields)
RECENT_FIELDS = tuple(RecentItemSchema._declared_fields)
EXPORT_FIELDS = tuple(TrialItemSchema._declared_fields)
DETAIL_FIELDS = tuple(TrialDetailSchema._declared_fields)
EXPORT_FORMATS = ("ndjson", "csv")


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
            "example": "당뇨병",
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
            "description": "Lead institution contains all these words, e.g. 서울아산병원",
        },
    )
    registered_from = instant("Registered on or after." + DATES_NOTE, "2025-01-01")
    registered_to = instant("Registered on or before." + DATES_NOTE, "2026-12-31")
    updated_from = instant("Changed in our index on or after." + DATES_NOTE, "2025-01-01")
    updated_to = instant("Changed in our index on or before." + DATES_NOTE, "2026-12-31")
    source_updated_from = instant(
        "Last updated at the registry on or after." + DATES_NOTE, "2025-01-01"
    )
    source_updated_to = instant(
        "Last updated at the registry on or before." + DATES_NOTE, "2026-12-31"
    )
    age = fields.Integer(
        validate=validate.Range(0, 150),
        metadata={
            "description": "Age in whole years: trials whose eligible ages include it, both "
            "bounds inclusive (a trial for 19 to 65 matches 19 and 65). A bound the record "
            "leaves open is no limit, so trials without age data match every age. Example: 45."
        },
    )
    sex = fields.String(
        validate=validate.OneOf(tuple(OTHER_SEX)),
        metadata={
            "description": "Trials open to this sex: female matches trials for women and for "
            "all; trials whose record states no sex match too. Example: female."
        },
    )
    healthy_volunteers = fields.Boolean(
        metadata={
            "description": "true: trials that accept healthy volunteers; false: trials that do "
            "not. Trials whose record does not say are left out either way."
        }
    )
    country = _repeatable(
        CountryField(),
        "Trials with a site in this country: ISO 3166-1 alpha-2, any letter case, e.g. KR",
    )
    region = _repeatable(
        RegionField(),
        "Trials with a site in this Korean 시/도: the official name (서울특별시) or a short form "
        "(서울, 경기, 충북). A site has a region only where its record states the place",
    )
    site = fields.String(
        validate=validate.Length(1, 200),
        metadata={
            "description": "The trial's site (facility) names contain all these words, e.g. "
            "분당차병원"
        },
    )
    near = PointField(
        metadata={
            "description": "latitude,longitude in degrees: trials with a site within "
            "`within_km` of it (sites without coordinates never match; CRIS gives none). Items "
            "carry `distance_km` to the trial's nearest site. Without q or sort, nearest "
            "first. Example: 37.5665,126.978."
        }
    )
    within_km = fields.Float(
        validate=validate.Range(0, MAX_WITHIN_KM, min_inclusive=False),
        metadata={
            "description": f"Radius around `near` in kilometres (default {DEFAULT_WITHIN_KM:g}); "
            "only with near"
        },
    )
    include_removed = fields.Boolean(
        metadata={"description": "Include trials removed from their registry (default false)"}
    )
    sort = fields.String(
        validate=validate.OneOf(SORTS),
        metadata={
            "description": "relevance (default when q is given; equal scores in index order), "
            "distance (nearest first; only with near, and its default without q), changed_at "
            "(default otherwise), registered_at or source_updated_at (the registry's dates); "
            "newest first, ties broken by id."
        },
    )
    facets = fields.Boolean(
        metadata={
            "description": "Count the facets and the exact total (default: true on a first "
            "page, false on the pages a cursor continues). false leaves `facets` out, counts "
            "the total up to 10,000 (`total_relation`) and answers faster."
        }
    )
    fields_ = field_names(SEARCH_FIELDS, "each item")
    offset = offset()
    limit = limit()
    cursor = cursor()


class ExportQuerySchema(TrialSearchQuerySchema):
    """The search's parameters, less the paging and the facets, plus the format."""

    class Meta:
        exclude = ("facets", "offset", "limit", "cursor")

    format = fields.String(
        validate=validate.OneOf(EXPORT_FORMATS),
        metadata={"description": "ndjson (default): one JSON object a line; csv: see below"},
    )
    fields_ = field_names(EXPORT_FIELDS, "each row")


class RecentQuerySchema(Schema):
    updated_from = instant(
        "Window start. Default: 7 days before `updated_to` (or before now)." + DATES_NOTE,
        "2026-02-01",
    )
    updated_to = instant("Window end. Default: now." + DATES_NOTE, "2026-02-03")
    change = fields.String(
        validate=validate.OneOf(CHANGES),
        metadata={
            "description": "created: new in the window. updated: changed in the window. any "
            "(default): either, each trial once, tagged with its `change`. What new and "
            "changed mean depends on `basis`.",
        },
    )
    basis = fields.String(
        validate=validate.OneOf(BASES),
        metadata={
            "description": "index (default): our index's dates. created: first seen by our "
            "index in the window; updated: its content changed in the window (`changed_at` "
            "in it, `last_change` updated or restored), however recently it was first seen. "
            "registry: the registry's own dates. created: `registered_at` in the window; "
            "updated: `source_updated_at` in it and registered before it (registries date a "
            "new record's last update on its registration, so a trial registered in the "
            "window is created only). Sorted by the latest of those dates first."
        },
    )
    source = _source_filter()
    include_removed = fields.Boolean(
        metadata={"description": "Include trials removed from their registry (default false)"}
    )
    field = _repeatable(
        fields.String(validate=validate.Length(1, 100)),
        "Only trials whose latest change, in the window, changed one of these fields "
        "(names as in `changed_fields`, e.g. status, target_size, study_period.end)",
    )
    fields_ = field_names(RECENT_FIELDS, "each item")
    offset = offset()
    limit = limit()
    cursor = cursor()


class FacetBucketSchema(Schema):
    value = fields.String()
    count = fields.Integer()


def _facet(description: str) -> fields.List:
    return fields.List(fields.Nested(FacetBucketSchema), metadata={"description": description})


class FacetsSchema(Schema):
    """Counts over the whole result, up to 20 values each, most frequent first."""

    phase = _facet("Trials per phase")
    status = _facet("Trials per recruitment status")
    source = _facet("Trials per registry")
    department = _facet("Trials per department")
    region = _facet("Trials with a site in each Korean 시/도")
    country = _facet("Trials with a site in each country")
    sex = _facet("Trials per sex they are open to (all, female, male)")
    condition = condition_facet()


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
    facets = fields.Nested(
        FacetsSchema,
        metadata={"description": "Absent with facets=false, and on continued cursor pages"},
    )


class RecentPageSchema(PageFields):
    items = fields.List(fields.Nested(RecentItemSchema))


class TrialQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # other parameters were always ignored here (cache busters)

    fields_ = field_names(DETAIL_FIELDS, "the trial")
