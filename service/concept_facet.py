"""The `condition` facet: trials per condition concept they are tagged with (interventions
left out), each bucket named in Korean and English from the vocabulary, since the index
stores only the concept's id as the facet's key."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from trials.concepts.vocabulary import load

FIELD = "concepts.id"
NAME = "condition"


@cache
def not_conditions() -> list[str]:
    """Ids of the intervention concepts, which the aggregation excludes."""
    return sorted(c.id for c in load() if c.kind != "condition")


def labelled(facets: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """`facets` with each condition bucket given its concept's `ko` and `en` names."""
    return {**facets, NAME: [_labelled(bucket) for bucket in facets.get(NAME, [])]}


def _labelled(bucket: dict[str, Any]) -> dict[str, Any]:
    vocabulary = load()
    if bucket["value"] not in vocabulary:  # tagged by an older vocabulary: the id alone
        return {**bucket, "ko": None, "en": None}
    concept = vocabulary.get(bucket["value"])
    return {**bucket, "ko": concept.ko.preferred, "en": concept.en.preferred}
