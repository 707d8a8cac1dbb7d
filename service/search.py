"""Pure query building: validated parameters in, an Elasticsearch request body out. No I/O.

User text only ever reaches `multi_match` and `match_phrase` (analysed as plain text), never
`query_string`, regexp, wildcard or scripts, so no input can change the query's structure. The
concepts found in it (`service.expansion`) reach `term` queries as the vocabulary's ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service import concept_facet, filters, geo
from service.expansion import (
    LABEL_FIELDS,
    NO_EXPANSION,
    Expansion,
    concepts_clause,
    expansion_of,
    label_highlight,
)
from service.geo import DEFAULT_WITHIN_KM, GeoPoint
from service.timewindow import Window
from trials.model import doc_id
from trials.registries import registry_of_id

# Every searched text field is copied at index time into one of three fields by what it
# says about a trial (mappings/trials.json, `copy_to`): its titles weigh most, then its subject
# (conditions, keywords, interventions), then its whole text (`text_all`, the titles and the
# subject too: where a word anywhere in the trial is found), each read in Korean and in
# English (`.en`). The words, the registry id and the concepts are one flat sum of leaves the
# node can bound, so it skips the hits that cannot reach a page instead of scoring every
# match: the bench's twelve pages took the node 238 → 285 ms in all from 50,000 to 500,000
# generated studies (1.2×), where the 27 fields they are copied from, phrases and a nested
# concept bonus, ranked in two phases, took 325 → 683 ms (`python -m bench.scale.took`).
# The registry id matches exactly (its keyword field is lower-cased).
REGISTRY_ID_BOOST = 8
TEXT_FIELDS = (
    "text_titles^3",
    "text_titles.en^3",
    "text_subject^2",
    "text_subject.en^2",
    "text_all",
    "text_all.en",
)
# The share of a query's words a field must hold: all of up to three, else three quarters
WORDS_MATCHED = "3<75%"
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
# Facets, in the order the response lists them
FACETS = {
    "phase": "phase",
    "status": "status",
    "source": "source",
    "department": "department",
    "region": "sites.region",
    "country": "sites.country",
    "sex": "eligibility.sex",
    "condition": concept_facet.FIELD,
}
FACET_SIZE = 20
SORTS = ("relevance", "changed_at", "registered_at", "source_updated_at", "distance")
# List items are compact (formatting.list_item): only these fields leave the node; the
# detail endpoint returns the whole record.
LIST_SOURCE = (
    "id",
    "source",
    "registry_id",
    "url",
    "synthetic",
    "title",
    "title_ko",
    "title_en",
    "status",
    "phase",
    "study_type",
    "conditions",
    "institution",
    "eligibility.min_age_years",
    "eligibility.max_age_years",
    "eligibility.sex",
    "eligibility.healthy_volunteers",
    "sites.region",
    "sites.country",
    "registered_at",
    "source_updated_at",
    "first_seen_at",
    "changed_at",
    "last_change",
    "removed_at",
)


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
    source_updated: Window = field(default_factory=Window)
    age: int | None = None
    sex: str | None = None
    healthy_volunteers: bool | None = None
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    site: str | None = None
    near: GeoPoint | None = None
    within_km: float = DEFAULT_WITHIN_KM
    include_removed: bool = False
    sort: str | None = None
    expand: bool = True  # concepts in `q` also find trials in the other language

    @property
    def effective_sort(self) -> str:
        """relevance with a query, else nearest first around `near`, else newest change.
        Relevance without words is newest change too: every score is equal."""
        if self.sort == "relevance" and not self.q:
            return "changed_at"
        if self.sort:
            return self.sort
        if self.q:
            return "relevance"
        return "distance" if self.near else "changed_at"


def not_removed(include_removed: bool) -> list[dict[str, Any]]:
    return [] if include_removed else [{"exists": {"field": "removed_at"}}]


def list_source(near: GeoPoint | None = None) -> dict[str, list[str]]:
    """The fields a list item is made of (with the sites' points when distances are shown)."""
    return {"includes": [*LIST_SOURCE, *([geo.SITES_GEO] if near else [])]}


def sort_clause(sort: str, near: GeoPoint | None = None) -> list[dict[str, Any]]:
    """Newest first (nearest first for `distance`), with `id` as the unique tie-breaker, so
    pages never overlap.

    `relevance` is the score alone, equal scores in index order: the node can then skip the
    hits that cannot beat the page's last (a tie-breaker would make every tie a candidate),
    and it is the order a cursor walk's point in time keeps too (it adds `_shard_doc`), so
    offset pages and walks agree."""
    by_id = {"id": "asc"}
    if sort == "relevance":
        return [{"_score": "desc"}]
    if sort == "distance":
        if near is None:
            raise ValueError("sorting by distance needs a point (near)")
        return [geo.nearest_first(near), by_id]
    return [newest(sort), by_id]


def newest(name: str) -> dict[str, Any]:
    return {name: {"order": "desc", "missing": "_last"}}


def analysed_text(q: str) -> str:
    return f"{q} "


def text_query(q: str, expansion: Expansion = NO_EXPANSION) -> dict[str, Any]:
    """A trial matches when its text holds the query's words (`WORDS_MATCHED`), wherever
    they are, or its registry id is the query, or it carries every concept `q` mentions
    (`service.expansion`); its score is one flat sum of what matched: the words by where
    they are (`TEXT_FIELDS`), the registry id, the concepts.

    The analysed fields get the query followed by a space: nori reads the end of its input as
    the end of a sentence, where a final particle can pass for a noun (alone, `당뇨병의` is
    당뇨 + 병의 and `환자의` is 환자 + 의; in running text, 당뇨 + 병 and 환자), so a query
    ending in a particle would require a word no document has. The registry id, a keyword,
    is matched as typed."""
    words = {
        "multi_match": {
            "query": analysed_text(q),
            "fields": list(TEXT_FIELDS),
            "type": "most_fields",
            "operator": "or",
            "minimum_should_match": WORDS_MATCHED,
        }
    }
    registry_id = {"match": {"registry_id": {"query": q, "boost": REGISTRY_ID_BOOST}}}
    should = [words, registry_id, *([concepts_clause(expansion)] if expansion else [])]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def field_query(name: str, q: str) -> dict[str, Any]:
    """What highlights field `name`: its own words of the query, and the query as a phrase
    (so an exact phrase is marked as one). Without it the highlighter weighs the whole
    multi-field query for every field of every hit, several times the cost of the search."""
    text = analysed_text(q)
    return {"bool": {"should": [{"match": {name: text}}, {"match_phrase": {name: text}}]}}


def search_filters(params: SearchParams) -> list[dict[str, Any]]:
    return [
        *filters.terms("source", params.sources),
        *filters.terms("phase", params.phases),
        *filters.terms("status", params.statuses),
        *filters.terms("study_type", params.study_types),
        *filters.terms("department", params.departments),
        *filters.date_range("registered_at", params.registered),
        *filters.date_range("changed_at", params.updated),
        *filters.date_range("source_updated_at", params.source_updated),
        *filters.all_words("institution", params.institution),
        *filters.age(params.age),
        *filters.sex(params.sex),
        *filters.healthy_volunteers(params.healthy_volunteers),
        *filters.terms("sites.country", params.countries),
        *filters.terms("sites.region", params.regions),
        *filters.all_words("sites.name", params.site),
        *filters.near(params.near, params.within_km),
    ]


def search_body(params: SearchParams) -> dict[str, Any]:
    """The search of `params`: its filters, its words (`text_query`), order, facets, list
    fields and highlights."""
    query: dict[str, Any] = {
        "bool": {
            "filter": search_filters(params),
            "must_not": not_removed(params.include_removed),
        }
    }
    expansion = expansion_of(params.q) if params.q and params.expand else NO_EXPANSION
    if params.effective_sort == "distance" and params.near is not None:
        if params.q:  # nearest first: the words only select
            query["bool"]["filter"].append(text_query(params.q, expansion))
    elif params.q:
        query["bool"]["must"] = [text_query(params.q, expansion)]
    body: dict[str, Any] = {
        "query": query,
        "sort": sort_clause(params.effective_sort, params.near),
        "aggs": {name: facet_agg(name, f) for name, f in FACETS.items()},
        "source": list_source(params.near),
    }
    if params.q:
        body["highlight"] = highlight(params.q, expansion)
    return body


def facet_agg(name: str, field_name: str) -> dict[str, Any]:
    terms: dict[str, Any] = {"field": field_name, "size": FACET_SIZE}
    if name == concept_facet.NAME:
        terms["exclude"] = concept_facet.not_conditions()  # intervention concepts
    return {"terms": terms}


def highlight(q: str, expansion: Expansion = NO_EXPANSION) -> dict[str, Any]:
    """Each field marks its own words of `q`; the concepts' labels mark the concepts found."""
    return {
        "fields": {
            **{
                name: {"highlight_query": field_query(name, q), **options}
                for name, options in HIGHLIGHT_FIELDS.items()
            },
            **concept_highlight(q, expansion),
        },
        "pre_tags": ["<em>"],
        "post_tags": ["</em>"],
        "encoder": "html",
        "number_of_fragments": 3,
        "fragment_size": 150,
    }


def concept_highlight(q: str, expansion: Expansion) -> dict[str, Any]:
    """`concepts.ko` / `concepts.en`: the query's words, and the labels of its concepts (so
    중풍 marks 뇌졸중, and 폐암 marks the Korean label of an English trial's lung cancer)."""
    fields = {}
    for lang, name in LABEL_FIELDS.items():
        query = field_query(name, q)
        query["bool"]["should"] += label_highlight(expansion, lang)
        fields[name] = {"highlight_query": query}
    return fields


def registry_id_query(registry_id: str) -> dict[str, Any]:
    return {"term": {"registry_id": registry_id}}


def registry_doc_id(registry_id: str) -> str | None:
    """Our document id for a registry id written in its registry's own format (any letter
    case), or None when the format names no registry."""
    registry = registry_of_id(registry_id)
    return doc_id(registry.name, registry_id.upper()) if registry else None
