"""GET /api/v1/suggest: what may be asked, and the items it answers with."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from service.suggestions import DEFAULT_LIMIT, MAX_LENGTH, MAX_LIMIT


def _not_blank(text: str) -> None:
    if not text.strip():
        raise ValidationError("Must contain more than spaces.")


class SuggestQuerySchema(Schema):
    q = fields.String(
        required=True,
        validate=[validate.Length(1, MAX_LENGTH), _not_blank],
        metadata={
            "description": "What has been typed so far: the start of any word of a condition, "
            "intervention or institution, in Korean or English (당뇨 → 당뇨병, 제2형 당뇨병; "
            "diab → Diabetes, Type 2 diabetes), or its 초성 (ㄷㄴㅂ → 당뇨병, ㅍㅇ → 폐암).",
            "example": "당뇨",
        },
    )
    limit = fields.Integer(
        validate=validate.Range(1, MAX_LIMIT),
        metadata={"description": f"At most this many items (default {DEFAULT_LIMIT})"},
    )


class SuggestionSchema(Schema):
    text = fields.String(metadata={"description": "What to show and search for"})
    kind = fields.String(
        validate=validate.OneOf(("condition", "intervention", "institution")),
        metadata={
            "description": "condition or intervention (a vocabulary concept or a name "
            "trials give), or institution"
        },
    )
    ko = fields.String(allow_none=True, metadata={"description": "The Korean name, when known"})
    en = fields.String(allow_none=True, metadata={"description": "The English name, when known"})
    concept = fields.String(
        allow_none=True,
        metadata={"description": "The vocabulary concept's id (null for a name trials give)"},
    )
    count = fields.Integer(
        metadata={
            "description": "Trials that have it (a concept: tagged with it or a narrower one; "
            "removed trials not counted)"
        }
    )


class SuggestionsSchema(Schema):
    items = fields.List(
        fields.Nested(SuggestionSchema),
        metadata={"description": "Most trials first, then by text"},
    )
