"""Marshmallow fields shared by the query schemas."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields, validate

from service.geo import GeoPoint, parse_point
from service.timewindow import Instant, parse_instant
from trials.regions import REGIONS, region_named

MAX_RESULT_WINDOW = 10_000
MAX_VALUES = 20  # per repeatable parameter; keeps every valid URL well inside the line limit


class InstantField(fields.String):
    """An ISO-8601 date or date-time; documented as a string, loaded as an `Instant`."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Instant:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_instant(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class RegionField(fields.String):
    """A Korean 시/도, by its official name or a short form (서울, 경기, 충북); loaded as the
    official name, the one stored in `sites.region`."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        name = region_named(text)
        if name is None:
            raise ValidationError("not a Korean 시/도; one of " + ", ".join(REGIONS))
        return name


class CountryField(fields.String):
    """An ISO 3166-1 alpha-2 code in any letter case; loaded upper-case, as stored."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        text = str(super()._deserialize(value, attr, data, **kwargs))
        if len(text) != 2 or not (text.isascii() and text.isalpha()):
            raise ValidationError("expected an ISO 3166-1 alpha-2 country code, e.g. KR")
        return text.upper()


class PointField(fields.String):
    """`latitude,longitude` in degrees; documented as a string, loaded as a `GeoPoint`."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> GeoPoint:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_point(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class FieldNames(fields.String):
    """`fields=`: a comma list of top-level fields out of `allowed`; loaded as a tuple in the
    order given, each once. An unknown name is an error naming the choices."""

    def __init__(self, allowed: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(1, 2000), **kwargs)
        self.allowed = allowed

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> tuple[str, ...]:
        text = str(super()._deserialize(value, attr, data, **kwargs))
        names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
        unknown = [n for n in names if n not in self.allowed]
        if unknown or not names:
            raise ValidationError(
                f"unknown field {', '.join(map(repr, unknown)) or '(none named)'}; "
                f"choose among {', '.join(self.allowed)}"
            )
        return names


def field_names(allowed: tuple[str, ...], what: str) -> FieldNames:
    """The `fields` parameter (the attribute is `fields_`: a Schema has its own `fields`)."""
    return FieldNames(
        allowed,
        data_key="fields",
        metadata={
            "description": f"Only these top-level fields of {what}, comma-separated (default: "
            f"all). One of: {', '.join(allowed)}."
        },
    )


def instant(description: str, example: str) -> InstantField:
    # The example stays in the text: as an example, Swagger UI would pre-fill it and narrow
    # every "Try it out" call to a fixed, ageing window.
    return InstantField(metadata={"description": f"{description} Example: {example}."})


def offset() -> fields.Integer:
    return fields.Integer(
        validate=validate.Range(0, MAX_RESULT_WINDOW - 1),
        metadata={
            "description": "Items to skip (default 0). `offset + limit` may not exceed 10,000; "
            "to go deeper, page with `cursor`.",
        },
    )


def limit() -> fields.Integer:
    return fields.Integer(
        validate=validate.Range(1, 100),
        metadata={"description": "Items per page, 1-100 (default 20).", "example": 20},
    )


def cursor() -> fields.String:
    return fields.String(
        validate=validate.Length(1, 4096),
        metadata={
            "description": "Cursor pagination. Send `*` to start a consistent walk: the response "
            "then carries `next_cursor`; pass it back as `cursor` to get the next page (it "
            "remembers the query, so other parameters may be omitted; if sent they must be "
            "unchanged). All pages are read from one snapshot, so documents changing meanwhile "
            "never cause duplicates or gaps. A cursor expires 5 minutes after its page was "
            "served. Not combinable with `offset`.",
        },
    )
