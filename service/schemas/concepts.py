"""How vocabulary concepts appear in the trial lists: the `condition` facet's buckets, each
named in Korean and English (the concepts themselves are in `trial_views.ConceptSchema`)."""

from __future__ import annotations

from marshmallow import Schema, fields


class ConditionBucketSchema(Schema):
    value = fields.String(metadata={"description": "The concept's id, e.g. lung_cancer"})
    ko = fields.String(allow_none=True, metadata={"description": "Korean name, e.g. 폐암"})
    en = fields.String(allow_none=True, metadata={"description": "English name, e.g. Lung cancer"})
    count = fields.Integer(metadata={"description": "Matching trials tagged with it"})


def condition_facet() -> fields.List:
    return fields.List(
        fields.Nested(ConditionBucketSchema),
        metadata={
            "description": "Trials per condition concept found in them (in their conditions, "
            "titles, keywords or MeSH headings, either language), with its Korean and English "
            "name; interventions are not counted"
        },
    )
