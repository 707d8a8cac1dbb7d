"""Pure query building: validated parameters in, an Elasticsearch request body out. No I/O.

User text only ever reaches `multi_match` and `match_phrase` (analysed as plain text), never
`query_string`, regexp, wildcard or scripts, so no input can change the query's structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.timewindow import Window
from trials.model import doc_id
from trials.registries import registry_of_id

# Titles weigh most, then the official title, then conditions and keywords; the registry id
# matches exactly (its keyword field is lower-cased). Long texts (description, eligibility
# criteria, outcomes) and the organisations around a trial count least: a word there says
# less about what the trial is.
REGISTRY_ID_BOOST = 8
TEXT_FIELDS = (
    "title^3",
    "title.en^3",
    "title_ko^3",
    "title_en^3",
    "title_en.ko^3",
    "official_title^2.5",
    "official_title.en^2.5",
    "conditions^2",
    "conditions.en^2",
    "keywords^1.8",
    "keywords.en^1.8",
    "interventions^2",
    "interventions.en^2",
    "summary",
    "summary.en",
    "institution",
    "sponsor",
    "sites.name",
    "department.text",
    "description^0.7",
    "description.en^0.7",
    "eligibility.criteria^0.5",
    "eligibility.criteria.en^0.5",
    "outcomes.measure^0.3",
    "outcomes.measure.en^0.3",
    "collaborators^0.5",
    "funding^0.5",
)
PHRASE_FIELDS = (
    "title^6",
    "title.en^6",
    "title_ko^6",
    "title_en^6",
    "official_title^5",
    "official_title.en^5",
    "summary^2",
    "summary.en^2",
)
# Highlighted fields, with their own fragment options where the defaults (up to 3 fragments
# of 150 characters) do not fit: a long description shows one passage.
HIGHLIGHT_FIELDS: dict[str, dict[str, int]] = {
    "title": {},
    "title_ko": {},
    "title_en": {},
    "official_title": {},
    "summary": {},
    "conditions": {},
    "keywords": {},
    "interventions": {},
    "institution": {},
    "sponsor": {},
    "sites.name": {},
    "description": {"number_of_fragments": 1, "fragment_size": 200},
}
FACETS = {"phase": "phase", "status": "status", "source": "source", "department": "department"}
FACET_SIZE = 20
SORTS = ("relevance", "changed_at", "registered_at")
CHANGES = ("created", "updated", "any")
# `last_change` values that count as an update: new content, or back in the registry
UPDATE_KINDS = ("updated", "restored")
# Heavy raw registry records stay out of list responses; the detail endpoint returns them.
LIST_SOURCE_EXCLUDES = ("raw",)


@dataclass(frozen=True)
class SearchParams:
    q: str | None = None
    sources: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    study_types: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    institution: str | None = None
    registered: Window = field(default_factory=Window)
    updated: Window = field(default_factory=Window)
    include_removed: bool = False
    sort: str | None = None

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q else "changed_at")


@dataclass(frozen=True)
class RecentParams:
    window: Window
    change: str = "any"
    sources: tuple[str, ...] = ()
    include_removed: bool = False


def _terms(name: str, values: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"terms": {name: list(values)}}] if values else []


def _range(name: str, window: Window) -> list[dict[str, Any]]:
    clause = window.range_clause()
    return [{"range": {name: clause}}] if clause else []


def _not_removed(include_removed: bool) -> list[dict[str, Any]]:
    return [] if include_removed else [{"exists": {"field": "removed_at"}}]


def sort_clause(sort: str) -> list[dict[str, Any]]:
    """Newest first with `id` as the unique tie-breaker, so pages never overlap."""
    by_id = {"id": "asc"}
    if sort == "relevance":
        return [{"_score": "desc"}, {"changed_at": {"order": "desc", "missing": "_last"}}, by_id]
    return [{sort: {"order": "desc", "missing": "_last"}}, by_id]


def analysed_text(q: str) -> str:
    return f"{q} "


def text_query(q: str) -> dict[str, Any]:
    """Any field may match; exact phrases, above all in titles, add to the score.

    The analysed fields get the query followed by a space: nori reads the end of its input as
    the end of a sentence, where a final particle can pass for a noun (alone, `당뇨병의` is
    당뇨 + 병의 and `환자의` is 환자 + 의; in running text, 당뇨 + 병 and 환자), so a query
    ending in a particle would require a word no document has. The registry id, a keyword,
    is matched as typed."""
    text = analysed_text(q)
    return {
        "bool": {
            "must": [
                {
                    "dis_max": {
                        "queries": [
                            {
                                "multi_match": {
                                    "query": text,
                                    "fields": list(TEXT_FIELDS),
                                    "type": "best_fields",
                                    "operator": "or",
                                    "minimum_should_match": "3<75%",
                                    "tie_breaker": 0.3,
                                }
                            },
                            {"match": {"registry_id": {"query": q, "boost": REGISTRY_ID_BOOST}}},
                        ]
                    }
                }
            ],
            "should": [
                {"multi_match": {"query": text, "fields": list(PHRASE_FIELDS), "type": "phrase"}}
            ],
        }
    }


def field_query(name: str, q: str) -> dict[str, Any]:
    """What highlights field `name`: its own words of the query, and the query as a phrase
    (so an exact phrase is marked as one). Without it the highlighter weighs the whole
    multi-field query for every field of every hit, several times the cost of the search."""
    text = analysed_text(q)
    return {"bool": {"should": [{"match": {name: text}}, {"match_phrase": {name: text}}]}}


def search_filters(params: SearchParams) -> list[dict[str, Any]]:
    filters = [
        *_terms("source", params.sources),
        *_terms("phase", params.phases),
        *_terms("status", params.statuses),
        *_terms("study_type", params.study_types),
        *_terms("department", params.departments),
        *_range("registered_at", params.registered),
        *_range("changed_at", params.updated),
    ]
    if params.institution:
        filters.append({"match": {"institution": {"query": params.institution, "operator": "and"}}})
    return filters


def search_body(params: SearchParams) -> dict[str, Any]:
    query: dict[str, Any] = {
        "bool": {
            "filter": search_filters(params),
            "must_not": _not_removed(params.include_removed),
        }
    }
    if params.q:
        query["bool"]["must"] = [text_query(params.q)]
    body: dict[str, Any] = {
        "query": query,
        "sort": sort_clause(params.effective_sort),
        "aggs": {name: {"terms": {"field": f, "size": FACET_SIZE}} for name, f in FACETS.items()},
        "source": {"excludes": list(LIST_SOURCE_EXCLUDES)},
    }
    if params.q:
        body["highlight"] = {
            "fields": {
                name: {"highlight_query": field_query(name, params.q), **options}
                for name, options in HIGHLIGHT_FIELDS.items()
            },
            "pre_tags": ["<em>"],
            "post_tags": ["</em>"],
            "encoder": "html",
            "number_of_fragments": 3,
            "fragment_size": 150,
        }
    return body


def change_clause(change: str, window: Window) -> dict[str, Any]:
    """created: first seen in the window. updated: its content changed in the window by an
    update or a restore (`changed_at` in it, and `last_change`, what the indexer's write that
    set `changed_at` was, is `updated` or `restored`). A trial first seen and then changed
    again in one window is in both; `any` is their union."""
    created = {"range": {"first_seen_at": window.range_clause()}}
    updated = {
        "bool": {
            "filter": [
                {"range": {"changed_at": window.range_clause()}},
                {"terms": {"last_change": list(UPDATE_KINDS)}},
            ]
        }
    }
    if change == "created":
        return created
    if change == "updated":
        return updated
    return {"bool": {"should": [created, updated], "minimum_should_match": 1}}


def recent_body(params: RecentParams) -> dict[str, Any]:
    filters = [change_clause(params.change, params.window), *_terms("source", params.sources)]
    return {
        "query": {"bool": {"filter": filters, "must_not": _not_removed(params.include_removed)}},
        "sort": sort_clause("changed_at"),
        "source": {"excludes": list(LIST_SOURCE_EXCLUDES)},
    }


def registry_id_query(registry_id: str) -> dict[str, Any]:
    return {"term": {"registry_id": registry_id}}


def registry_doc_id(registry_id: str) -> str | None:
    """Our document id for a registry id written in its registry's own format (any letter
    case), or None when the format names no registry."""
    registry = registry_of_id(registry_id)
    return doc_id(registry.name, registry_id.upper()) if registry else None
