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
    CONCEPT_BOOST,
    LABEL_FIELDS,
    NO_EXPANSION,
    Expansion,
    expansion_of,
    label_highlight,
    widened,
)
from service.geo import DEFAULT_WITHIN_KM, GeoPoint
from service.timewindow import Window
from trials.model import doc_id
from trials.registries import registry_of_id

# Titles weigh most, then the official title, then conditions and keywords; the registry id
# matches exactly (its keyword field is lower-cased). Long texts (description, eligibility
# criteria, outcomes) and the organisations around a trial count least: a word there says
# less about what the trial is.
REGISTRY_ID_BOOST = 8
# How many hits of each shard a relevance page's first phase hands to the exact ranking
# (`first_phase`). Measured on 500,000 generated studies: of the first 100 hits of the bench
# searches, the two phases and the exact ranking scored 92 to 100 alike, position by position.
RESCORE_WINDOW = 500
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

    `relevance` is the score alone, equal scores in index order: the node rescores only under
    that order (`rescored`), and it is the order a cursor walk's point in time keeps too (it
    adds `_shard_doc`), so offset pages and walks agree."""
    by_id = {"id": "asc"}
    if sort == "relevance":
        return [{"_score": "desc"}]
    if sort == "distance":  # the score is the nearness alone (`search_body`)
        if near is None:
            raise ValueError("sorting by distance needs a point (near)")
        return [{"_score": "desc"}, by_id]
    return [newest(sort), by_id]


def newest(name: str) -> dict[str, Any]:
    return {name: {"order": "desc", "missing": "_last"}}


def analysed_text(q: str) -> str:
    return f"{q} "


def text_query(q: str, expansion: Expansion = NO_EXPANSION) -> dict[str, Any]:
    """Any field may match; exact phrases, above all in titles, add to the score.

    The analysed fields get the query followed by a space: nori reads the end of its input as
    the end of a sentence, where a final particle can pass for a noun (alone, `당뇨병의` is
    당뇨 + 병의 and `환자의` is 환자 + 의; in running text, 당뇨 + 병 and 환자), so a query
    ending in a particle would require a word no document has. The registry id, a keyword,
    is matched as typed. The concepts `q` mentions widen it (`service.expansion`)."""
    text = analysed_text(q)
    words = _words(text, "best_fields")
    words["multi_match"]["tie_breaker"] = 0.3
    query = {
        "bool": {
            "must": [{"dis_max": {"queries": [words, _registry_id(q)]}}],
            "should": [_phrases(text)],
        }
    }
    return widened(query, expansion)


def first_phase(q: str, expansion: Expansion = NO_EXPANSION) -> dict[str, Any]:
    """What a relevance page's candidates are found by: the same trials as `text_query`,
    scored close to it by one flat sum (each field's words, the registry id, the phrases, the
    concepts when a trial carries them all).

    The node can bound a flat sum clause by clause and skip the blocks of hits that cannot
    reach the page; it cannot bound `text_query` usefully (a tie-breaker, nested sums), so it
    scores every match, and that grows with the registry. The page is then ranked by
    `text_query` itself over the best `RESCORE_WINDOW` candidates (`rescored`). The bound is
    tight for one word; several words make each field a conjunction, bounded loosely, so the
    first phase of such searches still grew about 3× from 50,000 to 500,000 generated studies.

    Same trials: a phrase matches only where all its words are (so `_words` does too), and
    `carries_all` is how `widened` finds a trial the words miss."""
    text = analysed_text(q)
    should = [_words(text, "most_fields"), _registry_id(q), _phrases(text)]
    if expansion:
        weight = CONCEPT_BOOST * len(expansion.ids)
        should.append({"constant_score": {"filter": expansion.carries_all(), "boost": weight}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def rescored(exact: dict[str, Any]) -> dict[str, Any]:
    """Ranks the first phase's best `RESCORE_WINDOW` hits (of each shard) by `exact` alone:
    their scores are the ones `exact` gives."""
    return {
        "window_size": RESCORE_WINDOW,
        "query": {"rescore_query": exact, "query_weight": 0.0, "rescore_query_weight": 1.0},
    }


def _words(text: str, kind: str) -> dict[str, Any]:
    return {
        "multi_match": {
            "query": text,
            "fields": list(TEXT_FIELDS),
            "type": kind,
            "operator": "or",
            "minimum_should_match": "3<75%",
        }
    }


def _registry_id(q: str) -> dict[str, Any]:
    return {"match": {"registry_id": {"query": q, "boost": REGISTRY_ID_BOOST}}}


def _phrases(text: str) -> dict[str, Any]:
    return {"multi_match": {"query": text, "fields": list(PHRASE_FIELDS), "type": "phrase"}}


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


def search_body(params: SearchParams, page_end: int | None = None) -> dict[str, Any]:
    """The search of `params`. `page_end` is where an offset page ends (offset + limit);
    None for a cursor walk or an export. A relevance page that ends within `RESCORE_WINDOW`
    is ranked in two phases (`first_phase`, `rescored`); any other reads `text_query` whole,
    which orders every match exactly as the two phases order the window."""
    query: dict[str, Any] = {
        "bool": {
            "filter": search_filters(params),
            "must_not": not_removed(params.include_removed),
        }
    }
    expansion = expansion_of(params.q) if params.q and params.expand else NO_EXPANSION
    two_phases = False
    if params.effective_sort == "distance" and params.near is not None:
        # nearest first: the words only select, the nearness alone scores
        query["bool"]["should"] = [geo.nearness(params.near)]
        if params.q:
            query["bool"]["filter"].append(text_query(params.q, expansion))
    elif params.q:
        exact = text_query(params.q, expansion)
        if params.effective_sort == "relevance" and page_end is not None:
            two_phases = page_end <= RESCORE_WINDOW
        query["bool"]["must"] = [first_phase(params.q, expansion) if two_phases else exact]
    body: dict[str, Any] = {
        "query": query,
        "sort": sort_clause(params.effective_sort, params.near),
        "aggs": {name: facet_agg(name, f) for name, f in FACETS.items()},
        "source": list_source(params.near),
    }
    if two_phases:
        body["rescore"] = rescored(exact)
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
