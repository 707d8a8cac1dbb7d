"""The detail schema declares every field the trials mapping stores (the spec forbids properties
it does not name, so a field added to the mapping alone would break every detail response)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from marshmallow import Schema, fields

import mappings
from service.formatting import HIDDEN_FIELDS
from service.schemas.trial_views import TrialDetailSchema


def mapped(properties: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Object paths the documents hold (multi-fields are the same value, not listed)."""
    for name, spec in properties.items():
        if spec.get("type", "object") == "object" and "properties" in spec:
            yield from mapped(spec["properties"], f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


def declared(schema: Schema, prefix: str = "") -> Iterator[str]:
    for name, field in schema.fields.items():
        yield f"{prefix}{name}"  # a nested schema too: a geo_point is one mapped field
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            nested = inner.schema
            assert isinstance(nested, Schema)
            yield from declared(nested, f"{prefix}{name}.")


def test_the_detail_schema_declares_every_mapped_field() -> None:
    stored = set(mapped(mappings.load("trials").properties)) - set(HIDDEN_FIELDS)
    assert stored - set(declared(TrialDetailSchema())) == set()
