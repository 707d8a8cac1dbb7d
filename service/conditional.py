"""Conditional GET (RFC 9110 §13): does the client's copy still match?"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime


def _tags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


def not_modified(headers: Mapping[str, str], etag: str, modified: datetime | None) -> bool:
    """If-None-Match wins over If-Modified-Since; weak comparison, as GET allows."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = _tags(if_none_match)
        return "*" in tags or etag.removeprefix("W/") in tags
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since is None or modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # an unparseable date is ignored, as RFC 9110 says
    if since.tzinfo is None:
        return False
    return modified.replace(microsecond=0) <= since
